/**
 * Each moment type's `data` schema (packages/ledger/src/contract/moment-data.ts) against real moments: a year of the
 * moments scenario (test/scenarios/moments-year.scenario.json) through the ledger on the memory store, plus an
 * adjustment, two goodwill grants and rewards, emits every type the engine emits today; each moment must match the body the OpenAPI document gives its
 * type's webhook, and the feed's `Moment`. A field the code emits and the schema lacks fails here, as does a type
 * emitted without a schema, a schema no real moment exercises, and a schema field docs/moments.md does not name.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { MOMENT_DATA_SCHEMAS, type MomentAnswer } from '@purna/ledger';
import { MOMENT_TYPES, type MomentType } from '@purna/rules';
import { loadScenario, runScenario } from '../../scripts/scenario/scenario.js';
import { ledgerTarget } from '../../scripts/scenario/targets/ledger.js';
import { buildOpenApiDocument } from '../src/openapi/document.js';
import { momentWebhooks } from '../src/openapi/moment-webhooks.js';
import { DocumentValidators, documentRef } from '../src/openapi/validator.js';
import { apiOperations } from '../src/routes/api-operations.js';
import { systemOperations } from '../src/routes/system-operations.js';
import { COMPONENT_SCHEMAS } from '../src/schemas/components.js';
import { ProblemSchema } from '../src/schemas/problem-schema.js';

const SCENARIO = new URL('../../test/scenarios/moments-year.scenario.json', import.meta.url).pathname;
const DOCS = new URL('../../docs/moments.md', import.meta.url);

const validators = new DocumentValidators(
  buildOpenApiDocument([...systemOperations(() => ({})), ...apiOperations()], COMPONENT_SCHEMAS, { title: 't', version: '1', description: 'd' }, ProblemSchema, momentWebhooks()),
);
/** The problems of `moment` against the body of its type's webhook, as the document publishes it. */
const asWebhookBody = (type: MomentType) => validators.schema(documentRef('webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema'));
const asFeedMoment = validators.schema(documentRef('components', 'schemas', 'Moment'));

const schemaTypes = (): MomentType[] => MOMENT_TYPES.filter((type) => MOMENT_DATA_SCHEMAS[type] !== undefined);

/** What `fieldNames` reads of a schema, or of a payload's outline. */
interface Outline {
  readonly [keyword: string]: unknown;
  readonly properties?: Readonly<Record<string, Outline>>;
  readonly items?: Outline;
  readonly anyOf?: readonly Outline[];
}

/** Every property name under `schema` (nested objects, array items, nullable branches), but not `balanceAfter`'s own. */
function fieldNames(node: Outline, into = new Set<string>()): Set<string> {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    into.add(name);
    if (name !== 'balanceAfter') fieldNames(child, into);
  }
  if (node.items) fieldNames(node.items, into);
  for (const branch of node.anyOf ?? []) fieldNames(branch, into);
  return into;
}

/** A year of real moments: the scenario's, every customer's, in commit order. */
async function yearOfMoments(): Promise<MomentAnswer[]> {
  const scenario = loadScenario(SCENARIO);
  const target = ledgerTarget('memory');
  // The scenario closes its target at the end; the moments are read first, then it is closed here.
  const reports = await runScenario(scenario, { ...target, close: async () => {} });
  try {
    expect(reports.filter((r) => r.status !== 'pass'), 'the scenario itself passes').to.deep.equal([]);
    const ledger = target.ledger();
    // The one source of points.awarded the year has none of.
    await ledger.adjust('default', { id: 'adj-1', customerId: 'ayu', points: 100, reason: 'a late delivery', actor: 'agent-7' }, { at: '2027-02-12T10:00:00+07:00' });
    // Goodwill, which the scenario has none of: one tied to a case, one an admin grants past its reason's maximum.
    await ledger.grantGoodwill('default', { id: 'gw-1', customerId: 'ayu', caseId: 'case-1', reason: 'late-delivery', points: 200, actor: 'agent-7' }, { at: '2027-02-12T11:00:00+07:00' });
    await ledger.grantGoodwill('default', { id: 'gw-2', customerId: 'ayu', reason: 'cancelled-by-shop', points: 1500, override: { reason: 'cancelled twice' }, actor: 'admin-1' }, { at: '2027-02-12T12:00:00+07:00', mayOverride: true });
    await afterTheSale(ledger);
    // A tier assigned by hand (tier.changed with cause manual), which the year has none of.
    const top = ((await ledger.getProgram('default')).program as { tiers: { levels: Array<{ id: string }> } }).tiers.levels.at(-1)!.id;
    await ledger.assignTier('default', { customerId: 'citra', tierId: top, until: '2027-12-31T00:00:00+07:00', reason: 'status match', actor: 'admin-1' }, { at: '2027-02-13T10:00:00+07:00' });
    const customers = [...new Set(scenario.steps.filter((s) => s.op === 'customer.upsert').map((s) => String(s.input.id)))];
    const moments: MomentAnswer[] = [];
    for (const customerId of customers) moments.push(...(await ledger.listMoments('default', { customerId, limit: 500 })).items);
    return moments;
  } finally {
    await target.close();
  }
}

/**
 * The moments of orders after the sale, which the year's program does not ask for: under a new version whose points
 * wait for delivery and whose returns have a window, an order delivered (order.delivered, its follow-up.due) and
 * returned late with an override (return.recorded), and an order cancelled with its redemption (order.cancelled,
 * redemption.cancelled); rewards of each kind redeemed (reward.redeemed), their vouchers used on that order
 * (voucher.used), released by its cancellation (`vouchersReleased`) and left to expire (voucher.expired).
 */
async function afterTheSale(ledger: ReturnType<ReturnType<typeof ledgerTarget>['ledger']>): Promise<void> {
  const current = (await ledger.getProgram('default')).program as Record<string, unknown>;
  const rewards = [
    { id: 'voucher-50k', name: 'Rp50.000 voucher', cost: 100, kind: 'voucher', value: '50000', voucherDays: 7 },
    { id: 'ten-percent', name: '10% off', cost: 100, kind: 'voucher', percent: '10', voucherDays: 7 },
    { id: 'tote', name: 'Tote bag', cost: 100, kind: 'gift', sku: 'TOTE', voucherDays: 7, refundOnExpiry: true },
  ];
  await ledger.publishProgram('default', { ...current, points: { ...(current.points as object), pendingFrom: 'delivery' }, returns: { windowDays: 30, from: 'delivery' }, rewards });
  const line = { sku: 'CASE-1', category: 'accessory', quantity: 1, unitPrice: '1000000' };
  await ledger.recordOrder('default', { id: 'o-after-1', customerId: 'ayu', currency: 'IDR', lines: [line] }, { at: '2027-03-01T10:00:00+07:00' });
  await ledger.deliverOrder('default', 'o-after-1', { id: 'd-after-1' }, { at: '2027-03-02T10:00:00+07:00' });
  await ledger.runMomentsJob('default', { at: '2027-03-10T00:00:00+07:00' });
  await ledger.returnOrder('default', 'o-after-1', { id: 'r-after-1', lines: [{ sku: 'CASE-1', quantity: 1 }], override: { reason: 'agreed by the manager' } }, { at: '2027-04-15T10:00:00+07:00' });
  await ledger.adjust('default', { id: 'adj-after', customerId: 'ayu', points: 500, reason: 'seed', actor: 'agent-7' }, { at: '2027-04-15T10:00:00+07:00' });
  await ledger.recordOrder('default', { id: 'o-after-2', customerId: 'ayu', currency: 'IDR', lines: [line] }, { at: '2027-04-16T10:00:00+07:00' });
  await ledger.redeem('default', { id: 'rd-after-1', customerId: 'ayu', orderId: 'o-after-2', orderTotal: '1000000', points: 100 }, { at: '2027-04-16T10:05:00+07:00' });
  for (const reward of rewards) {
    const { voucher } = await ledger.redeemReward('default', { id: `rr-${reward.id}`, rewardId: reward.id, customerId: 'ayu' }, { at: '2027-04-16T10:06:00+07:00' });
    await ledger.useVoucher('default', voucher.code, { orderId: 'o-after-2', customerId: 'ayu' }, { at: '2027-04-16T10:07:00+07:00' });
  }
  await ledger.cancelOrder('default', 'o-after-2', { id: 'c-after-1', reason: 'out-of-stock' }, { at: '2027-04-17T10:00:00+07:00' });
  // Goodwill may grant a reward instead of points (goodwill.granted with rewardId and voucher).
  // One of each kind, two a month (the program's limit per customer).
  await ledger.grantGoodwill('default', { id: 'gw-reward', customerId: 'ayu', reason: 'late-delivery', rewardId: 'tote', actor: 'agent-7' }, { at: '2027-04-17T11:00:00+07:00' });
  await ledger.grantGoodwill('default', { id: 'gw-reward-2', customerId: 'ayu', reason: 'late-delivery', rewardId: 'voucher-50k', actor: 'agent-7' }, { at: '2027-04-17T12:00:00+07:00' });
  await ledger.grantGoodwill('default', { id: 'gw-reward-3', customerId: 'ayu', reason: 'late-delivery', rewardId: 'ten-percent', actor: 'agent-7' }, { at: '2027-05-17T12:00:00+07:00' });
  // Released by the cancellation and never used again: each expires 7 days after its redemption.
  await ledger.runMomentsJob('default', { at: '2027-05-01T00:00:00+07:00' });
}

describe('moment data schemas', () => {
  let moments: MomentAnswer[] = [];

  before(async function () {
    this.timeout(60_000);
    moments = await yearOfMoments();
  });

  it('every real moment matches the webhook body of its type and the feed Moment', () => {
    expect(moments.length).to.be.greaterThan(40);
    for (const moment of moments) {
      const where = `${moment.type} ${JSON.stringify(moment.data)}`;
      expect(asWebhookBody(moment.type)(moment), where).to.deep.equal([]);
      expect(asFeedMoment(moment), where).to.deep.equal([]);
    }
  });

  it('every type emitted has a schema of its own, and every schema is exercised by a real moment', () => {
    expect([...new Set(moments.map((m) => m.type))].sort()).to.deep.equal(schemaTypes().sort());
  });

  it('every field of every schema appears in a real moment (no field the code does not emit)', () => {
    for (const type of schemaTypes()) {
      const seen = new Set<string>();
      for (const moment of moments.filter((m) => m.type === type)) fieldNames(outline(moment.data), seen);
      expect([...fieldNames(MOMENT_DATA_SCHEMAS[type] ?? {})].filter((name) => !seen.has(name)), type).to.deep.equal([]);
    }
    expect(moments.filter((m) => m.type === 'points.awarded').map((m) => m.data.source)).to.include.members(['order', 'event', 'referral', 'adjustment']);
  });

  it('refuses a moment whose data drifts: an unknown field, a missing one, a mistyped one, another type\'s data', () => {
    const byType = (type: MomentType): MomentAnswer => moments.find((m) => m.type === type) as MomentAnswer;
    const awarded = byType('points.awarded');
    expect(asWebhookBody('points.awarded')({ ...awarded, data: { ...awarded.data, bonus: 1 } })).to.deep.include({
      in: 'body',
      pointer: '/data/bonus',
      message: 'is not a known field (unknown fields are refused, not ignored)',
      code: 'additionalProperties',
    });
    const { lines: _lines, ...noLines } = byType('return.recorded').data;
    expect(asWebhookBody('return.recorded')({ ...byType('return.recorded'), data: noLines }).map((e) => e.pointer)).to.deep.equal(['/data/lines']);
    const offer = byType('warranty.offer');
    expect(asWebhookBody('warranty.offer')({ ...offer, data: { ...offer.data, unitPrice: 6000000 } }).map((e) => e.pointer)).to.deep.equal(['/data/unitPrice']);
    expect(asWebhookBody('points.awarded')({ ...awarded, data: { ...awarded.data, balanceAfter: { available: 1, pending: 0, debt: 0, redeemed: 0 } } }).map((e) => e.pointer)).to.deep.equal([
      '/data/balanceAfter/redeemed',
    ]);
    expect(asWebhookBody('tier.changed')(byType('tier.changed'))).to.deep.equal([]);
    expect(asWebhookBody('points.awarded')(byType('tier.changed'))).to.not.deep.equal([]);
  });

  it("docs/moments.md names every field of each schema in its type's row of \"Types built so far\"", () => {
    const text = readFileSync(DOCS, 'utf8');
    const section = text.slice(text.indexOf('## Types built so far'), text.indexOf('\n## ', text.indexOf('## Types built so far') + 1));
    const rows = new Map<string, Set<string>>();
    for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
      const [types = '', , fields = ''] = line.slice(1).split(' | ');
      // Every word inside the code spans of the fields cell: `plans: [{ planId, name }]` names plans, planId and name.
      const named = new Set([...fields.matchAll(/`([^`]+)`/g)].flatMap((m) => (m[1] ?? '').match(/[A-Za-z]+/g) ?? []));
      for (const [, type] of types.matchAll(/`([^`]+)`/g)) if (type) rows.set(type, named);
    }
    for (const type of schemaTypes()) {
      const named = rows.get(type);
      expect(named, `a row for ${type}`).to.not.equal(undefined);
      const missing = [...fieldNames(MOMENT_DATA_SCHEMAS[type] ?? {})].filter((name) => name !== 'balanceAfter' && !named?.has(name));
      expect(missing, `${type}: fields the doc does not name`).to.deep.equal([]);
    }
  });
});

/** A real payload's outline, so `fieldNames` reads the names it carries (nested ones too). */
function outline(value: unknown): Outline {
  if (Array.isArray(value)) return { items: { properties: Object.assign({}, ...value.map((v) => outline(v).properties ?? {})) as Record<string, Outline> } };
  if (typeof value === 'object' && value !== null) return { properties: Object.fromEntries(Object.entries(value).map(([key, child]) => [key, outline(child)])) };
  return {};
}
