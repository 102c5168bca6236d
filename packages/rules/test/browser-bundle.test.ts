/** @purna/rules runs in a browser: bundling src/index.ts for the browser pulls no Node built-in. */
import { expect } from 'chai';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

describe('browser bundle', () => {
  it('bundles src/index.ts for platform browser without any Node built-in', async () => {
    const result = await build({
      entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['purna-source'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const imported = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imported.filter((path) => builtins.has(path) || path.startsWith('node:'))).to.deep.equal([]);
    expect(result.errors).to.deep.equal([]);
    // The bundle really contains the engine.
    expect(result.outputFiles[0]!.text).to.include('quoteOrder');
  });
});
