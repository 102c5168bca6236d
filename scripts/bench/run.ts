/**
 * `npm run bench [-- --quick] [-- --only rules,api,growth,moments,imports] [-- --out file.json]`
 *   `[-- --customers 10000,100000,1000000] [-- --entries 10,1000,10000] [-- --simulate-orders 1000000]`
 *   `[-- --import-customers 1000000] [-- --import-mongo-customers 5000]`
 *
 * Purna's benchmarks, side by side with what a team would otherwise use: the rules against json-rules-engine, the
 * API against a bare Express endpoint (on the embedded store and on MongoDB), and how costs grow with data. Prints
 * one table and writes it as JSON under bench-results/ (gitignored). Figures only: nothing here is a test.
 *
 * `--quick` finishes in about a minute (smaller samples, shorter rounds, 10k customers); the full run takes longer
 * (1M customers, 1M simulated orders). MongoDB: `MONGODB_URI` if set, otherwise FerretDB (scripts/ferretdb) if Go
 * is installed, otherwise the mongo rows are skipped with a note.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apiSection } from './api-section.js';
import { BenchReport, markdownTable } from './bench-report.js';
import { growthSection } from './growth-section.js';
import { importsSection } from './imports-section.js';
import { momentsDueSection } from './moments-due-section.js';
import { rulesSection } from './rules-section.js';

const SECTIONS = ['rules', 'api', 'growth', 'moments', 'imports'] as const;
type Section = (typeof SECTIONS)[number];

function counts(flag: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(',').map((part) => Number(part.trim()));
  if (list.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error(`${flag}: expected whole numbers separated by commas, got ${JSON.stringify(text)}`);
  return list;
}

function parseCommandLine(): { quick: boolean; only: Section[]; out: string | undefined; customers?: number[]; entries?: number[]; simulateOrders?: number; importCustomers?: number; importMongoCustomers?: number } {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      customers: { type: 'string' },
      entries: { type: 'string' },
      'simulate-orders': { type: 'string' },
      'import-customers': { type: 'string' },
      'import-mongo-customers': { type: 'string' },
    },
    strict: true,
  });
  const customers = counts('--customers', values.customers);
  const entries = counts('--entries', values.entries);
  const simulateOrders = counts('--simulate-orders', values['simulate-orders'])?.[0];
  const importCustomers = counts('--import-customers', values['import-customers'])?.[0];
  const importMongoCustomers = counts('--import-mongo-customers', values['import-mongo-customers'])?.[0];
  const only = (values.only?.split(',') ?? [...SECTIONS]).map((name) => name.trim());
  const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  return {
    quick: values.quick ?? false,
    only: only as Section[],
    out: values.out,
    ...(customers ? { customers } : {}),
    ...(entries ? { entries } : {}),
    ...(simulateOrders ? { simulateOrders } : {}),
    ...(importCustomers ? { importCustomers } : {}),
    ...(importMongoCustomers ? { importMongoCustomers } : {}),
  };
}

const options = parseCommandLine();
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / (2 ** 30)),
  freeMemoryGb: Math.round(freemem() / (2 ** 30)),
  node: process.version,
};
process.stderr.write(
  `purna bench (${options.quick ? 'quick' : 'full'}): ${options.only.join(', ')} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, node ${machine.node}\n`,
);

const report = new BenchReport();
const started = new Date();
const failures: string[] = [];
for (const section of options.only) {
  process.stderr.write(`${section}...\n`);
  try {
    if (section === 'rules') await rulesSection(report, options);
    else if (section === 'api') await apiSection(report, options);
    else if (section === 'moments') await momentsDueSection(report, options);
    else if (section === 'imports') await importsSection(report, options);
    else await growthSection(report, options);
  } catch (error) {
    // One broken section must not hide the others' figures; it is reported and the run exits non-zero.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    failures.push(`${section}: ${message}`);
    process.stderr.write(`${section} failed: ${message}\n`);
  }
}

const table = markdownTable(report.rows);
console.log(`\n${table}\n`);
const result = { startedAt: started.toISOString(), mode: options.quick ? 'quick' : 'full', options, machine, rows: report.rows, failures };
const out = options.out ?? join('bench-results', `bench-${options.quick ? 'quick' : 'full'}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written to ${out}`);
if (failures.length > 0) {
  console.error(`${failures.length} section(s) failed:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
