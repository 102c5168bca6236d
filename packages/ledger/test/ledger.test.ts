import { expect } from 'chai';
import { getAccount, replaceAccount } from '../src/account/account-store.js';
import { Conflict, IdempotencyMismatch, InputError, NotFound, RedemptionRefused } from '../src/errors.js';
import { Ledger, openLedger } from '../src/ledger/ledger.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { simpleProgram, tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const AT = '2026-03-01T10:00:00Z';
const order = (id: string, customerId: string, quantity: number, unitPrice: string) => ({
  id,
  customerId,
  placedAt: AT,
  currency: 'IDR',
  lines: [{ sku: 'S', quantity, unitPrice }],
});

describe('Ledger', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await openLedger({ store: 'memory' });
    await ledger.publishProgram('t', simpleProgram);
  });
  afterEach(() => ledger.close());

  it('publishes immutable versions: each publish is the next version, older ones stay readable', async () => {
    expect(await ledger.publishProgram('t', { ...simpleProgram, name: 'Simple 2' })).to.deep.equal({ id: 'simple', version: 2 });
    expect((await ledger.getProgram('t')).version).to.equal(2);
    expect(((await ledger.getProgram('t', 1)).program as { name: string }).name).to.equal('Simple');
    expect(await failure(() => ledger.getProgram('other'))).to.be.instanceOf(NotFound);
  });

  it('refuses the same order id with different content, and replays the same content', async () => {
    const first = await ledger.recordOrder('t', order('o-1', 'ayu', 2, '10'), { at: AT });
    // 2 x 10 IDR at 1 point per IDR.
    expect(first).to.include({ awarded: 20, replayed: false });
    expect(await ledger.recordOrder('t', order('o-1', 'ayu', 2, '10'), { at: AT })).to.include({ awarded: 20, replayed: true });
    const error = await failure(() => ledger.recordOrder('t', order('o-1', 'ayu', 3, '10'), { at: AT }));
    expect(error).to.be.instanceOf(IdempotencyMismatch);
    expect((await ledger.getCustomer('t', 'ayu', { at: AT })).points.balance).to.equal(20);
  });

  it('binds an Idempotency-Key to one request', async () => {
    await ledger.recordOrder('t', order('o-1', 'ayu', 1, '10'), { at: AT, idempotencyKey: 'k-1' });
    expect(await ledger.recordOrder('t', order('o-1', 'ayu', 1, '10'), { at: AT, idempotencyKey: 'k-1' })).to.include({ replayed: true });
    expect(await failure(() => ledger.recordOrder('t', order('o-2', 'ayu', 1, '10'), { at: AT, idempotencyKey: 'k-1' }))).to.be.instanceOf(IdempotencyMismatch);
  });

  it('answers bad input with every problem and its pointer, before writing anything', async () => {
    const error = await failure(() => ledger.recordOrder('t', { id: 'o-9', customerId: 'ayu', currency: 'idr', lines: [] }, { at: AT }));
    expect(error).to.be.instanceOf(InputError);
    const pointers = (error as InputError).errors.map((e) => e.pointer);
    expect(pointers).to.include.members(['/currency', '/lines']);
    expect(await failure(() => ledger.getCustomer('t', 'ayu', { at: AT }))).to.be.instanceOf(NotFound);
    expect(await failure(() => ledger.recordOrder('t', order('o-9', 'ayu', 1, '10'), { at: 'yesterday' }))).to.be.instanceOf(InputError);
  });

  it('refuses to return more than was bought, naming the line, and the same return id can then be sent right', async () => {
    await ledger.recordOrder('t', order('o-1', 'ayu', 2, '10'), { at: AT });
    const error = await failure(() => ledger.returnOrder('t', 'o-1', { id: 'r-1', lines: [{ sku: 'S', quantity: 3 }] }, { at: AT }));
    expect(error).to.be.instanceOf(InputError);
    expect((error as InputError).errors.map((e) => ({ pointer: e.pointer, code: e.code }))).to.deep.equal([{ pointer: '/lines/0/quantity', code: 'exceeds-remaining' }]);
    // The refusal claimed nothing: the corrected return under the same id is taken.
    expect((await ledger.returnOrder('t', 'o-1', { id: 'r-1', lines: [{ sku: 'S', quantity: 2 }] }, { at: AT })).replayed).to.equal(false);
    expect(await failure(() => ledger.returnOrder('t', 'nope', { id: 'r-2', lines: [{ sku: 'S', quantity: 1 }] }, { at: AT }))).to.be.instanceOf(NotFound);
  });

  it('refuses a redemption with every reason, and refuses it again on replay', async () => {
    await ledger.upsertCustomer('t', { id: 'ayu' }, { at: AT });
    const request = { id: 'rd-1', customerId: 'ayu', orderId: 'o-5', orderTotal: '10', points: 50 };
    const first = await failure(() => ledger.redeem('t', request, { at: AT }));
    expect(first).to.be.instanceOf(RedemptionRefused);
    // Nothing is available, and 50 points of 1 IDR are more than the whole 10 IDR order.
    expect((first as RedemptionRefused).reasons.map((r) => r.code)).to.have.members(['insufficient-points', 'exceeds-order-share']);
    const again = await failure(() => ledger.redeem('t', request, { at: AT }));
    expect(again).to.be.instanceOf(RedemptionRefused);
    expect((again as RedemptionRefused).replayed).to.equal(true);
  });

  it('lists transactions newest first, page by page, as of an instant', async () => {
    for (let i = 1; i <= 5; i++) await ledger.recordOrder('t', { ...order(`o-${i}`, 'ayu', 1, String(i)), placedAt: `2026-03-0${i}T10:00:00Z` }, { at: `2026-03-0${i}T10:00:00Z` });
    const first = await ledger.listTransactions('t', 'ayu', { at: '2026-03-09T00:00:00Z', limit: 2 });
    expect(first.items.map((e) => e.orderId)).to.deep.equal(['o-5', 'o-4']);
    const second = await ledger.listTransactions('t', 'ayu', { at: '2026-03-09T00:00:00Z', limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
    expect(second.items.map((e) => e.orderId)).to.deep.equal(['o-3', 'o-2']);
    const past = await ledger.listTransactions('t', 'ayu', { at: '2026-03-02T12:00:00Z' });
    expect(past.items.map((e) => e.orderId)).to.deep.equal(['o-2', 'o-1']);
    const entry = first.items[0];
    expect(entry).to.include({ type: 'earn', points: 5, programId: 'simple', programVersion: 1 });
    expect(entry?.ruleIds).to.deep.equal(['base']);
    expect(entry?.lines).to.deep.equal([{ sku: 'S', quantity: 1 }]);
  });

  it('answers balances as of an earlier instant from the entries committed by then', async () => {
    await ledger.recordOrder('t', { ...order('o-1', 'ayu', 1, '100'), placedAt: '2026-03-01T10:00:00Z' }, { at: '2026-03-01T10:00:00Z' });
    await ledger.redeem('t', { id: 'rd-1', customerId: 'ayu', orderId: 'o-9', orderTotal: '1000', points: 30 }, { at: '2026-03-05T10:00:00Z' });
    await ledger.recordOrder('t', { ...order('o-2', 'ayu', 1, '7'), placedAt: '2026-03-09T10:00:00Z' }, { at: '2026-03-09T10:00:00Z' });
    const points = async (at: string) => (await ledger.getCustomer('t', 'ayu', { at })).points;
    // 100 earned on 1 March; 30 redeemed on 5 March; 7 earned on 9 March.
    expect(await points('2026-02-01T00:00:00Z')).to.deep.equal({ available: 0, pending: 0, expired: 0, redeemed: 0, balance: 0 });
    expect(await points('2026-03-02T00:00:00Z')).to.deep.equal({ available: 100, pending: 0, expired: 0, redeemed: 0, balance: 100 });
    expect(await points('2026-03-06T00:00:00Z')).to.deep.equal({ available: 70, pending: 0, expired: 0, redeemed: 30, balance: 70 });
    expect(await points('2026-03-10T00:00:00Z')).to.deep.equal({ available: 77, pending: 0, expired: 0, redeemed: 30, balance: 77 });
  });

  it('records who made an adjustment and why', async () => {
    await ledger.upsertCustomer('t', { id: 'ayu' }, { at: AT });
    await ledger.adjust('t', { id: 'a-1', customerId: 'ayu', points: 30, reason: 'goodwill', actor: 'agent-7' }, { at: AT });
    const { items } = await ledger.listTransactions('t', 'ayu', { at: AT });
    expect(items[0]).to.include({ type: 'adjustment', points: 30, reason: 'goodwill', actor: 'agent-7' });
    expect(await failure(() => ledger.adjust('t', { id: 'a-2', customerId: 'ayu', points: 0, reason: 'x', actor: 'y' }, { at: AT }))).to.be.instanceOf(InputError);
  });

  it('keeps a referral code for one customer', async () => {
    await ledger.upsertCustomer('t', { id: 'ayu', referralCode: 'AYU-1' }, { at: AT });
    expect(await ledger.upsertCustomer('t', { id: 'ayu', referralCode: 'AYU-1', tags: ['vip'] }, { at: AT })).to.include({ id: 'ayu' });
    expect(await failure(() => ledger.upsertCustomer('t', { id: 'budi', referralCode: 'AYU-1' }, { at: AT }))).to.be.instanceOf(Conflict);
    // The same code however it is typed (SEMANTICS 8 codes ignore case, spaces and hyphens).
    expect(await failure(() => ledger.upsertCustomer('t', { id: 'budi', referralCode: 'ayu 1' }, { at: AT }))).to.be.instanceOf(Conflict);
    expect(await failure(() => ledger.upsertCustomer('t', { id: 'budi', referralCode: '--' }, { at: AT }))).to.be.instanceOf(InputError);
  });

  it('reconciliation reports an account that no longer matches its entries', async () => {
    const store = new MemoryStore();
    const own = new Ledger(store);
    await own.publishProgram('t', simpleProgram);
    await own.recordOrder('t', order('o-1', 'ayu', 1, '40'), { at: AT });
    expect(await own.reconcile('t')).to.deep.equal({ checked: 1, differences: [] });
    const account = await getAccount(store, 't', 'ayu');
    if (!account?.doc.summary) throw new Error('no account');
    const lot = account.doc.points.lots[0];
    if (!lot) throw new Error('no lot');
    lot.remaining = 41;
    // The lots change and the read summary stays as the write left it.
    await replaceAccount(store, 't', account.version, account.doc, account.doc.summary);
    const { differences } = await own.reconcile('t');
    expect(differences).to.deep.include({ customerId: 'ayu', field: `lots.${lot.id}.remaining`, materialized: 41, recomputed: 40 });
    expect(differences).to.deep.include({ customerId: 'ayu', field: 'sumOfEntries', materialized: 41, recomputed: 40 });
    expect(differences.filter((d) => d.field.startsWith('summary.'))).to.deep.equal([]);
  });

  it('reconciliation reads the entries beside the accounts in one scan: ids that prefix others, entries without an account, one account changed', async () => {
    const store = new MemoryStore();
    const own = new Ledger(store);
    await own.publishProgram('t', simpleProgram);
    // Ids in key order a, a-b, ab, b: a's entries sort before a-b's ('\u0001' is below every character of an id).
    for (const [i, id] of ['ab', 'a', 'b', 'a-b'].entries()) await own.recordOrder('t', order(`o-${i}`, id, 1, String(10 * (i + 1))), { at: AT });
    await own.recordOrder('t', order('o-9', 'a', 1, '7'), { at: AT });
    // Entries of customers without an account (before the first, between two, after the last) are passed over.
    for (const key of ['0\u0001000000000001\u00010000', 'a-a\u0001000000000001\u00010000', 'zz\u0001000000000001\u00010000']) {
      await store.insert('entries', 't', key, { customerId: key.split('\u0001')[0], seq: key, points: 1000 });
    }
    expect(await own.reconcile('t')).to.deep.equal({ checked: 4, differences: [] });
    const account = await getAccount(store, 't', 'a-b');
    const lot = account?.doc.points.lots[0];
    if (!account?.doc.summary || !lot) throw new Error('no account');
    lot.remaining = 41;
    await replaceAccount(store, 't', account.version, account.doc, account.doc.summary);
    // a-b earned 40 (order o-3, 40 × 1): only it differs.
    const { checked, differences } = await own.reconcile('t');
    expect(checked).to.equal(4);
    expect(differences).to.deep.include({ customerId: 'a-b', field: 'sumOfEntries', materialized: 41, recomputed: 40 });
    expect(differences.every((d) => d.customerId === 'a-b')).to.equal(true);
  });

  it('reconciliation reports a read summary that no longer matches the entries', async () => {
    const store = new MemoryStore();
    const own = new Ledger(store);
    await own.publishProgram('t', simpleProgram);
    await own.recordOrder('t', order('o-1', 'ayu', 1, '40'), { at: AT });
    const account = await getAccount(store, 't', 'ayu');
    const summary = account?.doc.summary;
    const step = summary?.points.steps[0];
    if (!account || !summary || !step) throw new Error('no summary');
    step.available = 400;
    await replaceAccount(store, 't', account.version, account.doc, summary);
    expect((await own.getCustomer('t', 'ayu', { at: AT })).points.available).to.equal(400);
    expect((await own.reconcile('t')).differences).to.deep.equal([{ customerId: 'ayu', field: `summary.${step.at}.available`, materialized: 400, recomputed: 40 }]);
  });

  it('reads accounts stored before the read summary, and stores them with one at their next write', async () => {
    const store = new MemoryStore();
    const own = new Ledger(store);
    await own.publishProgram('t', simpleProgram);
    await own.recordOrder('t', order('o-1', 'ayu', 1, '40'), { at: AT });
    const expected = await own.getCustomer('t', 'ayu', { at: '2026-04-01T00:00:00Z' });
    // Format 1: every field a field of the document, no summary, no cold part.
    const account = await getAccount(store, 't', 'ayu');
    if (!account) throw new Error('no account');
    const { summary: _summary, ...format1 } = account.doc;
    await store.replace('accounts', 't', 'ayu', account.version, format1);
    expect(await store.get('accounts', 't', 'ayu', { cold: false })).to.have.nested.property('doc.points.lots[0].remaining', 40);
    expect(await own.getCustomer('t', 'ayu', { at: '2026-04-01T00:00:00Z' })).to.deep.equal(expected);
    expect(await own.reconcile('t')).to.deep.equal({ checked: 1, differences: [] });
    await own.recordOrder('t', order('o-2', 'ayu', 2, '5'), { at: AT });
    const head = (await store.get<Record<string, unknown>>('accounts', 't', 'ayu', { cold: false }))?.doc;
    expect(head).to.include.keys('summary');
    expect(head).to.not.include.keys('points', 'orders', 'cold');
    expect((await own.getCustomer('t', 'ayu', { at: '2026-04-01T00:00:00Z' })).points.balance).to.equal(50);
  });

  it('keeps API keys per tenant, finds them by key id, and revokes them', async () => {
    const record = { tenantId: 't', keyId: 'k1', hash: 'h', scopes: ['crm'], name: 'crm', createdAt: AT };
    await ledger.apiKeys.insert(record);
    await ledger.apiKeys.insert({ ...record, tenantId: 'u', keyId: 'k2' });
    expect(await ledger.apiKeys.findByKeyId('k1')).to.deep.equal(record);
    expect((await ledger.apiKeys.list('t')).map((k) => k.keyId)).to.deep.equal(['k1']);
    expect(await failure(() => ledger.apiKeys.insert(record))).to.be.instanceOf(Conflict);
    expect(await failure(() => ledger.apiKeys.revoke('u', 'k1', AT))).to.be.instanceOf(NotFound);
    expect((await ledger.apiKeys.revoke('t', 'k1', '2026-04-01T00:00:00Z')).revokedAt).to.equal('2026-04-01T00:00:00Z');
    expect((await ledger.apiKeys.findByKeyId('k1'))?.revokedAt).to.equal('2026-04-01T00:00:00Z');
  });
});

forEachStore('Ledger sweeps and tenants', (open) => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = new Ledger(await open());
  });
  afterEach(() => ledger.close());

  it('grants a birthday once however many workers sweep at once', async function () {
    this.timeout(60_000);
    await ledger.publishProgram('t', tokoProgram);
    for (const id of ['ayu', 'budi', 'citra']) {
      await ledger.upsertCustomer('t', { id, enrolledAt: '2026-01-05T09:00:00+07:00', birthDate: id === 'citra' ? '1990-07-01' : '1990-03-14' }, { at: '2026-01-05T09:00:00+07:00' });
    }
    const at = { at: '2026-03-01T00:05:00+07:00' };
    const runs = await Promise.all(Array.from({ length: 5 }, () => ledger.runBirthdaySweep('t', at)));
    // ayu and budi have March birthdays and 55 days of membership (>= 30): each granted once, by one worker.
    expect(runs.reduce((sum, r) => sum + r.granted, 0)).to.equal(2);
    expect(await ledger.runBirthdaySweep('t', { at: '2026-03-20T00:00:00+07:00' })).to.include({ granted: 0 });
    // Bronze pays 300 (toko-rewards birthday.award.points).
    expect((await ledger.getCustomer('t', 'ayu', at)).points.available).to.equal(300);
    expect((await ledger.getCustomer('t', 'citra', at)).points.available).to.equal(0);
  });

  it('records each expiry once however many workers sweep at once', async function () {
    this.timeout(60_000);
    await ledger.publishProgram('t', simpleProgram);
    await ledger.recordOrder('t', order('o-1', 'ayu', 1, '40'), { at: AT });
    await ledger.recordOrder('t', order('o-2', 'budi', 1, '15'), { at: AT });
    const later = { at: '2027-03-02T00:00:00Z' };
    const runs = await Promise.all(Array.from({ length: 4 }, () => ledger.runExpirySweep('t', later)));
    // 40 + 15 points, 12 months after 2026-03-01, expire once in total.
    expect(runs.reduce((sum, r) => sum + r.expired, 0)).to.equal(55);
    const { items } = await ledger.listTransactions('t', 'ayu', later);
    expect(items.map((e) => [e.type, e.points])).to.deep.equal([['expire', -40], ['earn', 40]]);
    expect((await ledger.getCustomer('t', 'ayu', later)).points).to.include({ expired: 40, balance: 0 });
    expect((await ledger.reconcile('t')).differences).to.deep.equal([]);
  });

  it('records the lots an order finds expired in the order\'s own commit, after its own entries (expiry on touch)', async () => {
    await ledger.publishProgram('t', simpleProgram);
    await ledger.recordOrder('t', order('o-1', 'ayu', 1, '40'), { at: AT });
    // 12 months after o-1 its 40 points have expired; o-2 earns 15 and records that expiry with its own commit.
    const later = '2027-03-02T00:00:00.000Z';
    expect(await ledger.recordOrder('t', { ...order('o-2', 'ayu', 1, '15'), placedAt: later }, { at: later })).to.include({ awarded: 15, replayed: false });
    const { items } = await ledger.listTransactions('t', 'ayu', { at: later });
    // Newest first, with each entry's commit and index: the expiry is the second entry of o-2's commit (the second
    // commit of the account), so the lot o-2 created is still its entry #0.
    const place = (seq: string) => seq.split('\u0001').slice(1).map(Number);
    expect(items.map((e) => [e.type, e.points, ...place(e.seq)])).to.deep.equal([['expire', -40, 2, 1], ['earn', 15, 2, 0], ['earn', 40, 1, 0]]);
    expect((await ledger.getCustomer('t', 'ayu', { at: later })).points).to.include({ expired: 40, balance: 15 });
    // Its moment tells the balance after the whole commit: o-2's 15 points, nothing pending (simpleProgram).
    const moments = await ledger.listMoments('t', { customerId: 'ayu', type: 'points.expired' });
    expect(moments.items.map((m) => m.data)).to.deep.equal([{ points: 40, source: 'order', orderId: 'o-1', lotId: 'order:o-1#0', expiredAt: '2027-03-01T10:00:00.000Z', balanceAfter: { available: 15, pending: 0, debt: 0 } }]);
    // Nothing is left for the sweep, and the entries still add up to the account.
    expect(await ledger.runExpirySweep('t', { at: later })).to.deep.equal({ customers: 0, expired: 0 });
    expect((await ledger.reconcile('t')).differences).to.deep.equal([]);
  });

  it('reviews tiers once per customer and month however many workers run it', async function () {
    this.timeout(60_000);
    await ledger.publishProgram('t', tokoProgram);
    // o-1001 of toko-basic: 12.250.000 of tier spend lifts ayu from bronze to silver (threshold 5.000.000).
    await ledger.recordOrder(
      't',
      {
        id: 'o-1001',
        customerId: 'ayu',
        placedAt: '2026-02-01T10:00:00+07:00',
        currency: 'IDR',
        lines: [
          { sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '12000000' },
          { sku: 'MS-01', category: 'accessory', quantity: 1, unitPrice: '250000' },
        ],
      },
      { at: '2026-02-01T10:00:00+07:00' },
    );
    await ledger.recordOrder('t', { id: 'o-2', customerId: 'budi', placedAt: '2026-02-02T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'X', category: 'phone', quantity: 1, unitPrice: '100000' }] }, { at: '2026-02-02T10:00:00+07:00' });
    // The orders recorded the tiers they reached (ayu silver, budi the base tier bronze): a review finds no change.
    const runs = await Promise.all(Array.from({ length: 3 }, () => ledger.runTierReview('t', { at: '2026-02-10T00:00:00+07:00' })));
    expect(runs.reduce((sum, r) => sum + r.reviewed, 0)).to.equal(2);
    expect(runs.flatMap((r) => r.changed)).to.deep.equal([]);
    expect(await ledger.runTierReview('t', { at: '2026-02-20T00:00:00+07:00' })).to.deep.equal({ reviewed: 0, changed: [] });
    expect(await ledger.runTierReview('t', { at: '2026-03-01T00:00:00+07:00' })).to.deep.equal({ reviewed: 2, changed: [] });
    // o-1001 leaves the 12-month window on 2027-02-01 and the month of grace ends on 2027-03-01 10:00 (toko-basic):
    // the first review after it records the downgrade.
    const runsAfterGrace = await Promise.all(Array.from({ length: 3 }, () => ledger.runTierReview('t', { at: '2027-03-02T00:00:00+07:00' })));
    expect(runsAfterGrace.flatMap((r) => r.changed)).to.deep.equal([{ customerId: 'ayu', from: 'silver', to: 'bronze' }]);
  });

  it('spends a campaign budget across customers once, and gives it back on a full return', async function () {
    this.timeout(60_000);
    const program = {
      ...simpleProgram,
      earning: [{ id: 'launch', name: '60 launch points, 100 in all', scope: 'order', award: { points: 60 }, cap: { budget: { points: 100 } } }],
    };
    await ledger.publishProgram('t', program);
    const buy = (id: string, customerId: string) => ledger.recordOrder('t', order(id, customerId, 1, '10'), { at: AT });
    // The budget of 100: 60 for the first order, the 40 left for the second, nothing for the third.
    expect((await buy('o-1', 'ayu')).awarded).to.equal(60);
    expect((await buy('o-1', 'ayu')).awarded).to.equal(60);
    expect((await buy('o-2', 'budi')).awarded).to.equal(40);
    expect((await buy('o-3', 'citra')).awarded).to.equal(0);
    // Returning o-1 in full gives its 60 back to the budget.
    expect((await ledger.returnOrder('t', 'o-1', { id: 'r-1', lines: [{ sku: 'S', quantity: 1 }] }, { at: AT })).clawedBack).to.equal(60);
    expect((await buy('o-4', 'dewi')).awarded).to.equal(60);
  });

  it('never lets one tenant see or change another tenant\'s customers', async () => {
    await ledger.publishProgram('a', simpleProgram);
    await ledger.publishProgram('b', simpleProgram);
    await ledger.recordOrder('a', order('o-1', 'ayu', 1, '40'), { at: AT });
    expect(await failure(() => ledger.getCustomer('b', 'ayu', { at: AT }))).to.be.instanceOf(NotFound);
    expect(await failure(() => ledger.returnOrder('b', 'o-1', { id: 'r-1', lines: [{ sku: 'S', quantity: 1 }] }, { at: AT }))).to.be.instanceOf(NotFound);
    const other = await ledger.recordOrder('b', order('o-1', 'ayu', 1, '7'), { at: AT });
    expect(other).to.include({ awarded: 7, replayed: false });
    expect((await ledger.getCustomer('a', 'ayu', { at: AT })).points.balance).to.equal(40);
    expect((await ledger.listTransactions('b', 'ayu', { at: AT })).items.map((e) => e.points)).to.deep.equal([7]);
  });
});
