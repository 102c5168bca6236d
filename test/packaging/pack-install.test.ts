/**
 * The packages as a user gets them. The test builds the workspaces (`npm run build`), packs the three of them with
 * `npm pack`, installs the tarballs into an empty project in a temporary folder (their dependencies come from the
 * registry, or npm's cache) and uses them there with plain Node: no tsx, no `purna-source` condition, no sources.
 * It takes a minute or two, most of it the build and the install (docs/development.md, "Releases").
 */
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKSPACES = [
  { name: '@purna/rules', dir: 'packages/rules' },
  { name: '@purna/ledger', dir: 'packages/ledger' },
  { name: '@purna/api', dir: 'api' },
] as const;
const RECIPE = 'philippine-shop-php.program.json';

/** What `npm pack --json` says about one tarball. */
interface PackedTarball {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/**
 * The environment of a user's shell: without the test runner's NODE_OPTIONS (tsx, the source condition), without
 * the `npm_*` variables of the `npm test` around us (which would point npm at this repository), and without the
 * flag that makes bin/purna.js skip its own start-up.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key === 'PURNA_CLI_LOADED' || key.toLowerCase().startsWith('npm_')) continue;
    env[key] = value;
  }
  return env;
}

/** Runs a command to its end; a failure carries the command, its exit code and what it printed. */
function run(command: string, args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: userEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) failed with exit code ${String(error.code)}:\n${stderr}${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe('packaging: npm pack of the three packages, installed in an empty project, run with plain Node', function () {
  this.timeout(600_000);
  let scratch: string;
  let project: string;
  let tarballs: PackedTarball[];

  before(async function () {
    this.timeout(600_000);
    scratch = await mkdtemp(join(tmpdir(), 'purna-pack-'));
    await run('npm', ['run', 'build'], ROOT);
    const packArgs = ['pack', '--json', '--pack-destination', scratch, ...WORKSPACES.flatMap((w) => ['-w', w.name])];
    tarballs = JSON.parse((await run('npm', packArgs, ROOT)).stdout) as PackedTarball[];
    project = join(scratch, 'shop');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'shop', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
    const files = tarballs.map((t) => join(scratch, t.filename));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], project);
    await copyFile(join(ROOT, 'docs/recipes', RECIPE), join(project, RECIPE));
  });

  after(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('packs each package at its version with its compiled files, types, README, CHANGELOG and LICENSE (the API also its built playground), and no TypeScript sources', async () => {
    expect(tarballs.map((t) => t.name)).to.deep.equal(WORKSPACES.map((w) => w.name));
    for (const [i, tarball] of tarballs.entries()) {
      const manifest = JSON.parse(await readFile(join(ROOT, WORKSPACES[i]!.dir, 'package.json'), 'utf8')) as { version: string };
      expect(tarball.version, tarball.name).to.equal(manifest.version);
      const paths = tarball.files.map((f) => f.path);
      expect(paths, tarball.name).to.include.members(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']);
      expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts')), `${tarball.name}: TypeScript sources`).to.deep.equal([]);
    }
    expect(tarballs[0]!.files.map((f) => f.path)).to.include('schema/program.schema.json');
    expect(tarballs[2]!.files.map((f) => f.path)).to.include.members(['bin/purna.js', 'dist/cli/main.js', 'playground/index.html', 'playground/playground.js', 'playground/backtest-worker.js']);
    // The LICENSE is the repository's, copied in while packing and removed afterwards.
    const license = await readFile(join(project, 'node_modules/@purna/api/LICENSE'), 'utf8');
    expect(license).to.equal(await readFile(join(ROOT, 'LICENSE'), 'utf8'));
    for (const w of WORKSPACES) expect(existsSync(join(ROOT, w.dir, 'LICENSE')), `${w.dir}/LICENSE left behind`).to.equal(false);
    expect(existsSync(join(ROOT, 'api/playground')), 'api/playground left behind').to.equal(false);
  });

  it('installs without tsx: nothing in the project can load TypeScript', () => {
    expect(existsSync(join(project, 'node_modules/tsx'))).to.equal(false);
    expect(existsSync(join(project, 'node_modules/@purna/api/src'))).to.equal(false);
  });

  it('`npx purna --version` prints the version of @purna/api', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'api/package.json'), 'utf8')) as { version: string };
    const { stdout } = await run('npx', ['--no', '--', 'purna', '--version'], project);
    expect(stdout).to.equal(`${version}\n`);
  });

  it('`purna serve`, as the container image starts it, serves the API from an existing data folder and stops on SIGTERM', async () => {
    // The Dockerfile's command: plain Node on the installed bin, the data folder an existing (mounted) folder.
    const dataDir = join(scratch, 'volume');
    await mkdir(dataDir);
    const adminKey = `pk_docker_${'s'.repeat(40)}`;
    const env = { ...userEnv(), HOST: '127.0.0.1', PORT: '0', PURNA_DATA_DIR: dataDir, PURNA_ADMIN_KEY: adminKey, LOG_LEVEL: 'silent', PURNA_SCHEDULER: 'off' };
    const server = spawn(process.execPath, ['node_modules/@purna/api/bin/purna.js', 'serve'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    server.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /Purna API on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed);
          if (match) {
            clearInterval(timer);
            resolve(match[1]!);
          }
        }, 50);
        void exited.then((code) => {
          clearInterval(timer);
          reject(new Error(`purna serve exited with ${String(code)} before listening:\n${printed}`));
        });
      });
      expect(printed).to.include(`the embedded store in ${dataDir}`);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).to.equal(200);
      // The playground built into the package while it was packed, under its strict policy.
      const playground = await fetch(`${base}/playground/`);
      expect(playground.status).to.equal(200);
      expect(await playground.text()).to.include('playground.js');
      expect(playground.headers.get('content-security-policy')).to.include("script-src 'self'");
      const keys = await fetch(`${base}/v1/keys`, { headers: { authorization: `Bearer ${adminKey}` } });
      expect(keys.status, await keys.clone().text()).to.equal(200);
      const listed = (await keys.json()) as { items: Array<{ keyId: string }> };
      expect(listed.items.map((k) => k.keyId)).to.include('docker');
      server.kill('SIGTERM');
      expect(await exited, printed).to.equal(0);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  });

  it('`npx purna validate` accepts a recipe program from docs/recipes', async () => {
    const { stdout } = await run('npx', ['--no', '--', 'purna', 'validate', RECIPE, '--at', '2026-10-15T00:00:00+08:00'], project);
    expect(stdout).to.equal(`✔ ${RECIPE} is a valid program\n`);
  });

  it('`npx purna validate` points at the line of an error in a broken copy, exit code 1', async () => {
    const broken = JSON.parse(await readFile(join(project, RECIPE), 'utf8')) as { currency: string };
    broken.currency = 'peso';
    await writeFile(join(project, 'broken.program.json'), JSON.stringify(broken, null, 2));
    // JSON.stringify with 2 spaces puts the "currency" member on line 6 (after {, $schema, id, name, description),
    // indented by 2: column 3.
    const failure = await run('npx', ['--no', '--', 'purna', 'validate', 'broken.program.json'], project).then(
      () => expect.fail('validate accepted a program whose currency is "peso"'),
      (error: Error) => error.message,
    );
    expect(failure).to.include('exit code 1');
    expect(failure).to.match(/broken\.program\.json:6:3: error \S+ at \/currency: .*got "peso"/);
  });

  it("`import { quoteOrder } from '@purna/rules'` quotes an order of the recipe in plain Node", async () => {
    // October (a "ber" month), ordered in the app, a new customer (tier kaibigan, threshold 0, no multiplier):
    //   base 1 point per ₱200, shipping excluded: phone 20000 / 200 = 100, two cases 2 x 300 / 200 = 3;
    //   ber-months x1.5 on the phone line: 100 -> 150; app-order: +25 once.  150 + 3 + 25 = 178.
    // Pending 7 days: available 7 days after placedAt, in Manila time.
    const order = {
      id: 'o-1015',
      customerId: 'c-1',
      placedAt: '2026-10-15T12:00:00+08:00',
      currency: 'PHP',
      channel: 'app',
      lines: [
        { sku: 'PH-1', category: 'phone', quantity: 1, unitPrice: '20000' },
        { sku: 'CASE', category: 'accessory', quantity: 2, unitPrice: '300' },
        { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '150' },
      ],
    };
    const script = [
      "import { readFileSync } from 'node:fs';",
      "import { compileProgram, parseProgram, quoteOrder } from '@purna/rules';",
      `const compiled = compileProgram(parseProgram(readFileSync(${JSON.stringify(RECIPE)}, 'utf8')));`,
      `const order = ${JSON.stringify(order)};`,
      'const quote = quoteOrder(compiled, { order, history: { orders: [], usage: {} } }, { at: order.placedAt });',
      'console.log(JSON.stringify({ points: quote.points, ruleIds: quote.ruleIds, tierAfter: quote.tierAfter, life: quote.life }));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], project);
    const quote = JSON.parse(stdout) as { points: number; ruleIds: string[]; tierAfter: string; life: { availableAt: string } };
    expect(quote.points).to.equal(178);
    expect(quote.ruleIds).to.have.members(['base', 'ber-months', 'app-order']);
    expect(quote.tierAfter).to.equal('kaibigan');
    expect(quote.life.availableAt).to.equal('2026-10-22T12:00:00.000+08:00');
  });

  for (const workspace of WORKSPACES) {
    it(`${workspace.name}: the README's example runs in the project and prints what the README says`, async () => {
      const readme = await readFile(join(project, 'node_modules', workspace.name, 'README.md'), 'utf8');
      // The first js block is the example; the next fenced block, a text block, is what it prints.
      const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, lang, body]) => ({ lang, body }));
      const at = blocks.findIndex((b) => b.lang === 'js');
      const [example, output] = [blocks[at], blocks[at + 1]];
      expect([example?.lang, output?.lang], `${workspace.name}/README.md: a js example, then a text block of its output`).to.deep.equal(['js', 'text']);
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', example!.body!], project);
      expect(stdout).to.equal(output!.body);
    });
  }
});
