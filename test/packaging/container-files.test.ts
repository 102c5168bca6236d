/**
 * The container files against what they build and run. No Docker engine runs where our CI does, so the image is not
 * built here; the packaging suite (pack-install.test.ts) runs what the image runs (pack, install, `purna serve` on
 * an existing data folder). This suite keeps the Dockerfile and compose.yaml true to the repository: every workspace
 * packed and its manifest copied before `npm ci`, the command a file of the packed API, and every variable either
 * file sets one that the API reads and accepts (docs/operations.md, "Containers").
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../api/src/config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(new URL(path, `file://${ROOT}`), 'utf8');

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(): Array<{ readonly op: string; readonly args: string }> {
  const joined = read('Dockerfile')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, op, args] = /^(\w+)\s+(.*)$/.exec(line.trim())!;
      return { op: op!.toUpperCase(), args: args! };
    });
}

/** The `KEY=value` pairs of the Dockerfile's ENV lines. */
function dockerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions().filter((i) => i.op === 'ENV')) {
    for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) env[key!] = value!;
  }
  return env;
}

/** Whether `loadConfig` reads `variable`: a value it cannot take is refused with that variable named. */
function refusedWith(variable: string, value: string): boolean {
  try {
    loadConfig({ [variable]: value });
    return false;
  } catch (error) {
    return error instanceof ConfigError && error.problems.some((p) => p.variable === variable);
  }
}

/** A value of each variable the containers set that the API cannot take. */
const WRONG: Readonly<Record<string, string>> = {
  PORT: 'eighty',
  PURNA_DATA_DIR: 'with\0nul',
  MONGODB_URI: 'postgres://db/purna',
  PURNA_ADMIN_KEY: 'not-a-key',
  LOG_LEVEL: 'chatty',
};

describe('container files: the Dockerfile and compose.yaml match the repository and the API', () => {
  const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
  const names = workspaces.map((dir) => (JSON.parse(read(`${dir}/package.json`)) as { name: string }).name);

  it('copies every workspace manifest before `npm ci`, and the sources of every workspace after it', () => {
    const steps = instructions();
    const ci = steps.findIndex((s) => s.op === 'RUN' && s.args.startsWith('npm ci'));
    expect(ci, 'a RUN npm ci step').to.be.greaterThan(0);
    const copies = steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from'));
    const before = copies.filter((s) => steps.indexOf(s) < ci).map((s) => s.args);
    const after = copies.filter((s) => steps.indexOf(s) > ci).map((s) => s.args);
    for (const dir of workspaces) {
      expect(before, `${dir}/package.json copied before npm ci`).to.include(`${dir}/package.json ${dir}/`);
      expect(after, `${dir} copied after npm ci`).to.include(`${dir} ${dir}`);
    }
    expect(before[0]!.split(' ')).to.include.members(['package.json', 'package-lock.json']);
  });

  it('packs every workspace, and installs the packs without dev dependencies', () => {
    const runs = instructions().filter((s) => s.op === 'RUN').map((s) => s.args);
    const pack = runs.find((r) => r.includes('npm pack'));
    expect(pack, 'an npm pack step').to.be.a('string');
    const packed = [...pack!.matchAll(/-w (\S+)/g)].map(([, name]) => name);
    expect(packed).to.have.members(names);
    expect(runs.some((r) => /npm install --omit=dev .*\*\.tgz/.test(r)), 'npm install --omit=dev of the tarballs').to.equal(true);
  });

  it("starts with plain Node on the API package's bin, a file the packed @purna/api ships", () => {
    const cmd = instructions().find((s) => s.op === 'CMD');
    expect(JSON.parse(cmd!.args)).to.deep.equal(['node', 'node_modules/@purna/api/bin/purna.js', 'serve']);
    const api = JSON.parse(read('api/package.json')) as { bin: Record<string, string>; files: string[] };
    expect(api.bin.purna).to.equal('./bin/purna.js');
    expect(api.files).to.include('bin');
  });

  it('sets only variables the API reads, with values it accepts, and exposes the port it listens on', () => {
    const env = dockerEnv();
    expect(Object.keys(env)).to.include.members(['PURNA_DATA_DIR', 'PORT']);
    for (const variable of Object.keys(env).filter((v) => v !== 'NODE_ENV')) {
      expect(refusedWith(variable, WRONG[variable]!), `${variable} is read by the API`).to.equal(true);
    }
    const config = loadConfig(env);
    expect(config.port).to.equal(3000);
    expect(config.dataDir).to.equal('/var/lib/purna');
    const volume = instructions().find((s) => s.op === 'VOLUME');
    expect(JSON.parse(volume!.args)).to.deep.equal([env.PURNA_DATA_DIR]);
    expect(instructions().find((s) => s.op === 'EXPOSE')?.args).to.equal(env.PORT);
  });

  it('compose.yaml runs the API over MongoDB with variables the API reads and accepts', () => {
    const compose = parse(read('compose.yaml')) as {
      services: Record<string, { build?: string; image?: string; environment?: Record<string, string>; ports?: string[]; depends_on?: Record<string, { condition: string }> }>;
    };
    const api = compose.services.api!;
    expect(api.build).to.equal('.');
    expect(api.ports).to.deep.equal([`${dockerEnv().PORT}:${dockerEnv().PORT}`]);
    expect(api.depends_on).to.deep.equal({ mongodb: { condition: 'service_healthy' } });
    expect(compose.services.mongodb!.image).to.match(/^mongo:\d+$/);
    // Compose interpolates `${PURNA_ADMIN_KEY:-}` to the shell's value or to nothing; nothing is what is checked.
    const environment = Object.fromEntries(Object.entries(api.environment!).map(([k, v]) => [k, v.replace(/\$\{\w+:-\}/g, '')]));
    for (const variable of Object.keys(environment)) expect(refusedWith(variable, WRONG[variable]!), `${variable} is read by the API`).to.equal(true);
    const config = loadConfig(environment);
    expect(config.mongodbUri).to.equal('mongodb://mongodb:27017/purna');
    expect(config.adminKey).to.equal(undefined);
  });
});
