/**
 * `node --conditions=purna-source --import tsx scripts/docs/program-reference.ts [--check]`
 *
 * Generates docs/program-reference.md from the program's JSON Schema (`ProgramSchema` of @purna/rules), so that the
 * reference can never disagree with what `parseProgram` accepts. `--check` exits 1 when the file is out of date
 * (test/docs/program-reference.test.ts does the same in `npm test`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROGRAM_SCHEMA_ID, ProgramSchema } from '@purna/rules';

/** The part of a JSON Schema node this generator reads. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly enum?: readonly unknown[];
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly title?: string;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
}

/** Where the reference is written, relative to the repository root. */
export const REFERENCE_PATH = 'docs/program-reference.md';

/** A sentence or two for sections whose schema description alone says too little. Checked against the schema. */
const SECTION_NOTES: Readonly<Record<string, string>> = {
  points:
    'How points are rounded (once per evaluation), when they become available, when they expire and what a point is worth at redemption. ' +
    'With `pendingFrom: "delivery"` an order\'s points stay pending, with no date, until its first delivery (`POST /v1/orders/{orderId}/deliveries`), and the `pendingDays` start then: set them to `returns.windowDays` and the points become spendable when the order can no longer be returned. ' +
    'Referral points stay pending from the purchase. A simulation (`POST /v1/program/simulate`, `purna simulate`) records no deliveries, so points pending from delivery stay pending in it.',
  tiers: 'Levels a customer climbs by what they spent (or earned, or ordered) over a window. Upgrades are immediate; a downgrade waits for the grace period.',
  'tiers.levels[]': 'Order levels by threshold; the lowest usually has threshold "0". A level\'s multiplier applies to everything an order earns.',
  'tiers.levels[].perks[]':
    'What members of the tier get besides points, each `{ "id", "kind", "name"? }` with the fields of its kind: `free-shipping` (`minOrderTotal`?: the order total, shipping included, from which the shipping lines are made free; `shippingLines`?: which lines are shipping, default `{"category": ["shipping"]}`), `early-access` (`hours`: earning rules with `valid.earlyAccess` open that many hours before their `valid.from` for the tier held before the order), `discount` (`percent` off each line `appliesTo` matches, rounded down to the cent per line), `birthday-gift` (`sku`), `warranty-extra-months` (`months`) and `warranty-plan-discount` (`fraction`), which are the same figures as `benefits.warrantyExtraMonths` and `benefits.warrantyPlanDiscount` (a tier giving one in both places must give the same value). ' +
    'Ids are unique within a tier; a tier has at most one perk of each kind but `discount` and `birthday-gift`. `GET /v1/customers/{id}` lists the perks of the tier held (warranty benefits included); a quote lists the free-shipping and discount perks with what they take off the order ([perks and rewards](perks-and-rewards.md)).',
  'earning[]': 'Rules valid at the order time whose `when` holds all contribute unless a higher-priority `exclusive` rule applied. Line `pointsPer` rules earn per line; `multiplier` rules multiply what matching lines earned; order rules add fixed points. The sum is multiplied by the tier multiplier and rounded once.',
  'earning[].award': 'Exactly one of the three keys.',
  'earning[].cap': 'Caps count applications per customer in calendar periods of the program\'s time zone; a fully returned order gives its application back.',
  'events[]': 'Points for things customers do besides buying (a review, a survey), deduplicated by event id and limited per period.',
  referral: 'Both sides earn when the referee\'s first order qualifies; the points are pending like order points.',
  birthday: 'Granted once per calendar year by an idempotent sweep, inside the window around the birthday in the customer\'s time zone.',
  warranty: 'Extended-warranty plans offered after a purchase; the eligibility check answers every plan with every reason.',
  'warranty.plans[]':
    'Give exactly one of `purchaseWindowDays` (the plan can be bought that many days after the purchase, both days included) and `purchaseWindow` (`{"until": "manufacturer-end"}`: until the last day of the unit\'s manufacturer warranty, purchase date + its months); `purchase-window-ended` names which. Without `maxProductPrice` there is no price cap. Claims are decided per component: the manufacturer through the last day of its term, then the plan unless it excludes the component. A contract whose unit is returned is cancelled with the refund `cancellation` names (`pro-rata` when absent).',
  'warranty.plans[].cancellation':
    '`pro-rata` refunds price × the days of the plan\'s own cover of the unit left on the day of the return ÷ its days, rounded down to the cent (all of it before the plan starts, nothing after it ended); `full` refunds the price.',
  moments: 'When the time-based moments a CRM acts on fall due. "N days before" or "after" an instant is the same local time N calendar days earlier or later in the program\'s time zone. Several lead times give one moment each (a lot expiring gets a reminder 30 days and another 7 days before). A kind without lead times here is not emitted.',
  returns:
    'The return window as policy: a return more than `windowDays` after `from` is refused with 422 and the reason `return-window-ended`. `from: "delivery"` counts from the order\'s first delivery, or from its purchase while it has none; `from: "purchase"` (the default) from the purchase. ' +
    'The window ends at the same local time `windowDays` calendar days later, in the program\'s zone; an order keeps the window of the program version it was sold under. ' +
    'An admin-scope key may send `override: { "reason" }` with a late return to take it all the same; the reason is recorded on the return. Cancelling an order before delivery is not a return and needs no window.',
  goodwill: 'The reasons support staff may compensate a customer for (`POST /v1/goodwill`). A reason\'s `maxPoints` binds every key; only an admin key sending `override: { reason }` grants more, and the override is recorded. `limit.perCustomer` counts a customer\'s grants and `budget` the points granted to all customers, both in calendar periods of the program\'s time zone; refusals count toward neither. Goodwill points are available at once. Every refusal names every reason (`unknown-reason`, `over-reason-maximum`, `override-not-allowed`, `customer-limit-reached`, `budget-exhausted`, `unknown-reward`). A grant may be a reward of the catalog instead of points (`rewardId`): its voucher is issued without points, and its cost counts toward the reason\'s maximum and the budget.',
  'rewards[]':
    'A reward of the catalog members spend points on (docs/perks-and-rewards.md). `cost` is debited like a redemption (available points only, soonest-expiring lots first, never while the balance is negative). Every kind issues a single-use voucher code bound to the customer: `voucher` (money off: `value` or `percent`, exactly one), `free-shipping`, `gift` (`sku`). `stock` is shared by all customers and never oversold; `tiers` says who may redeem it; `limit.perCustomer` counts successful redemptions in calendar periods of the program\'s zone; `valid` is when it can be redeemed. The voucher expires `voucherDays` (default 30) after the redemption, the same local time that many calendar days later; an unused voucher that expires gives its points back only with `refundOnExpiry: true`.',
  condition: 'Conditions nest: `all`, `any` and `not` over leaves `{ "fact", "op", "value" }`. Numbers compare as decimals and instants as instants, never as text.',
};

interface Section {
  readonly path: string;
  readonly anchor: string;
  readonly node: SchemaNode;
}

function anchorOf(path: string): string {
  return path.replace(/\[\]/g, '-item').replace(/[^a-zA-Z0-9-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'program';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function isObjectNode(node: SchemaNode): boolean {
  return node.properties !== undefined;
}

/** Walks the schema and answers one section per distinct object schema (first path wins, later uses link to it). */
function collectSections(root: SchemaNode): Section[] {
  const sections: Section[] = [];
  const seen = new Map<SchemaNode, Section>();
  const visit = (path: string, node: SchemaNode): void => {
    if (seen.has(node)) return;
    if (isObjectNode(node)) {
      const section = { path, anchor: anchorOf(path), node };
      seen.set(node, section);
      sections.push(section);
      for (const [key, child] of Object.entries(node.properties ?? {})) visit(path === '' ? key : `${path}.${key}`, child);
    }
    if (node.items) visit(`${path}[]`, node.items);
  };
  visit('', root);
  for (const [name, def] of Object.entries(root.$defs ?? {})) visit(name, def);
  return sections;
}

/** The schema's `default` and `examples`, which editors offer too, as a tail of the field's description. */
function annotations(node: SchemaNode): string {
  const parts: string[] = [];
  if (node.default !== undefined) parts.push(`left out: \`${JSON.stringify(node.default)}\``);
  if (node.examples && node.examples.length > 0) parts.push(`for example ${node.examples.map((example) => `\`${JSON.stringify(example)}\``).join(', ')}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/** What a field takes, with a link when it is an object (or a list of objects) described in its own section. */
function describeField(node: SchemaNode, sections: readonly Section[], conditionAnchor: string): string {
  const link = (target: SchemaNode): string | undefined => {
    const section = sections.find((s) => s.node === target);
    return section ? `[\`${section.path}\`](#${section.anchor})` : undefined;
  };
  const description = `${node.description ?? ''}${annotations(node)}`;
  if (node.$ref !== undefined) return `a condition, see [conditions](#${conditionAnchor})`;
  if (node.items?.$ref !== undefined) return `${description}, see [conditions](#${conditionAnchor})`;
  const own = link(node);
  if (own) return `${description}, see ${own}`;
  const item = node.items ? link(node.items) : undefined;
  if (item) return `${description}, each as in ${item}`;
  return description;
}

function typeOf(node: SchemaNode): string {
  if (node.$ref !== undefined) return 'condition';
  if (node.enum) return 'text';
  const types: readonly string[] = typeof node.type === 'string' ? [node.type] : (node.type ?? []);
  const names: Readonly<Record<string, string>> = { string: 'text', integer: 'whole number', number: 'number', boolean: 'true/false', array: 'list', object: 'object' };
  return types.map((t) => names[t] ?? t).join(' or ') || 'any';
}

function renderSection(section: Section, sections: readonly Section[], conditionAnchor: string): string {
  const { node, path } = section;
  const heading = path === '' ? 'The program' : `\`${path}\``;
  const lines = [`<a id="${section.anchor}"></a>`, '', `## ${heading}`, ''];
  if (node.description) lines.push(`${node.description.charAt(0).toUpperCase()}${node.description.slice(1)}.`, '');
  const note = SECTION_NOTES[path];
  if (note) lines.push(note, '');
  const oneOf = node.minProperties === 1 && node.maxProperties === 1;
  if (oneOf) lines.push('Give exactly one of these fields.', '');
  lines.push('| field | required | type | what it takes |', '| --- | --- | --- | --- |');
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    lines.push(`| \`${key}\` | ${required.has(key) ? 'yes' : 'no'} | ${typeOf(child)} | ${escapeCell(describeField(child, sections, conditionAnchor))} |`);
  }
  if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
    const extra = typeof node.additionalProperties === 'object' ? typeOf(node.additionalProperties) : 'any';
    lines.push('', `Other keys are kept as they are (each a ${extra}), for benefits Purna does not compute itself.`);
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * The whole reference as Markdown.
 *
 * @example
 * await writeFile('docs/program-reference.md', renderProgramReference());
 */
export function renderProgramReference(schema: SchemaNode = ProgramSchema): string {
  const sections = collectSections(schema);
  for (const path of Object.keys(SECTION_NOTES)) {
    if (!sections.some((s) => s.path === path)) throw new Error(`SECTION_NOTES mentions "${path}", which the program schema no longer has`);
  }
  const conditionAnchor = sections.find((s) => s.path === 'condition')?.anchor ?? 'condition';
  const toc = sections.map((s) => `- [${s.path === '' ? 'The program' : `\`${s.path}\``}](#${s.anchor})`);
  return [
    '<!-- Generated by scripts/docs/program-reference.ts from the JSON Schema of @purna/rules. Do not edit by hand: run',
    '     `node --conditions=purna-source --import tsx scripts/docs/program-reference.ts`. A test fails when it is stale. -->',
    '',
    '# Program reference',
    '',
    `Every field a program file may contain, generated from its JSON Schema (draft 2020-12, \`$id\` \`${PROGRAM_SCHEMA_ID}\`).`,
    'The `$id` names the schema; the schema itself is `packages/rules/schema/program.schema.json` in this repository',
    '(`@purna/rules/program.schema.json` in the package) and `/schemas/program.v1.json` on every Purna API. An editor',
    'that understands JSON Schema autocompletes a program, shows each field\'s description and default, and marks errors',
    'as you type, once it finds the schema. Give the program a `"$schema"` the editor can load, such as',
    '`"http://localhost:3000/schemas/program.v1.json"` (your server) or a relative path to the file; or, in VS Code in',
    'this repository, leave `"$schema"` out of a `*.program.json` file and `.vscode/settings.json` maps it to the file.',
    'An editor takes a file\'s own `"$schema"` first and downloads it, and nothing answers at the `$id`\'s host, so a',
    'program that carries the `$id` as its `"$schema"` (the examples do) is checked by `purna validate`, not by the editor.',
    '[rules.md](rules.md) "The program and its schema" says why.',
    '`purna validate program.json` checks a file against this schema and the rules the schema cannot',
    'express (unique ids, thresholds in order, exactly one award), each error with its line, column and JSON pointer.',
    '',
    'Money is always a decimal string in the program\'s currency (`"10000"`, `"0.5"`), never a JSON number; points are',
    'whole numbers; instants are ISO 8601 with an offset (`"2026-12-01T00:00:00+07:00"`); calendar periods (day, month,',
    'year) are taken in the program\'s time zone. See [concepts](concepts.md) for what each part means, and',
    '[recipes](recipes/) for complete programs.',
    '',
    ...toc,
    '',
    ...sections.map((s) => renderSection(s, sections, conditionAnchor)),
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const target = fileURLToPath(new URL(`../../${REFERENCE_PATH}`, import.meta.url));
  const rendered = renderProgramReference();
  if (argv.includes('--check')) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current === rendered) return 0;
    process.stderr.write(`${REFERENCE_PATH} is out of date: run node --conditions=purna-source --import tsx scripts/docs/program-reference.ts\n`);
    return 1;
  }
  await writeFile(target, rendered);
  process.stderr.write(`wrote ${REFERENCE_PATH}\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
