/**
 * Tier perks through the ledger, with the three recipe programs of docs/recipes/: for every tier of each, a customer
 * who holds it reads its perks (`getCustomer`, as of an instant) and a quote answers what the perks take off an order
 * (`quoteOrder`), every amount worked out by hand in the comments. Early access is the IDR recipe's Harbolnas rule
 * opening a day early for Gold.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { OrderInput } from '@purna/rules';
import { openLedger, type Ledger } from '../src/ledger/ledger.js';

const T = 'shop';
const recipe = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../docs/recipes/${name}.program.json`, import.meta.url), 'utf8'));

type Line = [sku: string, category: string, quantity: number, unitPrice: string];

function order(id: string, customerId: string, currency: string, placedAt: string, lines: Line[]): OrderInput {
  return { id, customerId, currency, placedAt, lines: lines.map(([sku, category, quantity, unitPrice]) => ({ sku, category, quantity, unitPrice })) };
}

/** A ledger on the memory store with `program` published and each customer's orders recorded. */
async function world(program: unknown, customers: Record<string, OrderInput[]>): Promise<Ledger> {
  const ledger = await openLedger({ store: { kind: 'memory' } });
  await ledger.publishProgram(T, program);
  for (const [id, orders] of Object.entries(customers)) {
    await ledger.upsertCustomer(T, { id, enrolledAt: '2026-01-05T09:00:00Z' }, { at: '2026-01-05T09:00:00Z' });
    for (const o of orders) await ledger.recordOrder(T, o, { at: o.placedAt! });
  }
  return ledger;
}

const ids = (perks: ReadonlyArray<{ id: string }>): string[] => perks.map((p) => p.id);

describe('perks in reads and quotes: Indonesian electronics (IDR)', () => {
  let ledger: Ledger;
  const idr = (id: string, customerId: string, placedAt: string, lines: Line[]) => order(id, customerId, 'IDR', placedAt, lines);
  before(async () => {
    ledger = await world(recipe('indonesian-electronics-idr'), {
      bronze: [idr('b-1', 'bronze', '2026-06-01T10:00:00+07:00', [['MS-1', 'accessory', 1, '100000']])],
      silver: [idr('s-1', 'silver', '2026-06-01T10:00:00+07:00', [['TV-43', 'tv', 1, '6000000']])],
      gold: [
        idr('g-1', 'gold', '2026-05-01T10:00:00+07:00', [['MS-1', 'accessory', 1, '100000']]),
        idr('g-2', 'gold', '2026-06-01T10:00:00+07:00', [['TV-85', 'tv', 1, '21000000']]),
      ],
    });
  });
  after(() => ledger.close());

  it('reads the perks of the tier held, warranty benefits included', async () => {
    const at = { at: '2026-06-02T10:00:00+07:00' };
    const bronze = await ledger.getCustomer(T, 'bronze', at);
    expect([bronze.tier?.id, ids(bronze.perks)]).to.deep.equal(['bronze', ['free-shipping']]);
    const silver = await ledger.getCustomer(T, 'silver', at);
    expect([silver.tier?.id, ids(silver.perks)]).to.deep.equal(['silver', ['free-shipping', 'birthday-powerbank']]);
    const gold = await ledger.getCustomer(T, 'gold', at);
    expect(gold.tier?.id).to.equal('gold');
    expect(ids(gold.perks)).to.deep.equal(['free-shipping', 'harbolnas-early', 'accessory-discount', 'birthday-powerbank', 'warranty-extra-months', 'warranty-plan-discount']);
    expect(gold.perks.find((p) => p.id === 'warranty-plan-discount')).to.deep.equal({ id: 'warranty-plan-discount', kind: 'warranty-plan-discount', fraction: '0.2' });
  });

  it('reads the perks of the tier held as of `at`: Bronze before the Gold order', async () => {
    const before = await ledger.getCustomer(T, 'gold', { at: '2026-05-15T10:00:00+07:00' });
    expect([before.tier?.id, ids(before.perks)]).to.deep.equal(['bronze', ['free-shipping']]);
  });

  it('Bronze: Rp980.000 with shipping is Rp20.000 short of free shipping', async () => {
    const q = await ledger.quoteOrder(T, idr('q-b', 'bronze', '2026-06-02T10:00:00+07:00', [['HP-1', 'audio', 1, '950000'], ['SHIP', 'shipping', 1, '30000']]));
    expect(q.perks).to.have.length(1);
    expect(q.perks[0]).to.deep.include({ id: 'free-shipping', applies: false, amount: '0' });
    expect(q.perks[0]!.reason).to.deep.include({ code: 'below-min-order-total' });
    expect(q.perks[0]!.reason!.message).to.contain('20000 IDR more');
  });

  it('Silver: Rp470.000 + Rp30.000 shipping reaches Rp500.000, the shipping is free', async () => {
    const q = await ledger.quoteOrder(T, idr('q-s', 'silver', '2026-06-02T10:00:00+07:00', [['MS-2', 'accessory', 1, '470000'], ['SHIP', 'shipping', 1, '30000']]));
    expect(q.perks).to.deep.equal([
      { id: 'free-shipping', kind: 'free-shipping', name: 'Free shipping from Rp500.000', applies: true, amount: '30000', lines: [{ index: 1, sku: 'SHIP', amount: '30000' }] },
    ]);
  });

  it('Gold: the shipping and 5% of two Rp175.000 mice (Rp17.500) come off', async () => {
    const q = await ledger.quoteOrder(T, idr('q-g', 'gold', '2026-06-02T10:00:00+07:00', [['LP-14', 'laptop', 1, '8000000'], ['MS-1', 'accessory', 2, '175000'], ['SHIP', 'shipping', 1, '30000']]));
    expect(q.tierBefore).to.equal('gold');
    expect(q.perks.map((p) => [p.id, p.applies, p.amount, p.lines])).to.deep.equal([
      ['free-shipping', true, '30000', [{ index: 2, sku: 'SHIP', amount: '30000' }]],
      ['accessory-discount', true, '17500', [{ index: 1, sku: 'MS-1', amount: '17500' }]],
    ]);
  });

  it('Gold shops Harbolnas a day early: the TV rule doubles for Gold on 11 December, not for Silver', async () => {
    const tv = (customerId: string) => idr(`q-tv-${customerId}`, customerId, '2026-12-11T12:00:00+07:00', [['TV-55', 'tv', 1, '8500000']]);
    // 850 base, doubled by harbolnas-tv (open since 11 December 00:00 for Gold) = 1700, + 200 big-basket = 1900, × 1.5 = 2850.
    expect((await ledger.quoteOrder(T, tv('gold'))).points).to.equal(2850);
    // Silver waits for 12 December: 850 + 200 = 1050, × 1.25 = 1312.5, floor 1312.
    expect((await ledger.quoteOrder(T, tv('silver'))).points).to.equal(1312);
  });
});

describe('perks in reads and quotes: Philippine shop (PHP)', () => {
  let ledger: Ledger;
  const php = (id: string, customerId: string, placedAt: string, lines: Line[]) => order(id, customerId, 'PHP', placedAt, lines);
  before(async () => {
    ledger = await world(recipe('philippine-shop-php'), {
      kaibigan: [php('k-1', 'kaibigan', '2026-06-01T10:00:00+08:00', [['CS-1', 'accessory', 1, '400']])],
      // 200000 / 200 = 1000 points: the Suki threshold.
      suki: [php('u-1', 'suki', '2026-06-01T10:00:00+08:00', [['LP-1', 'laptop', 1, '200000']])],
    });
  });
  after(() => ledger.close());

  it('reads each tier\'s perks', async () => {
    const at = { at: '2026-06-02T10:00:00+08:00' };
    const kaibigan = await ledger.getCustomer(T, 'kaibigan', at);
    expect([kaibigan.tier?.id, ids(kaibigan.perks)]).to.deep.equal(['kaibigan', ['free-shipping']]);
    const suki = await ledger.getCustomer(T, 'suki', at);
    expect([suki.tier?.id, ids(suki.perks)]).to.deep.equal(['suki', ['free-shipping', 'suki-accessories', 'warranty-extra-months']]);
  });

  it('Kaibigan: ₱1,350 with shipping is below ₱2,500, no free shipping', async () => {
    const q = await ledger.quoteOrder(T, php('q-k', 'kaibigan', '2026-06-02T10:00:00+08:00', [['CS-2', 'accessory', 1, '1200'], ['SHIP', 'shipping', 1, '150']]));
    expect(q.perks.map((p) => [p.id, p.applies, p.reason?.code])).to.deep.equal([['free-shipping', false, 'below-min-order-total']]);
  });

  it('Suki: ₱1,400 with shipping ships free, and 10% off two accessories (₱80 + ₱45)', async () => {
    const q = await ledger.quoteOrder(T, php('q-u', 'suki', '2026-06-02T10:00:00+08:00', [['CH-1', 'accessory', 1, '800'], ['CS-2', 'accessory', 1, '450'], ['SHIP', 'shipping', 1, '150']]));
    expect(q.perks.map((p) => [p.id, p.applies, p.amount, p.lines.map((l) => l.amount)])).to.deep.equal([
      ['free-shipping', true, '150', ['150']],
      ['suki-accessories', true, '125', ['80', '45']],
    ]);
  });
});

describe('perks in reads and quotes: US shop (USD)', () => {
  let ledger: Ledger;
  const usd = (id: string, customerId: string, placedAt: string, lines: Line[]) => order(id, customerId, 'USD', placedAt, lines);
  before(async () => {
    ledger = await world(recipe('us-shop-usd-dst'), {
      member: [usd('m-1', 'member', '2026-06-01T10:00:00-04:00', [['CB-1', 'accessory', 1, '20']])],
      insider: [usd('i-1', 'insider', '2026-06-01T10:00:00-04:00', [['TV-65', 'tv', 1, '1200'], ['SHIP', 'shipping', 1, '19.99']])],
    });
  });
  after(() => ledger.close());

  it('reads each tier\'s perks', async () => {
    const at = { at: '2026-06-02T10:00:00-04:00' };
    const member = await ledger.getCustomer(T, 'member', at);
    expect([member.tier?.id, ids(member.perks)]).to.deep.equal(['member', ['free-shipping']]);
    const insider = await ledger.getCustomer(T, 'insider', at);
    expect([insider.tier?.id, ids(insider.perks)]).to.deep.equal(['insider', ['free-shipping', 'audio-discount', 'sale-preview', 'birthday-gift']]);
  });

  it('Member: $67.99 with shipping is $7.01 short of free shipping', async () => {
    const q = await ledger.quoteOrder(T, usd('q-m', 'member', '2026-06-02T10:00:00-04:00', [['HP-2', 'audio', 1, '60'], ['SHIP', 'shipping', 1, '7.99']]));
    expect(q.perks.map((p) => [p.id, p.applies, p.reason?.code])).to.deep.equal([['free-shipping', false, 'below-min-order-total']]);
    expect(q.perks[0]!.reason!.message).to.contain('7.01 USD more');
  });

  it('Insider: shipping free and 10% off headphones, rounded down to the cent ($14.999 -> $14.99)', async () => {
    const q = await ledger.quoteOrder(T, usd('q-i', 'insider', '2026-06-02T10:00:00-04:00', [['HP-2', 'audio', 1, '149.99'], ['SHIP', 'shipping', 1, '7.99']]));
    expect(q.perks.map((p) => [p.id, p.applies, p.amount])).to.deep.equal([
      ['free-shipping', true, '7.99'],
      ['audio-discount', true, '14.99'],
    ]);
  });
});
