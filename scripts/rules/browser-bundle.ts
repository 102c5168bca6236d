/**
 * Browser bundles of @purna/rules, built with esbuild: `quote` is the quote-only entry point for storefronts
 * (src/quote.ts, no schema validator), `full` the whole library (src/index.ts). The tests bundle with this too, so
 * the size and the contents they check are those of the files this writes.
 *
 *   node --conditions=purna-source --import tsx scripts/rules/browser-bundle.ts [--out DIR]
 *
 * writes DIR/purna-rules-quote.js (default DIR: packages/rules/dist/browser) and prints its size minified and gzipped.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const sources = new URL('../../packages/rules/src/', import.meta.url);
const ENTRIES = { quote: 'quote.ts', full: 'index.ts' } as const;

/** A bundle and what went into it. */
export interface RulesBundle {
  /** Minified ES module. */
  readonly code: string;
  readonly minifiedBytes: number;
  /** Size gzipped at zlib's default level, as a web server sends it. */
  readonly gzipBytes: number;
  /** Every file bundled (paths relative to the working directory, node_modules ones included). */
  readonly inputs: readonly string[];
}

/**
 * Bundles an entry of @purna/rules for browsers: one minified ES module with everything it imports.
 *
 * @example (await bundleRules('quote')).gzipBytes // about 52 000
 */
export async function bundleRules(entry: keyof typeof ENTRIES): Promise<RulesBundle> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(ENTRIES[entry], sources))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    conditions: ['purna-source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return { code, minifiedBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length, inputs: Object.keys(result.metafile.inputs) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = values.out ?? fileURLToPath(new URL('../../packages/rules/dist/browser/', import.meta.url));
  const bundle = await bundleRules('quote');
  await mkdir(out, { recursive: true });
  const file = `${out.replace(/\/$/, '')}/purna-rules-quote.js`;
  await writeFile(file, bundle.code);
  console.log(`${file}: ${(bundle.minifiedBytes / 1024).toFixed(1)} KiB minified, ${(bundle.gzipBytes / 1024).toFixed(1)} KiB gzipped`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
