/**
 * The program schema as a document of its own: what `schema/program.schema.json` holds and the API answers at
 * `/schemas/program.v1.json`. Inside the library, the condition schema refers to itself by its absolute address
 * (`https://purna.dev/schemas/program.v1.json#/$defs/condition`), so that the reference stays valid wherever the
 * schema is embedded (the OpenAPI document rewrites it). In the document of its own those references are made
 * relative (`#/$defs/condition`): the same target, since the document's `$id` is that address, but one an editor
 * resolves inside the file it loaded; editors (VS Code's JSON service among them) do not map an `$id` to the file
 * that declares it, and would try to download the address instead, which nothing serves.
 */
import { ProgramSchema } from './program-schema.js';
import { PROGRAM_SCHEMA_ID } from './schema-ids.js';

/** A JSON value. */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function relativeRefs(node: unknown): JsonValue {
  if (Array.isArray(node)) return node.map(relativeRefs);
  if (typeof node === 'object' && node !== null) {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, value] of Object.entries(node)) {
      if (value === undefined) continue;
      out[key] = key === '$ref' && typeof value === 'string' && value.startsWith(`${PROGRAM_SCHEMA_ID}#`) ? value.slice(PROGRAM_SCHEMA_ID.length) : relativeRefs(value);
    }
    return out;
  }
  return node as JsonValue;
}

/**
 * The program JSON Schema (draft 2020-12) as plain JSON, its references to itself relative.
 *
 * @example
 * writeFileSync('program.schema.json', `${JSON.stringify(programSchemaDocument(), null, 2)}\n`);
 */
export function programSchemaDocument(): { [key: string]: JsonValue } {
  return relativeRefs(ProgramSchema) as { [key: string]: JsonValue };
}
