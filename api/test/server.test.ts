/**
 * `npm start` as a user runs it: a child process on a fresh data folder. Slow (it starts Node with tsx), so one
 * start covers printing the docs URL and key, serving with that key, and a graceful SIGTERM.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('prints the docs URL and a working admin key, serves, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'purna-server-test-'));
    const port = await freePort();
    const server = start({ PORT: String(port), PURNA_DATA_DIR: dataDir });
    try {
      await waitFor(() => /pk_[0-9a-f]{16}_\S+/.test(server.output()) || server.child.exitCode !== null, 100_000);
      expect(server.output()).to.contain(`http://localhost:${port}/docs`);
      const key = /pk_[0-9a-f]{16}_\S+/.exec(server.output())?.[0] ?? '';
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
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
