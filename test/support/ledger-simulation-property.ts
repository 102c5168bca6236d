/**
 * One decision core, two users: the ledger (on the memory store) and the simulation are driven with the same random
 * multi-year histories (orders, partial returns, events over their limits, once-ever, monthly and budget caps,
 * redemptions, adjustments into debt, expiry, birthdays, purchase anniversaries, referrals, tier changes), and after
 * every step every customer's balances, live lots, readable counters and tier must be equal (docs/architecture.md
 * "Decide, then apply"). The ledger also runs expiry sweeps and tier reviews, which the simulation does not: they
 * may record what the simulation leaves unrecorded, never change what either answers.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  compileProgram,
  counterSpan,
  customerDirectory,
  emptyAccountState,
  heldTier,
  parseProgram,
  ProgramSimulation,
  retentionPolicy,
  settle,
  utcInstant,
  viewPoints,
  type AccountState,
  type CompiledProgram,
  type CustomerInput,
  voucherStatus,
} from '@purna/rules';
import { getAccount } from '../../packages/ledger/src/account/account-store.js';
import { RedemptionRefused, RewardRefused, VoucherRefused } from '../../packages/ledger/src/errors.js';
import { Ledger } from '../../packages/ledger/src/ledger/ledger.js';
import { MemoryStore } from '../../packages/ledger/src/store/memory-store.js';

/** The toko shop's program, sized so that a few orders move tiers, caps and budgets, and lots expire within years. */
export const propertyProgram = {
  id: 'toko-property',
  name: 'Toko, sized for a property test',
  currency: 'IDR',
  timezone: 'Asia/Jakarta',
  points: { rounding: 'floor', pendingDays: 14, expiry: { months: 6 }, redemption: { pointValue: '100', minPoints: 50, maxShareOfOrder: '0.5' } },
  tiers: {
    basis: 'spend',
    exclude: { category: ['gift-card'] },
    window: { type: 'rolling', months: 6 },
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: '0', multiplier: '1' },
      { id: 'silver', name: 'Silver', threshold: '2000000', multiplier: '1.25' },
      { id: 'gold', name: 'Gold', threshold: '6000000', multiplier: '1.5' },
    ],
    downgrade: { graceMonths: 1 },
  },
  earning: [
    { id: 'base', name: '1 point per Rp10.000', scope: 'line', exclude: { category: ['gift-card'] }, award: { pointsPer: { amount: '10000', points: 1 } } },
    { id: 'tv-double', name: 'Double points on TVs', scope: 'line', when: { fact: 'line.category', op: 'eq', value: 'tv' }, award: { multiplier: '2' } },
    {
      id: 'big-basket',
      name: '200 points on orders of Rp3.000.000 or more, once a month',
      scope: 'order',
      when: { fact: 'order.total', op: 'gte', value: '3000000' },
      award: { points: 200 },
      cap: { perCustomer: { count: 1, period: { months: 1 } } },
    },
    {
      id: 'first-big',
      name: '500 points on the first order of Rp4.000.000 or more, once ever',
      scope: 'order',
      when: { fact: 'order.total', op: 'gte', value: '4000000' },
      award: { points: 500 },
      cap: { perCustomer: { count: 1 } },
    },
    { id: 'launch', name: '40 launch points per order, 300 in all', scope: 'order', award: { points: 40 }, cap: { budget: { points: 300 } } },
  ],
  events: [{ id: 'review', name: 'Product review', event: 'review.published', award: { points: 50 }, limit: { perCustomer: { count: 2, period: { months: 1 } } } }],
  referral: {
    referrer: { points: 500 },
    referee: { points: 250 },
    qualifying: { minOrderTotal: '1000000', withinDays: 90 },
    limit: { perReferrer: { count: 1, period: { years: 1 } } },
  },
  birthday: { award: { points: 300, byTier: { gold: 1000 } }, window: 'month', leapDay: 'feb28', minMembershipDays: 30 },
  anniversary: { award: { points: 200, byTier: { gold: 600 } }, window: 'month', minMembershipDays: 30 },
  // No refundOnExpiry: vouchers expire in the ledger's moments run, which this test does not run.
  rewards: [
    { id: 'voucher-20k', name: 'Rp20.000 voucher', cost: 300, kind: 'voucher', value: '20000', voucherDays: 120, limit: { perCustomer: { count: 1, period: { months: 1 } } } },
    { id: 'mug', name: 'Toko mug', cost: 800, kind: 'gift', sku: 'MUG', stock: 3, tiers: ['silver', 'gold'] },
  ],
};
const REWARDS = propertyProgram.rewards.map((r) => r.id);

const T0 = '2026-01-05T09:00:00+07:00';
const CUSTOMERS: CustomerInput[] = [
  { id: 'ayu', enrolledAt: T0, birthDate: '1990-03-14', referralCode: 'AYU-1', emailHash: 'e-ayu' },
  { id: 'budi', enrolledAt: T0, birthDate: '1988-07-02', referralCode: 'BUDI-1', emailHash: 'e-budi', referredBy: { code: 'AYU-1' } },
  { id: 'citra', enrolledAt: T0, birthDate: '1995-02-28', emailHash: 'e-citra', referredBy: { code: 'AYU-1' } },
];
const IDS = CUSTOMERS.map((c) => c.id);
const PRODUCTS = [
  { sku: 'TV-55', category: 'tv', unitPrice: '4500000' },
  { sku: 'PH-9', category: 'phone', unitPrice: '2500000' },
  { sku: 'MS-01', category: 'accessory', unitPrice: '250000' },
  { sku: 'GC-1', category: 'gift-card', unitPrice: '1000000' },
] as const;

type Step =
  | { kind: 'order'; who: number; lines: Array<{ product: number; quantity: number }> }
  | { kind: 'return'; pick: number; share: number }
  | { kind: 'event'; who: number }
  | { kind: 'redeem'; who: number; points: number }
  | { kind: 'adjust'; who: number; points: number }
  | { kind: 'reward'; who: number; reward: number }
  // A voucher issued so far (picked modulo their number) used on a new order, by its owner.
  | { kind: 'use'; pick: number }
  | { kind: 'birthdays' }
  // A purchase anniversary comes a year after the first order: this sweep first moves the clock up to 400 days on.
  | { kind: 'anniversaries'; days: number }
  | { kind: 'expiry' }
  | { kind: 'tier-review' };

const who = fc.integer({ min: 0, max: IDS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('order' as const), who, lines: fc.array(fc.record({ product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }), quantity: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('return' as const), pick: fc.nat(), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('event' as const), who }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redeem' as const), who, points: fc.integer({ min: 10, max: 3000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('adjust' as const), who, points: fc.integer({ min: -2000, max: 800 }).filter((n) => n !== 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reward' as const), who, reward: fc.integer({ min: 0, max: REWARDS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('use' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('birthdays' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('anniversaries' as const), days: fc.integer({ min: 0, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expiry' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tier-review' as const) }) },
);
/** Time between steps: minutes to two months (a history of 40 steps spans about two years). */
const gap = fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 60 * 24 * 60 }));
const history = (maxSteps: number) => fc.array(fc.tuple(gap, step), { minLength: 5, maxLength: maxSteps });

/** What must be equal between the two, as of `at`. */
function observe(compiled: CompiledProgram, state: AccountState, at: string): object {
  const policy = retentionPolicy(compiled);
  const now = Date.parse(at);
  const points = settle(state.points, at);
  const view = viewPoints(state.points, at);
  return {
    view,
    lots: points.lots
      .filter((lot) => lot.remaining > 0 && lot.expiresAt > at)
      .map((lot) => ({ id: lot.id, source: lot.source, remaining: lot.remaining, availableAt: lot.availableAt, expiresAt: lot.expiresAt }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    counters: state.usage
      .filter((c) => c.count !== 0 && Date.parse(c.at) + counterSpan(c.key, policy) >= now)
      .map((c) => ({ key: c.key, count: c.count }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
    tier: heldTier(compiled, state, at)?.tierId ?? null,
    orders: state.orders
      .filter((o) => policy.historyMs === undefined || Date.parse(o.placedAt) >= now - policy.historyMs)
      .map((o) => ({ id: o.id, tierSpend: o.tierSpend, points: o.points }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    // Codes differ (the ledger draws them at random); a voucher read back a year after it expired is left out (the
    // simulation records expiries as the moments run does and then forgets them, which this test's ledger does not).
    vouchers: (state.vouchers ?? [])
      .filter((v) => Date.parse(v.expiresAt) + (365 * 86_400_000) >= now)
      .map((v) => ({ redemptionId: v.redemptionId, rewardId: v.rewardId, points: v.points, expiresAt: v.expiresAt, status: voucherStatus(v, at), usedOn: v.used?.orderId ?? null }))
      .sort((a, b) => (a.redemptionId < b.redemptionId ? -1 : 1)),
  };
}

/** Runs `runs` random histories of up to `maxSteps` steps through both, comparing after every step. */
export async function checkLedgerAgainstSimulation(runs: number, maxSteps: number, seed?: number): Promise<void> {
  const compiled = compileProgram(parseProgram(propertyProgram));
  await fc.assert(
    fc.asyncProperty(history(maxSteps), async (steps) => {
      const store = new MemoryStore();
      const ledger = new Ledger(store);
      await ledger.publishProgram('t', propertyProgram);
      for (const customer of CUSTOMERS) await ledger.upsertCustomer('t', customer, { at: T0 });
      const simulation = new ProgramSimulation(compiled, { customers: customerDirectory(CUSTOMERS), returnDays: 100_000 });
      const orders: Array<{ id: string; customerId: string; lines: Array<{ sku: string; quantity: number }> }> = [];
      const vouchers: Array<{ redemptionId: string; customerId: string; code: string }> = [];
      let clock = Date.parse(utcInstant(T0, '/at'));
      let n = 0;
      for (const [minutes, s] of steps) {
        clock += minutes * 60_000;
        if (s.kind === 'anniversaries') clock += s.days * 86_400_000;
        const at = new Date(clock).toISOString();
        const id = `${s.kind}-${++n}`;
        switch (s.kind) {
          case 'order': {
            const lines = s.lines.map((l) => ({ ...PRODUCTS[l.product]!, quantity: l.quantity }));
            const order = { id, customerId: IDS[s.who]!, placedAt: at, currency: 'IDR', lines };
            await ledger.recordOrder('t', order, { at });
            simulation.add(order);
            // What is left to return, by sku (an order may list one product on several lines).
            const left = new Map<string, number>();
            for (const line of lines) left.set(line.sku, (left.get(line.sku) ?? 0) + line.quantity);
            orders.push({ id, customerId: order.customerId, lines: [...left].map(([sku, quantity]) => ({ sku, quantity })) });
            break;
          }
          case 'return': {
            const order = orders[s.pick % Math.max(orders.length, 1)];
            const lines = (order?.lines ?? []).map((l) => ({ sku: l.sku, quantity: Math.floor(l.quantity * s.share) })).filter((l) => l.quantity > 0);
            if (!order || lines.length === 0) break;
            for (const line of lines) order.lines.find((l) => l.sku === line.sku)!.quantity -= line.quantity;
            await ledger.returnOrder('t', order.id, { id, lines }, { at });
            simulation.add({ type: 'return', id, orderId: order.id, at, lines });
            break;
          }
          case 'event':
            await ledger.recordEvent('t', { id, customerId: IDS[s.who]!, type: 'review.published' }, { at });
            simulation.add({ type: 'event', id, customerId: IDS[s.who]!, event: 'review.published', at });
            break;
          case 'redeem': {
            const request = { id, customerId: IDS[s.who]!, orderId: `pay-${n}`, orderTotal: '1000000', points: s.points };
            await ledger.redeem('t', request, { at }).catch((error: unknown) => {
              if (!(error instanceof RedemptionRefused)) throw error;
            });
            simulation.add({ type: 'redemption', ...request, at });
            break;
          }
          case 'adjust':
            await ledger.adjust('t', { id, customerId: IDS[s.who]!, points: s.points, reason: 'correction', actor: 'simulation' }, { at });
            simulation.add({ type: 'adjustment', id, customerId: IDS[s.who]!, points: s.points, reason: 'correction', at });
            break;
          case 'reward': {
            const request = { id, customerId: IDS[s.who]!, rewardId: REWARDS[s.reward]! };
            try {
              const answer = await ledger.redeemReward('t', request, { at });
              vouchers.push({ redemptionId: id, customerId: request.customerId, code: answer.voucher.code });
            } catch (error) {
              if (!(error instanceof RewardRefused)) throw error;
            }
            simulation.add({ type: 'reward', ...request, at });
            break;
          }
          case 'use': {
            const voucher = vouchers[s.pick % Math.max(vouchers.length, 1)];
            if (!voucher) break;
            const use = { orderId: `use-${n}`, customerId: voucher.customerId };
            await ledger.useVoucher('t', voucher.code, use, { at }).catch((error: unknown) => {
              if (!(error instanceof VoucherRefused)) throw error;
            });
            simulation.add({ type: 'voucher-use', redemptionId: voucher.redemptionId, ...use, at });
            break;
          }
          case 'birthdays':
            await ledger.runBirthdaySweep('t', { at });
            for (const customerId of IDS) simulation.add({ type: 'birthday', customerId, at });
            break;
          case 'anniversaries':
            await ledger.runAnniversarySweep('t', { at });
            for (const customerId of IDS) simulation.add({ type: 'anniversary', customerId, at });
            break;
          case 'expiry':
            await ledger.runExpirySweep('t', { at });
            break;
          case 'tier-review':
            await ledger.runTierReview('t', { at });
            break;
        }
        for (const customerId of IDS) {
          const stored = (await getAccount(store, 't', customerId))?.doc ?? emptyAccountState();
          const simulated = simulation.account(customerId) ?? emptyAccountState();
          expect(observe(compiled, simulated, at), `${customerId} after step ${n} (${s.kind}) at ${at}`).to.deep.equal(observe(compiled, stored, at));
        }
      }
      await ledger.close();
    }),
    { numRuns: runs, ...(seed !== undefined ? { seed } : {}) },
  );
}
