/**
 * How a document's body becomes named fields in MongoDB and back, exactly.
 *
 * Documents hold user-supplied objects (customer and event attributes, a program's `$schema`) whose names may start
 * with `$`, contain `.`, or be empty: MongoDB reads such names as operators or paths, and FerretDB v1 refuses them.
 * So in every name `%`, `.` and `$` are percent-encoded (`%25`, `%2E`, `%24`), and the empty name is stored as `%`
 * (no encoded name is ever a lone `%`); a name without these characters, which is nearly every one, is stored as it
 * is. Values are stored as JSON would carry them: `undefined` fields are left out (an array's become `null`), `-0`
 * is `0`. Amounts are already decimal strings or whole numbers in the ledger's documents, so nothing here rounds.
 *
 * A few parts that only Purna reads are kept as one JSON string each (`PACKED`): FerretDB v1 converts every nested
 * document between BSON and PostgreSQL's jsonb one field at a time, and an account's read summary (sixteen steps of
 * balances ahead, the soonest-expiring lots, the tier's hold) as fields made a read of the account three times
 * slower (14 against 5 ms for `findOne` of one account on FerretDB over PostgreSQL here; 6 against 5 ms packed).
 */
import type { JsonValue } from './store.js';

const SPECIAL = /[%.$]/;
const ENCODED = /%(25|2E|24)/g;
const DECODE: Record<string, string> = { '%25': '%', '%2E': '.', '%24': '$' };

/**
 * The paths, by collection, whose value is stored as one JSON string: an account's read summary (its balances as of
 * the latest write are fields beside it: `balances`, stored-account.ts).
 */
export const PACKED: Partial<Record<string, ReadonlyArray<readonly string[]>>> = {
  accounts: [['summary']],
};

/** The name as stored. */
export function fieldName(name: string): string {
  if (name === '') return '%';
  if (!SPECIAL.test(name)) return name;
  return name.replaceAll('%', '%25').replaceAll('.', '%2E').replaceAll('$', '%24');
}

/** The name a stored name stands for. */
export function nameOfField(field: string): string {
  if (field === '%') return '';
  if (!field.includes('%')) return field;
  return field.replace(ENCODED, (code) => DECODE[code]!);
}

/** A JSON value with every object name stored as `fieldName` makes it. */
export function toFields(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' && !Number.isFinite(value) ? null : Object.is(value, -0) ? 0 : value;
  }
  if (Array.isArray(value)) return value.map((item) => (item === undefined || typeof item === 'function' ? null : toFields(item)));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined || typeof item === 'function') continue;
    put(out, fieldName(name), toFields(item));
  }
  return out;
}

/** The JSON value stored fields stand for (what `toFields` was given, as JSON would carry it). */
export function fromFields(value: unknown): JsonValue {
  if (value === null || typeof value !== 'object') return value as JsonValue;
  if (Array.isArray(value)) return value.map(fromFields);
  const out: Record<string, JsonValue> = {};
  for (const [field, item] of Object.entries(value as Record<string, unknown>)) put(out, nameOfField(field), fromFields(item));
  return out;
}

/** Sets an own property, `__proto__` included (an assignment would set the prototype instead, as JSON.parse does not). */
function put(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** The stored fields of a document of `collection` (`toFields`, then each `PACKED` path as one JSON string). */
export function documentFields(collection: string, doc: object): Record<string, unknown> {
  const fields = toFields(doc) as Record<string, unknown>;
  for (const path of PACKED[collection] ?? []) {
    const parent = at(fields, path.slice(0, -1));
    const last = path[path.length - 1]!;
    if (parent && parent[last] !== undefined) parent[last] = JSON.stringify(parent[last]);
  }
  return fields;
}

/** The document stored fields of `collection` stand for (what `documentFields` was given, as JSON carries it). */
export function documentOf(collection: string, fields: Record<string, unknown>): JsonValue {
  const doc = fromFields(fields) as Record<string, JsonValue>;
  for (const path of PACKED[collection] ?? []) {
    const parent = at(doc, path.slice(0, -1));
    const last = path[path.length - 1]!;
    const text = parent?.[last];
    if (typeof text === 'string') parent![last] = JSON.parse(text) as JsonValue;
  }
  return doc;
}

/** The object at `path` inside `value`, if every step is an object. */
function at(value: Record<string, unknown>, path: readonly string[]): Record<string, unknown> | undefined {
  let current: unknown = value;
  for (const name of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current !== null && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : undefined;
}
