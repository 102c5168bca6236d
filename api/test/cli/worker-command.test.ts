import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { PURNA_BIN, runPurna, scratchFolder } from './support/run-purna.js';

describe('cli: purna worker (real binary)', function () {
  this.timeout(90_000);

  it('runs webhook delivery and the moments scheduler without the API, then stops on SIGTERM', async () => {
    const scratch = await scratchFolder('worker');
    const child = spawn(process.execPath, [PURNA_BIN, 'worker', '--data-dir', join(scratch.dir, 'data')], {
      env: { ...process.env, PURNA_CLI_LOADED: '', NODE_OPTIONS: '', LOG_LEVEL: 'silent', PURNA_SCHEDULER: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          if (output.includes('Purna worker: moments scheduler and webhook delivery')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // It keeps running (its tasks' timers alone would let Node exit after the first pass).
      await new Promise((resolve) => setTimeout(resolve, 6000));
      expect(child.exitCode, `the worker exited by itself: ${output}`).to.equal(null);
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      child.kill('SIGKILL');
      await scratch.remove();
    }
  });

  it('reports a bad setting in one sentence, without a stack trace', async () => {
    const run = await runPurna(['worker'], { env: { PURNA_WEBHOOK_DELIVERY: 'sometimes' } });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('PURNA_WEBHOOK_DELIVERY: must be on or off');
    expect(run.stderr).to.not.match(/\n\s+at /);
  });
});
