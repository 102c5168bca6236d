/**
 * `npm start` as a user runs it: a child process on a fresh data folder. Slow (it starts Node with tsx), so one
 * start covers printing the docs URL and key, serving with that key, and a graceful SIGTERM.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=purna-source', '--import', 'tsx', 'api/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, MONGODB_URI: '', PURNA_ADMIN_KEY: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited, output: () => output };
}

async function waitFor(predicate: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start (api/src/server.ts)', function () {
  this.timeout(120_000);

  it('refuses a bad configuration with one line per bad variable, and exits 1', async () => {
    const server = start({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(await server.exited).to.equal(1);
    expect(server.output()).to.contain('PORT: must be a whole number from 0 to 65535, got "eighty"');
    expect(server.output()).to.contain('LOG_LEVEL: must be one of');
  });

  it('says in one sentence that the data folder cannot be opened, naming PURNA_DATA_DIR, and exits 1 without a stack trace', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'purna-server-bad-dir-'));
    try {
      // A folder below a regular file can never be made.
      const file = join(parent, 'not-a-folder');
      writeFileSync(file, 'x');
      const server = start({ PORT: String(await freePort()), PURNA_DATA_DIR: join(file, 'data') });
      expect(await server.exited).to.equal(1);
      expect(server.output()).to.contain('Purna could not open its embedded store in');
      expect(server.output()).to.contain('PURNA_DATA_DIR must name a folder this process can create and write.');
      expect(server.output()).to.not.match(/^\s+at /m);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('refuses a PURNA_DATA_DIR that is a file in one sentence, leaving the file as it was', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'purna-server-file-'));
    try {
      const file = join(parent, 'purna.data');
      writeFileSync(file, 'notes, not a database\n');
      const server = start({ PORT: String(await freePort()), PURNA_DATA_DIR: file });
      expect(await server.exited).to.equal(1);
      expect(server.output().trim()).to.equal(
        `PURNA_DATA_DIR must name a folder, and ${file} is a file: point it at a folder (created when missing) or move the file away.`,
      );
      expect(readFileSync(file, 'utf8')).to.equal('notes, not a database\n');
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('refuses a HOST this machine has no address for in one sentence naming HOST and PORT', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'purna-server-host-'));
    try {
      // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
      const port = await freePort();
      const server = start({ PORT: String(port), HOST: '192.0.2.1', PURNA_DATA_DIR: dataDir });
      expect(await server.exited).to.equal(1);
      expect(server.output()).to.contain(`Purna could not listen on 192.0.2.1 port ${port} (EADDRNOTAVAIL): check HOST and PORT.`);
      expect(server.output()).to.not.match(/^\s+at /m);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  // An existing empty folder (a container volume at first start), then the same folder with the first start's data.
  const used = { dataDir: '', key: '' };
  after(() => {
    if (used.dataDir) rmSync(used.dataDir, { recursive: true, force: true });
  });

  it('prints the docs URL and a working admin key, serves, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'purna-server-test-'));
    used.dataDir = dataDir;
    const port = await freePort();
    const server = start({ PORT: String(port), PURNA_DATA_DIR: dataDir });
    try {
      await waitFor(() => /pk_[0-9a-f]{16}_\S+/.test(server.output()) || server.child.exitCode !== null, 100_000);
      expect(server.output()).to.contain(`http://localhost:${port}/docs`);
      const key = /pk_[0-9a-f]{16}_\S+/.exec(server.output())?.[0] ?? '';
      used.key = key;
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).to.equal(200);
      const keys = await fetch(`http://127.0.0.1:${port}/v1/keys`, { headers: { authorization: `Bearer ${key}` } });
      expect(keys.status).to.equal(200);
      const body = (await keys.json()) as { items: Array<{ tenantId: string; scopes: string[] }> };
      expect(body.items[0]).to.deep.include({ tenantId: 'default', scopes: ['checkout', 'crm', 'admin'] });
      // One JSON log line per request, with its request id: written once the answer is sent, so it may reach this
      // process's pipe a moment after the answer does (CI once read the output before it arrived).
      await waitFor(() => /"msg":"request"/.test(server.output()), 10_000).catch(() => undefined);
      expect(server.output()).to.match(/"msg":"request"/);
      server.child.kill('SIGTERM');
      expect(await server.exited).to.equal(0);
      expect(server.output()).to.contain('"msg":"stopped"');
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it('starts again on the folder it filled, keeping its data, and listens on HOST only', async () => {
    expect(used.key, 'the previous test printed a key').to.match(/^pk_/);
    const port = await freePort();
    const server = start({ PORT: String(port), HOST: '127.0.0.1', PURNA_DATA_DIR: used.dataDir });
    try {
      await waitFor(() => /Purna API on /.test(server.output()) || server.child.exitCode !== null, 100_000);
      expect(server.output()).to.contain(`Purna API on http://127.0.0.1:${port} (data: the embedded store in ${used.dataDir})`);
      // The key generated at the first start is in the store the folder kept.
      const keys = await fetch(`http://127.0.0.1:${port}/v1/keys`, { headers: { authorization: `Bearer ${used.key}` } });
      expect(keys.status).to.equal(200);
      const other = await fetch(`http://[::1]:${port}/healthz`).then((res) => res.status, (error: Error) => error.name);
      expect(other, 'nothing listens on ::1').to.equal('TypeError');
      server.child.kill('SIGTERM');
      expect(await server.exited).to.equal(0);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });
});
