#!/usr/bin/env node
/* global process, console, URL */
// `purna`: the marketer and operator command line. Two ways to run, chosen by what sits beside this file:
// - an installed package (npm pack / npm install) ships the compiled files of dist/ and no sources: plain Node
//   imports dist/cli/main.js, no tsx and no build at run time;
// - a checkout of the repository has the TypeScript sources, which resolve each other through the `purna-source`
//   export condition, so the first run re-executes Node with that condition and tsx's loader (nothing to build,
//   never a stale dist/); the child inherits stdio, and its exit code (or the signal that ended it) becomes ours.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

if (!existsSync(source)) {
  const { runCli } = await import(compiled.href);
  process.exitCode = await runCli(process.argv.slice(2));
} else if (process.env.PURNA_CLI_LOADED === '1') {
  const { runCli } = await import(source.href);
  process.exitCode = await runCli(process.argv.slice(2));
} else {
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--conditions=purna-source', `--import=${tsx}`, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, PURNA_CLI_LOADED: '1' } },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`purna: could not start Node: ${error.message}`);
    process.exitCode = 2;
  });
  child.on('exit', (code, signal) => {
    // A child ended by a signal exits the way shells report it: 128 + the signal number.
    process.exitCode = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1);
  });
}
