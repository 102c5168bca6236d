/**
 * Runs the real `purna` command line in a child process and captures what it printed: the CLI tests check the
 * program a marketer actually runs, not an in-process imitation. `runPurna` runs the CLI's sources built into one
 * file once per test process (./cli-build.ts: about half the start-up of the bin's tsx re-exec); `PURNA_BIN`, the bin
 * itself, is what the tests of long-running commands start.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtCli } from './cli-build.js';

/** The binary. */
export const PURNA_BIN = fileURLToPath(new URL('../../../bin/purna.js', import.meta.url));

/** What a run printed and how it ended. */
export interface PurnaRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `purna ...args` in `cwd` and waits for it to end.
 *
 * @example
 * const { code, stdout } = await runPurna(['validate', 'program.json'], { cwd });
 */
export async function runPurna(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<PurnaRun> {
  const cli = await builtCli();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, PURNA_CLI_LOADED: '', NODE_OPTIONS: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh temporary folder, and a function that writes a file into it and answers its path. */
export async function scratchFolder(prefix: string): Promise<{ dir: string; file: (name: string, text: string) => Promise<string>; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `purna-${prefix}-`));
  return {
    dir,
    file: async (name, text) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
