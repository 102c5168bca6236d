import { expect } from 'chai';
import { RULES_VERSION } from '../src/index.js';

describe('@purna/ledger entry point', () => {
  it('resolves @purna/rules through the workspace', () => {
    expect(RULES_VERSION).to.match(/^\d+\.\d+\.\d+$/);
  });
});
