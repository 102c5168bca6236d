import { readdir, readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { compileProgram, parseProgram, quoteOrder, type CustomerHistory, type OrderInput } from '@purna/rules';

const RECIPES = new URL('../../docs/recipes/', import.meta.url);

describe('docs: recipes', () => {
  it('has the three recipes the docs promise, each with its program file', async () => {
    const files = await readdir(RECIPES);
    for (const name of ['indonesian-electronics-idr', 'us-shop-usd-dst', 'philippine-shop-php']) {
      expect(files).to.include(`${name}.md`);
      expect(files).to.include(`${name}.program.json`);
      const text = await readFile(new URL(`${name}.md`, RECIPES), 'utf8');
      expect(text, `${name}.md links its program`).to.include(`(${name}.program.json)`);
    }
  });

  it('every recipe program is valid (parseProgram accepts it) and in the currency and zone its recipe is about', async () => {
    const expected: Record<string, [currency: string, zone: string]> = {
      'indonesian-electronics-idr.program.json': ['IDR', 'Asia/Jakarta'],
      'us-shop-usd-dst.program.json': ['USD', 'America/New_York'],
      'philippine-shop-php.program.json': ['PHP', 'Asia/Manila'],
    };
    const programs = (await readdir(RECIPES)).filter((f) => f.endsWith('.program.json'));
    expect(programs).to.have.members(Object.keys(expected));
    for (const file of programs) {
      const program = parseProgram(await readFile(new URL(file, RECIPES), 'utf8'));
      expect([program.currency, program.timezone], file).to.deep.equal(expected[file]);
    }
  });
});

/** The worked orders of the recipe pages, with the points each page derives by hand from SEMANTICS.md. */
describe('docs: recipes\' worked orders', () => {
  async function quote(file: string, order: OrderInput, history: CustomerHistory = { orders: [], usage: {} }) {
    const compiled = compileProgram(parseProgram(await readFile(new URL(file, RECIPES), 'utf8')));
    return quoteOrder(compiled, { order, history }, { at: order.placedAt ?? '' });
  }

  it('Indonesian shop: a Silver customer\'s TV on Harbolnas 12.12 earns 2,375 points', async () => {
    // Silver: an earlier order of Rp6.000.000 tier spend in November (>= 5.000.000, < 20.000.000).
    const history = { orders: [{ id: 'before', placedAt: '2026-11-20T10:00:00+07:00', tierSpend: '6000000', points: 600 }], usage: {} };
    const q = await quote('indonesian-electronics-idr.program.json', {
      id: 'o-1212',
      customerId: 'c',
      placedAt: '2026-12-12T10:00:00+07:00',
      currency: 'IDR',
      lines: [
        { sku: 'TV-55', category: 'tv', quantity: 1, unitPrice: '8500000' },
        { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '30000' },
      ],
    }, history);
    // 850 base, doubled to 1700, +200 big-basket = 1900, x1.25 = 2375.
    expect(q.tierBefore).to.equal('silver');
    expect(q.points).to.equal(2375);
  });

  it('US shop: headphones on a Saturday evening in EDT earn 399 points', async () => {
    const q = await quote('us-shop-usd-dst.program.json', {
      id: 'o-0314',
      customerId: 'c',
      placedAt: '2026-03-14T19:00:00-04:00',
      currency: 'USD',
      lines: [
        { sku: 'HP-02', category: 'audio', quantity: 1, unitPrice: '149.99' },
        { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '7.99' },
      ],
    });
    // 149.99 x 2 = 299.98, +100 basket bonus = 399.98, floor = 399.
    expect(q.points).to.equal(399);
  });

  it('US shop: the weekend-evening rule follows New York time across the DST change', async () => {
    const at = async (placedAt: string) =>
      (await quote('us-shop-usd-dst.program.json', { id: `o-${placedAt}`, customerId: 'c', placedAt, currency: 'USD', lines: [{ sku: 'CB', category: 'accessory', quantity: 1, unitPrice: '10' }] })).trace.rules.find(
        (r) => r.ruleId === 'weekend-evening',
      )?.applied;
    // The table of us-shop-usd-dst.md: 18:30 EST, 18:30 EDT, 17:30 EST, and Sunday 19:00 EST = Monday 00:00 UTC.
    expect(await at('2026-03-07T23:30:00Z')).to.equal(true);
    expect(await at('2026-03-14T22:30:00Z')).to.equal(true);
    expect(await at('2026-03-07T22:30:00Z')).to.equal(false);
    expect(await at('2026-11-02T00:00:00Z')).to.equal(true);
  });

  it('Philippine shop: a phone ordered in the app in October earns 287 points', async () => {
    const q = await quote('philippine-shop-php.program.json', {
      id: 'o-1010',
      customerId: 'c',
      placedAt: '2026-10-10T12:00:00+08:00',
      currency: 'PHP',
      channel: 'app',
      lines: [{ sku: 'PH-9', category: 'phone', quantity: 1, unitPrice: '34990' }],
    });
    // 34990 / 200 = 174.95, x1.5 = 262.425, +25 app = 287.425, half-up = 287.
    expect(q.points).to.equal(287);
  });
});
