/**
 * The start-up path's data folder (api/src/startup.ts), in this process: a folder that does not exist yet, nested
 * below folders that do not either, is created and used. (A file, an existing empty folder and a folder a previous
 * start filled are started by api/test/server.test.ts as a user runs the server.)
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { openConfiguredLedger, urlHost } from '../src/startup.js';

describe('start-up: the data folder and the listen address', () => {
  it('creates a missing PURNA_DATA_DIR, with the folders above it, and keeps what is written there', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'purna-startup-'));
    const dataDir = join(parent, 'volumes', 'purna', 'data');
    try {
      const ledger = await openConfiguredLedger(loadConfig({ PURNA_DATA_DIR: dataDir }));
      await ledger.apiKeys.insert({ tenantId: 'default', keyId: '0123456789abcdef', hash: 'h', scopes: ['admin'], name: 'kept', createdAt: '2026-12-07T00:00:00.000Z' });
      await ledger.close();
      expect(statSync(dataDir).isDirectory()).to.equal(true);
      const reopened = await openConfiguredLedger(loadConfig({ PURNA_DATA_DIR: dataDir }));
      try {
        expect((await reopened.apiKeys.findByKeyId('0123456789abcdef'))?.name).to.equal('kept');
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('names the listen address in URLs: localhost for every address, brackets around IPv6', () => {
    expect([undefined, '0.0.0.0', '::', '127.0.0.1', '::1', 'purna.internal'].map(urlHost)).to.deep.equal([
      'localhost',
      'localhost',
      'localhost',
      '127.0.0.1',
      '[::1]',
      'purna.internal',
    ]);
  });
});
