/**
 * Writes schema/program.schema.json from the TypeBox schema (the one source of truth), as a document of its own
 * (programSchemaDocument: references to itself relative, so editors resolve them in the file). A test fails when
 * the file is out of date. Run: npm run generate:schema -w @purna/rules
 */
import { writeFileSync } from 'node:fs';
import { programSchemaDocument } from '../../packages/rules/src/index.js';

const target = new URL('../../packages/rules/schema/program.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(programSchemaDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
