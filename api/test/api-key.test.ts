import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKey } from '../src/auth/api-key.js';
import { scopeAllows } from '../src/auth/scope.js';

describe('API keys', () => {
  it('generates pk_<keyId>_<secret> keys that parse back and match their stored hash', () => {
    const generated = generateApiKey();
    expect(generated.key).to.match(/^pk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseApiKey(generated.key);
    expect(parsed).to.deep.equal({ keyId: generated.keyId, secret: generated.secret });
    expect(apiKeyMatches(generated.keyId, generated.secret, generated.hash)).to.equal(true);
  });

  it('stores sha256 of id and secret, never the secret', () => {
    const { keyId, secret, hash } = generateApiKey();
    expect(hash).to.equal(createHash('sha256').update(`${keyId}:${secret}`).digest('hex'));
    expect(hash).not.to.contain(secret);
  });

  it('refuses a wrong secret, another key id, and a missing record', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(apiKeyMatches(a.keyId, b.secret, a.hash)).to.equal(false);
    expect(apiKeyMatches(b.keyId, a.secret, hashApiKey(a.keyId, a.secret))).to.equal(false);
    expect(apiKeyMatches(a.keyId, a.secret, undefined)).to.equal(false);
    expect(apiKeyMatches(a.keyId, a.secret, 'abc')).to.equal(false);
  });

  it('accepts an operator-chosen id and a long secret', () => {
    expect(parseApiKey(`pk_scenario_${'ab'.repeat(24)}`)).to.deep.equal({ keyId: 'scenario', secret: 'ab'.repeat(24) });
  });

  it('does not parse keys of another format', () => {
    for (const bad of ['', 'pk_', 'pk_ABC_secret', `sk_${'a'.repeat(16)}_${'b'.repeat(43)}`, `pk_${'a'.repeat(16)}_short`, `pk_a-b_${'b'.repeat(43)}`]) {
      expect(parseApiKey(bad), bad).to.equal(undefined);
    }
  });

  it('lets admin do everything and other scopes only what they name', () => {
    expect(scopeAllows(['admin'], ['crm'])).to.equal(true);
    expect(scopeAllows(['checkout'], ['crm'])).to.equal(false);
    expect(scopeAllows(['checkout', 'crm'], ['crm'])).to.equal(true);
    expect(scopeAllows([], ['checkout'])).to.equal(false);
  });
});
