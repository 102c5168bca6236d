/**
 * One built copy of the `purna` command line for the CLI tests, made once per test process.
 *
 * `api/bin/purna.js` in a checkout re-executes Node with tsx's loader, which then compiles and loads a few hundred
 * TypeScript modules: about 2 s a run here, and the CLI tests run it about seventy times. esbuild bundles the same
 * sources (`api/src/cli/main.ts`, resolved through the `purna-source` condition as tsx resolves them) into one ES
 * module that plain Node loads in about half that time. The bundle does what the bin does after its re-exec: it runs
 * `runCli` on the arguments and exits with its code.
 *
 * It is written to `api/.cache/purna-cli/purna.mjs` (ignored by git): two folders below `api/`, as `src/cli/` is, so
 * the paths the CLI reads beside its own file (`../../package.json` for `--version`, the playground's folder) land on
 * the same files, and Node finds the packages left outside the bundle in the workspace's node_modules.
 * The bin's own path (the re-exec, signals passed on to the child) is still run by the serve and worker tests, and the
 * installed bin by test/packaging/pack-install.test.ts.
 */
import { mkdir, rename } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const apiDir = new URL('../../../', import.meta.url);
const outDir = new URL('.cache/purna-cli/', apiDir);

/**
 * Packages left for Node to load from node_modules: native code (lmdb), code that finds files beside its own
 * (pino's transports, swagger-ui's assets), and the MongoDB driver with its optional peers.
 */
const EXTERNAL = ['lmdb', 'mongodb', 'pino', 'pino-*', 'thread-stream', 'swagger-ui-express', 'swagger-ui-dist'];

let built: Promise<string> | undefined;

async function buildCli(): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const target = fileURLToPath(new URL('purna.mjs', outDir));
  // Written beside the target and renamed over it, so a process that starts the bundle never reads half a file.
  const partial = `${target}.${process.pid}.tmp`;
  await build({
    stdin: {
      contents: "import { runCli } from './src/cli/main.ts';\nprocess.exitCode = await runCli(process.argv.slice(2));\n",
      resolveDir: fileURLToPath(apiDir),
      sourcefile: 'purna-cli-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['purna-source'],
    // ES module builds first: jsonc-parser's `main` is a UMD file whose relative requires a bundle cannot follow.
    mainFields: ['module', 'main'],
    external: EXTERNAL,
    // The CommonJS packages inside the bundle call `require` for Node's own modules.
    banner: { js: "import { createRequire as purnaCreateRequire } from 'node:module';\nconst require = purnaCreateRequire(import.meta.url);" },
    outfile: partial,
    logLevel: 'error',
  });
  await rename(partial, target);
  return target;
}

/**
 * The path of the built CLI, building it on the first call of this process.
 *
 * @example
 * spawn(process.execPath, [await builtCli(), 'validate', 'program.json']);
 */
export function builtCli(): Promise<string> {
  built ??= buildCli();
  return built;
}
