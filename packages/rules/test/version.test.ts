import { expect } from 'chai';
import { RULES_VERSION } from '../src/index.js';

describe('@purna/rules entry point', () => {
  it('exports a semantic version', () => {
    expect(RULES_VERSION).to.match(/^\d+\.\d+\.\d+$/);
  });
});
