/**
 * Autocomplete and hover docs from the program's JSON Schema (programSchemaDocument, the same one
 * /schemas/program.v1.json and editors read): the schema at a place of the text, found by following the path
 * jsonc-parser reads there through `properties`, `items`, `$ref` and the branches of `anyOf` / `oneOf`.
 */
import { programSchemaDocument } from '@purna/rules';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { getLocation, type Segment } from 'jsonc-parser';

/** The part of a JSON Schema the assistant reads. */
interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly title?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly prefixItems?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly additionalProperties?: boolean | SchemaNode;
}

const ROOT = programSchemaDocument() as unknown as SchemaNode;

function resolveRef(node: SchemaNode): SchemaNode {
  if (!node.$ref?.startsWith('#/')) return node;
  let target: unknown = ROOT;
  for (const token of node.$ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  return target === undefined ? node : resolveRef(target as SchemaNode);
}

/** The schema and every branch of its unions, references followed. */
function expand(node: SchemaNode, seen = new Set<SchemaNode>()): SchemaNode[] {
  const resolved = resolveRef(node);
  if (seen.has(resolved)) return [];
  seen.add(resolved);
  const branches = [...(resolved.anyOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.allOf ?? [])];
  return [resolved, ...branches.flatMap((b) => expand(b, seen))];
}

/**
 * The schemas that may describe the value at `path` (several where a union leaves it open).
 *
 * @example schemasAt(['points', 'rounding'])[0]?.enum // ['floor', 'round', 'ceil', …]
 */
export function schemasAt(path: readonly Segment[]): SchemaNode[] {
  let current = expand(ROOT);
  for (const segment of path) {
    const next: SchemaNode[] = [];
    for (const node of current) {
      if (typeof segment === 'number') {
        const item = node.prefixItems?.[segment] ?? node.items;
        if (item) next.push(...expand(item));
      } else {
        const property = node.properties?.[segment];
        if (property) next.push(...expand(property));
        else if (typeof node.additionalProperties === 'object') next.push(...expand(node.additionalProperties));
      }
    }
    current = next;
  }
  return current;
}

function typeOf(node: SchemaNode): string {
  if (node.type) return Array.isArray(node.type) ? node.type.join(' | ') : String(node.type);
  if (node.enum) return 'one of the listed values';
  return '';
}

/**
 * What the hover and the completion's info say about a schema: its description (the words parseProgram's messages
 * use: "… must be <description>"), else its type and allowed values; its default and an example.
 *
 * @example describeSchema(schemasAt(['points', 'rounding'])) // 'Must be one of floor, ceil, half-up, half-even. Default: "floor".'
 */
export function describeSchema(nodes: readonly SchemaNode[]): string | undefined {
  const described = nodes.find((n) => n.description !== undefined || n.title !== undefined) ?? nodes[0];
  if (!described) return undefined;
  const parts = described.title === undefined ? [] : [`${described.title}.`];
  if (described.description !== undefined) parts.push(`Must be ${described.description}.`);
  else {
    const type = typeOf(described);
    if (type) parts.push(`Type: ${type}.`);
    const values = nodes.flatMap((n) => n.enum ?? (n.const === undefined ? [] : [n.const]));
    if (values.length > 0) parts.push(`Allowed: ${values.map((v) => JSON.stringify(v)).join(', ')}.`);
  }
  if (described.default !== undefined) parts.push(`Default: ${JSON.stringify(described.default)}.`);
  if (described.examples && described.examples.length > 0) parts.push(`Example: ${JSON.stringify(described.examples[0])}.`);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function propertyCompletions(path: readonly Segment[]): Completion[] {
  const seen = new Set<string>();
  const options: Completion[] = [];
  for (const node of schemasAt(path)) {
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      if (seen.has(name)) continue;
      seen.add(name);
      const info = describeSchema(expand(property));
      options.push({ label: `"${name}"`, type: 'property', detail: node.required?.includes(name) ? 'required' : 'optional', ...(info ? { info } : {}), apply: `"${name}": ` });
    }
  }
  return options;
}

function valueCompletions(path: readonly Segment[]): Completion[] {
  const values = new Map<string, string>();
  for (const node of schemasAt(path)) {
    for (const value of [...(node.enum ?? []), ...(node.const === undefined ? [] : [node.const])]) values.set(JSON.stringify(value), 'value');
    if (node.default !== undefined) values.set(JSON.stringify(node.default), 'default');
    for (const example of node.examples ?? []) if (!values.has(JSON.stringify(example))) values.set(JSON.stringify(example), 'example');
    if (node.type === 'boolean') for (const b of ['true', 'false']) values.set(b, 'value');
  }
  return [...values].map(([label, detail]) => ({ label, detail, type: 'constant' }));
}

/**
 * The completion source: field names (with their docs) where a key goes, allowed values, defaults and examples
 * where a value goes.
 */
export function programCompletions(context: CompletionContext): CompletionResult | null {
  const text = context.state.doc.toString();
  const location = getLocation(text, context.pos);
  const word = context.matchBefore(/"?[\w$-]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const after = text.charAt(context.pos) === '"' ? 1 : 0;
  if (location.isAtPropertyKey) {
    const options = propertyCompletions(location.path.slice(0, -1));
    return options.length > 0 ? { from: word.from, to: context.pos + after, options, validFor: /^"?[\w$-]*$/ } : null;
  }
  const options = valueCompletions(location.path);
  return options.length > 0 ? { from: word.from, to: context.pos + after, options } : null;
}

/** What the hover says at a place: the field's path, its range in the text and its documentation. */
export interface HoverInfo {
  readonly from: number;
  readonly to: number;
  readonly path: string;
  readonly info: string;
}

/**
 * Hover docs: the documentation of the field or value at `pos` of `text`, or undefined where the schema says nothing.
 *
 * @example programHoverInfo('{"points": {"rounding": "floor"}}', 14)?.path // 'points.rounding'
 */
export function programHoverInfo(text: string, pos: number): HoverInfo | undefined {
  const location = getLocation(text, pos);
  if (location.path.length === 0) return undefined;
  const info = describeSchema(schemasAt(location.path));
  if (!info) return undefined;
  const node = location.previousNode;
  return { from: node?.offset ?? pos, to: node ? node.offset + node.length : pos, path: location.path.join('.'), info };
}
