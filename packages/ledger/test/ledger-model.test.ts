/**
 * Model-based test: random sequences of earn, return (late ones refused, or taken with an override), redeem (tied
 * to an order or not), order cancellation (releasing its redemptions), redemption cancellation, adjust, event, time
 * jumps, expiry sweeps, replays and reads, checked after every step against a small independent model of lots and
 * debt (SEMANTICS 5-7 with the simple program: 1 point per IDR, available at once, 12-month expiry, 1 point = 1 IDR,
 * and a 30-day return window from purchase).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { RedemptionRefused, ReturnRefused } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import type { Store } from '../src/store/store.js';
import { simpleProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

type Command =
  | { kind: 'earn'; qty: number; price: number }
  | { kind: 'return'; pick: number; qty: number; override: boolean }
  | { kind: 'redeem'; points: number; tie: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'unredeem'; pick: number }
  | { kind: 'adjust'; points: number }
  | { kind: 'event' }
  | { kind: 'jump' }
  | { kind: 'age'; pick: number }
  | { kind: 'expire' }
  | { kind: 'replay'; pick: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('earn' as const), qty: fc.integer({ min: 1, max: 4 }), price: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('return' as const), pick: fc.nat(), qty: fc.integer({ min: 1, max: 4 }), override: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 150 }), tie: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unredeem' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: -80, max: 80 }).filter((n) => n !== 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('event' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('jump' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('age' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);

/** The return window of the program below: 30 days after purchase. */
const WINDOW_DAYS = 30;
const program = { ...simpleProgram, returns: { windowDays: WINDOW_DAYS, from: 'purchase' } };

type ModelLot = { id: string; remaining: number; expiresAt: DateTime };

/** The model: lots in creation order (which is also soonest-expiring order: every lot lives 12 months). */
class Model {
  lots: ModelLot[] = [];
  debt = 0;
  redeemed = 0;
  expired = 0;
  orders = new Map<string, { qty: number; price: number; returned: number; lotId: string; placedAt: DateTime; cancelled: boolean }>();
  /** Accepted redemptions: the order they are tied to, what they took from which lot, and their cancellation's answer. */
  redemptions = new Map<string, { orderId: string; taken: Array<{ lot: ModelLot; points: number }>; cancelled?: { restored: number; expired: number } }>();

  credit(id: string, points: number, at: DateTime): void {
    const paid = Math.min(this.debt, points);
    this.debt -= paid;
    this.lots.push({ id, remaining: points - paid, expiresAt: at.plus({ months: 12 }) });
  }

  take(points: number, first?: string): Array<{ lot: ModelLot; points: number }> {
    let left = points;
    const taken: Array<{ lot: ModelLot; points: number }> = [];
    const order = first ? [...this.lots.filter((l) => l.id === first), ...this.lots.filter((l) => l.id !== first)] : this.lots;
    for (const lot of order) {
      const n = Math.min(left, lot.remaining);
      if (n > 0) taken.push({ lot, points: n });
      lot.remaining -= n;
      left -= n;
    }
    this.debt += left;
    return taken;
  }

  /**
   * A redemption cancelled at `at`: each point back into its own lot, with its expiry; points whose lot has expired
   * since come back expired. Nothing repays the debt (the lots had settled before).
   */
  restore(redemptionId: string, at: DateTime): { restored: number; expired: number } {
    const redemption = this.redemptions.get(redemptionId);
    if (!redemption) throw new Error(`no redemption ${redemptionId}`);
    let restored = 0;
    let expired = 0;
    for (const { lot, points } of redemption.taken) {
      if (lot.expiresAt <= at) expired += points;
      else {
        lot.remaining += points;
        restored += points;
      }
    }
    this.redeemed -= restored + expired;
    this.expired += expired;
    redemption.cancelled = { restored, expired };
    return redemption.cancelled;
  }

  get available(): number {
    return Math.max(0, this.lots.reduce((s, l) => s + l.remaining, 0) - this.debt);
  }

  get balance(): number {
    return this.lots.reduce((s, l) => s + l.remaining, 0) - this.debt;
  }

  /** Lots whose 12 months are over at `at` expire with what is left of them. */
  expireUpTo(at: DateTime): void {
    for (const lot of this.lots) if (lot.expiresAt <= at) this.expired += lot.remaining;
    this.lots = this.lots.filter((lot) => lot.expiresAt > at);
  }
}

interface Sent {
  run: () => Promise<unknown>;
  first: unknown;
}

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    const answer = (await run()) as Record<string, unknown>;
    const { replayed: _replayed, ...rest } = answer;
    return rest;
  } catch (error) {
    if (error instanceof RedemptionRefused || error instanceof ReturnRefused) return { refused: error.reasons.map((r) => r.code) };
    throw error;
  }
}

async function sumOfEntries(ledger: Ledger, at: string): Promise<number> {
  let sum = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await ledger.listTransactions('t', 'ayu', { at, limit: 200, ...(cursor ? { cursor } : {}) });
    sum += page.items.reduce((s, e) => s + e.points, 0);
    if (!page.nextCursor) return sum;
    cursor = page.nextCursor;
  }
}

async function play(store: Store, commands: Command[]): Promise<void> {
  const ledger = new Ledger(store);
  await ledger.publishProgram('t', program);
  await ledger.upsertCustomer('t', { id: 'ayu', enrolledAt: '2026-01-01T00:00:00Z' }, { at: '2026-01-01T00:00:00Z' });
  const model = new Model();
  let clock: DateTime = DateTime.fromISO('2026-01-01T00:00:00Z', { zone: 'UTC' });
  const sent: Sent[] = [];
  let n = 0;
  for (const cmd of commands) {
    clock = clock.plus({ minutes: 1 });
    model.expireUpTo(clock);
    const at = clock.toISO() ?? '';
    const k = ++n;
    switch (cmd.kind) {
      case 'earn': {
        const id = `o-${k}`;
        const run = () => ledger.recordOrder('t', { id, customerId: 'ayu', placedAt: at, currency: 'IDR', lines: [{ sku: 'S', quantity: cmd.qty, unitPrice: String(cmd.price) }] }, { at });
        const first = await outcome(run);
        expect(first).to.have.property('awarded', cmd.qty * cmd.price);
        model.orders.set(id, { qty: cmd.qty, price: cmd.price, returned: 0, lotId: `order:${id}#0`, placedAt: clock, cancelled: false });
        model.credit(`order:${id}#0`, cmd.qty * cmd.price, clock);
        sent.push({ run, first });
        break;
      }
      case 'return': {
        const open = [...model.orders.entries()].filter(([, o]) => o.returned < o.qty);
        if (open.length === 0) continue;
        const [orderId, order] = open[cmd.pick % open.length] as [string, NonNullable<ReturnType<Model['orders']['get']>>];
        const qty = 1 + ((cmd.qty - 1) % (order.qty - order.returned));
        const override = cmd.override ? { override: { reason: 'agreed by the manager' } } : {};
        const run = () => ledger.returnOrder('t', orderId, { id: `r-${k}`, lines: [{ sku: 'S', quantity: qty }], ...override }, { at });
        const first = await outcome(run);
        sent.push({ run, first });
        // After the window (30 days after purchase, the last instant still in it) only an override takes it.
        if (clock > order.placedAt.plus({ days: WINDOW_DAYS }) && !cmd.override) {
          expect(first).to.deep.equal({ refused: ['return-window-ended'] });
          break;
        }
        // What the order earned minus what it earns without the returned quantities.
        expect(first).to.have.property('clawedBack', qty * order.price);
        order.returned += qty;
        model.take(qty * order.price, order.lotId);
        expect(first).to.have.property('balance', model.balance);
        break;
      }
      case 'redeem': {
        // Tied to a recorded order mostly (an order's cancellation releases it), else to a basket.
        const orderIds = [...model.orders.keys()];
        const orderId = cmd.tie % 3 !== 0 && orderIds.length > 0 ? (orderIds[cmd.tie % orderIds.length] as string) : `x-${k}`;
        const run = () => ledger.redeem('t', { id: `rd-${k}`, customerId: 'ayu', orderId, orderTotal: '1000000', points: cmd.points }, { at });
        const first = await outcome(run);
        // SEMANTICS §6-7: no redemption while the balance is negative, and at most the available balance. Debt and
        // available lots can stand together: a cancelled redemption puts points back into lots that had settled
        // already, which do not repay the debt its order's clawback left (found by seed -1543846107).
        const accepted = model.balance >= 0 && cmd.points <= model.available;
        if (accepted) {
          expect(first).to.deep.include({ redeemed: cmd.points, discount: String(cmd.points) });
          // Soonest-expiring first: the lots in creation order, expired ones gone.
          model.redemptions.set(`rd-${k}`, { orderId, taken: model.take(cmd.points) });
          model.redeemed += cmd.points;
        } else {
          expect(first).to.have.property('refused');
        }
        sent.push({ run, first });
        break;
      }
      case 'cancel': {
        const open = [...model.orders.entries()].filter(([, o]) => !o.cancelled);
        if (open.length === 0) continue;
        const [orderId, order] = open[cmd.pick % open.length] as [string, NonNullable<ReturnType<Model['orders']['get']>>];
        const run = () => ledger.cancelOrder('t', orderId, { id: `c-${k}`, reason: 'out-of-stock' }, { at });
        const first = await outcome(run);
        // Exactly a full return of what is left (whatever the window: a cancellation is no return), then every
        // redemption tied to the order not cancelled yet, in id order.
        const clawedBack = (order.qty - order.returned) * order.price;
        model.take(clawedBack, order.lotId);
        order.returned = order.qty;
        order.cancelled = true;
        const tied = [...model.redemptions.entries()].filter(([, r]) => r.orderId === orderId && !r.cancelled).map(([id]) => id).sort();
        const redemptionsReleased = tied.map((redemptionId) => ({ redemptionId, ...model.restore(redemptionId, clock) }));
        expect(first).to.deep.equal({ cancellationId: `c-${k}`, orderId, clawedBack, redemptionsReleased, balance: model.balance });
        sent.push({ run, first });
        break;
      }
      case 'unredeem': {
        const ids = [...model.redemptions.keys()];
        if (ids.length === 0) continue;
        const redemptionId = ids[cmd.pick % ids.length] as string;
        const redemption = model.redemptions.get(redemptionId);
        if (!redemption) continue;
        const before = redemption.cancelled;
        const run = () => ledger.cancelRedemption('t', redemptionId, { reason: 'payment-failed' }, { at });
        const answer = (await run()) as Record<string, unknown>;
        if (before) {
          // Cancelled before (by its order, or by an earlier cancellation): answered as it was, nothing changes.
          expect(answer).to.deep.include({ redemptionId, orderId: redemption.orderId, ...before, replayed: true });
          break;
        }
        const undone = model.restore(redemptionId, clock);
        const { replayed: _replayed, ...first } = answer;
        expect(first).to.deep.equal({ redemptionId, orderId: redemption.orderId, ...undone, balance: model.balance });
        sent.push({ run, first });
        break;
      }
      case 'adjust': {
        const run = () => ledger.adjust('t', { id: `a-${k}`, customerId: 'ayu', points: cmd.points, reason: 'correction', actor: 'agent' }, { at });
        const first = await outcome(run);
        if (cmd.points > 0) model.credit(`adjustment:a-${k}#0`, cmd.points, clock);
        else model.take(-cmd.points);
        expect(first).to.have.property('balance', model.balance);
        sent.push({ run, first });
        break;
      }
      case 'event': {
        const run = () => ledger.recordEvent('t', { id: `ev-${k}`, customerId: 'ayu', type: 'review.published' }, { at });
        const first = await outcome(run);
        expect(first).to.have.property('awarded', 5);
        model.credit(`event:ev-${k}#0`, 5, clock);
        sent.push({ run, first });
        break;
      }
      case 'jump': {
        // Past every lot's 12-month life: everything left expires.
        clock = clock.plus({ months: 13 });
        model.expireUpTo(clock);
        break;
      }
      case 'age': {
        // To the very instant one live lot expires: older lots expire with it, newer ones stay.
        if (model.lots.length === 0) continue;
        const lot = model.lots[cmd.pick % model.lots.length] as Model['lots'][number];
        clock = lot.expiresAt;
        model.expireUpTo(clock);
        break;
      }
      case 'expire': {
        await ledger.runExpirySweep('t', { at });
        // Once every due expiry is recorded, the balance is the sum of the entries.
        expect(await sumOfEntries(ledger, at)).to.equal(model.balance);
        break;
      }
      case 'replay': {
        if (sent.length === 0) continue;
        const target = sent[cmd.pick % sent.length] as Sent;
        expect(await outcome(target.run)).to.deep.equal(target.first);
        break;
      }
    }
    const customer = await ledger.getCustomer('t', 'ayu', { at: clock.toISO() ?? '' });
    expect(customer.points, `after ${cmd.kind} #${k}`).to.deep.equal({
      available: model.available,
      pending: 0,
      expired: model.expired,
      redeemed: model.redeemed,
      balance: model.balance,
    });
  }
  expect((await ledger.reconcile('t')).differences).to.deep.equal([]);
}

/**
 * A history that walks every after-sale path at least once, whatever the random ones draw: a redemption released by
 * its order's cancellation, one cancelled after its lot expired, a late return refused and then overridden.
 */
const AFTER_SALE: Command[] = [
  { kind: 'earn', qty: 2, price: 50 },
  { kind: 'earn', qty: 1, price: 40 },
  { kind: 'redeem', points: 30, tie: 1 },
  { kind: 'redeem', points: 20, tie: 0 },
  { kind: 'cancel', pick: 1 },
  { kind: 'unredeem', pick: 0 },
  { kind: 'redeem', points: 60, tie: 0 },
  { kind: 'age', pick: 0 },
  { kind: 'unredeem', pick: 2 },
  { kind: 'return', pick: 0, qty: 1, override: false },
  { kind: 'return', pick: 0, qty: 1, override: true },
  { kind: 'expire' },
  { kind: 'replay', pick: 3 },
];

/** A return the window refused, sent again after its order was cancelled: refused by the window again. */
const REFUSED_RETURN_AFTER_CANCEL: Command[] = [
  { kind: 'earn', qty: 1, price: 1 },
  { kind: 'age', pick: 0 },
  { kind: 'return', pick: 0, qty: 1, override: false },
  { kind: 'cancel', pick: 0 },
  // Sent so far: the order, the return, the cancellation.
  { kind: 'replay', pick: 1 },
  { kind: 'earn', qty: 1, price: 1 },
];

forEachStore('Ledger against a model', (open, kind) => {
  it('follows the model through every after-sale path', async () => {
    const store = await open();
    try {
      await play(store, AFTER_SALE);
    } finally {
      await store.close();
    }
  });

  it('refuses a return the window refused alike after its order was cancelled', async () => {
    const store = await open();
    try {
      await play(store, REFUSED_RETURN_AFTER_CANCEL);
    } finally {
      await store.close();
    }
  });

  const runs = kind === 'memory' ? 200 : kind === 'lmdb' ? 25 : 6;
  it(`keeps the balance equal to the model and to the entries over ${runs} random histories`, async function () {
    this.timeout(600_000);
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: kind === 'memory' ? 30 : 20 }), async (commands) => {
        const store = await open();
        try {
          await play(store, commands);
        } finally {
          await store.close();
        }
      }),
      { numRuns: runs },
    );
  });
});
