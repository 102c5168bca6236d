/**
 * `node --conditions=purna-source --import tsx scripts/bench/webhooks.ts [--quick] [--rows cost|rate]`
 *
 * The API section's two webhook rows alone (webhook-section.ts): a recorded order with one subscribed endpoint
 * against none, and moments delivered per second to a local receiver. Prints them as a table.
 */
import { parseArgs } from 'node:util';
import { BenchReport, markdownTable } from './bench-report.js';
import { webhookRows } from './webhook-section.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, rows: { type: 'string' } }, strict: true });
if (values.rows !== undefined && values.rows !== 'cost' && values.rows !== 'rate') throw new Error(`--rows: cost or rate, got ${JSON.stringify(values.rows)}`);
const report = new BenchReport();
await webhookRows(report, { quick: values.quick ?? false, ...(values.rows !== undefined ? { rows: values.rows } : {}) });
console.log(`\n${markdownTable(report.rows)}\n`);
