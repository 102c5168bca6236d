/**
 * Writes schema/program.schema.json from the TypeBox schema (the one source of truth). A test fails when the file
 * is out of date. Run: npm run generate:schema -w @purna/rules
 */
import { writeFileSync } from 'node:fs';
import { ProgramSchema } from '../../packages/rules/src/index.js';

const target = new URL('../../packages/rules/schema/program.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(ProgramSchema, null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
