import { join } from 'node:path';
import { expect } from 'chai';
import { openLedger } from '@purna/ledger';
import { API_KEY_PATTERN, apiKeyMatches, parseApiKey } from '../../src/auth/api-key.js';
import { runPurna, scratchFolder } from './support/run-purna.js';

describe('cli: purna keys (CLI process, embedded store)', function () {
  this.timeout(90_000);
  let scratch: Awaited<ReturnType<typeof scratchFolder>>;
  let dataDir: string;
  before(async () => {
    scratch = await scratchFolder('keys');
    dataDir = join(scratch.dir, 'data');
  });
  after(() => scratch.remove());

  it('creates a key shown once, stores only its hash, lists it and revokes it', async () => {
    const created = await runPurna(['keys', 'create', '--name', 'shop checkout', '--scopes', 'checkout,crm', '--data-dir', dataDir, '--json']);
    expect(created.code, created.stderr).to.equal(0);
    const { key, keyId, scopes, tenantId } = JSON.parse(created.stdout);
    expect(key).to.match(API_KEY_PATTERN);
    expect(parseApiKey(key)?.keyId).to.equal(keyId);
    expect(scopes).to.deep.equal(['checkout', 'crm']);
    expect(tenantId).to.equal('default');

    // What the API will read: the record holds a hash that matches the printed key, and not the key itself.
    const ledger = await openLedger({ store: { kind: 'lmdb', path: dataDir } });
    try {
      const record = await ledger.apiKeys.findByKeyId(keyId);
      expect(record?.name).to.equal('shop checkout');
      expect(JSON.stringify(record)).not.to.include(parseApiKey(key)?.secret ?? 'missing');
      expect(apiKeyMatches(keyId, parseApiKey(key)?.secret ?? '', record?.hash)).to.equal(true);
    } finally {
      await ledger.close();
    }

    const listed = await runPurna(['keys', 'list', '--data-dir', dataDir]);
    expect(listed.code).to.equal(0);
    expect(listed.stdout).to.match(new RegExp(`${keyId} +shop checkout +checkout,crm +\\S+ +-`));
    expect(listed.stdout).not.to.include(key);

    const revoked = await runPurna(['keys', 'revoke', keyId, '--data-dir', dataDir]);
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect(revoked.stdout).to.include(`Revoked key ${keyId} "shop checkout"`);
    const after = JSON.parse((await runPurna(['keys', 'list', '--data-dir', dataDir, '--json'])).stdout);
    expect(after[0].revokedAt).to.be.a('string');
    expect(after[0]).not.to.have.property('hash');
  });

  it('keeps tenants apart: another tenant neither lists nor revokes the key', async () => {
    const created = JSON.parse((await runPurna(['keys', 'create', '--name', 'crm', '--tenant', 'acme', '--data-dir', dataDir, '--json'])).stdout);
    const other = await runPurna(['keys', 'list', '--tenant', 'globex', '--data-dir', dataDir]);
    expect(other.stdout).to.include('No keys for tenant "globex"');
    const revoke = await runPurna(['keys', 'revoke', created.keyId, '--tenant', 'globex', '--data-dir', dataDir]);
    expect(revoke.code).to.equal(1);
    expect(revoke.stderr).to.include(`no key "${created.keyId}" for tenant "globex"`);
  });

  it('refuses bad usage with exit 2 and says what is expected', async () => {
    const noName = await runPurna(['keys', 'create', '--data-dir', dataDir]);
    expect(noName.code).to.equal(2);
    expect(noName.stderr).to.include('needs --name <name>');
    const badScope = await runPurna(['keys', 'create', '--name', 'x', '--scopes', 'checkout,root', '--data-dir', dataDir]);
    expect(badScope.code).to.equal(2);
    expect(badScope.stderr).to.include('--scopes must list scopes among checkout, crm, admin');
    const noAction = await runPurna(['keys']);
    expect(noAction.code).to.equal(2);
    expect(noAction.stderr).to.include('purna keys expects create, list or revoke, got nothing');
  });
});
