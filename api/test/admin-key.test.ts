import { expect } from 'chai';
import { generateApiKey } from '../src/auth/api-key.js';
import { ensureAdminKey } from '../src/auth/admin-key.js';
import { MemoryApiKeys } from './support/memory-api-keys.js';

describe('ensureAdminKey', () => {
  const now = '2026-01-01T00:00:00.000Z';

  it('generates and stores (by hash) an admin key with every scope for tenant default when none is configured', async () => {
    const keys = new MemoryApiKeys();
    const admin = await ensureAdminKey(keys, undefined, now);
    expect(admin.generated).to.equal(true);
    expect(admin.key).to.match(/^pk_/);
    const stored = await keys.findByKeyId(admin.keyId);
    expect(stored).to.include({ tenantId: 'default' });
    expect(stored?.scopes).to.deep.equal(['checkout', 'crm', 'admin']);
    // The secret is base64url, which may itself hold "_": it is everything after the key id.
    const secret = admin.key!.slice(`pk_${admin.keyId}_`.length);
    expect(secret).to.have.length(43);
    expect(JSON.stringify(stored)).to.not.contain(secret);
  });

  it('stores PURNA_ADMIN_KEY once and accepts it again on the next start', async () => {
    const keys = new MemoryApiKeys();
    const { key, keyId } = generateApiKey();
    expect(await ensureAdminKey(keys, key, now)).to.deep.equal({ keyId, key: undefined, generated: false });
    expect(await ensureAdminKey(keys, key, now)).to.deep.equal({ keyId, key: undefined, generated: false });
    expect(await keys.list('default')).to.have.length(1);
  });

  it('refuses a configured key whose id is stored with another secret or revoked', async () => {
    const keys = new MemoryApiKeys();
    const { key, keyId } = generateApiKey();
    await ensureAdminKey(keys, key, now);
    const forged = `pk_${keyId}_${generateApiKey().secret}`;
    let caught: unknown;
    await ensureAdminKey(keys, forged, now).catch((error: unknown) => (caught = error));
    expect((caught as Error).message).to.contain('another secret');
    await keys.revoke('default', keyId, now);
    caught = undefined;
    await ensureAdminKey(keys, key, now).catch((error: unknown) => (caught = error));
    expect(caught).to.be.instanceOf(Error);
  });
});
