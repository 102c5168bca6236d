import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { PURNA_BIN, runPurna, scratchFolder } from './support/run-purna.js';

describe('cli: purna serve (real binary)', function () {
  this.timeout(90_000);

  it('starts the API on the given port and answers /healthz, then stops on SIGTERM', async () => {
    const scratch = await scratchFolder('serve');
    const child = spawn(process.execPath, [PURNA_BIN, 'serve', '--port', '0', '--data-dir', join(scratch.dir, 'data')], {
      env: { ...process.env, PURNA_CLI_LOADED: '', NODE_OPTIONS: '', PURNA_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      // Port 0 picks a free port; the server prints where it listens.
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          const match = /Purna API on (http:\/\/localhost:\d+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
      });
      const health = await fetch(`${url}/healthz`);
      expect(health.status).to.equal(200);
      expect(output).to.match(/admin API key/);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      child.kill('SIGKILL');
      await scratch.remove();
    }
  });

  it('reports a bad option value through the API\'s own configuration check', async () => {
    const run = await runPurna(['serve', '--port', 'eighty']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('PORT');
  });
});
