/**
 * The version `purna --version` prints: the `version` of @purna/api's package.json, the one number changesets
 * manages (docs/development.md). The file sits two folders up from both src/cli and dist/cli, so the sources run
 * by tsx and the compiled files of an installed package read the same file.
 */
import { readFileSync } from 'node:fs';

/**
 * The installed @purna/api version, like "0.1.0".
 *
 * @example
 * io.stdout.write(`${packageVersion()}\n`);
 */
export function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${manifest.pathname} has no "version" string`);
  return version;
}
