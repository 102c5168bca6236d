/**
 * The quote-only entry point (`@purna/rules/quote`) gives the very quotes of the full library, and carries no schema
 * validator: a program packed by packQuoteProgram and revived from its JSON quotes every generated order of every
 * recipe and example program exactly as the program compiled from parseProgram does, trace included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { compileProgram, packQuoteProgram, parseProgram, ProgramError, quoteOrder, RULES_VERSION, type CompiledProgram, type CustomerHistory, type OrderQuote } from '../src/index.js';
import * as quoteEntry from '../src/quote.js';
import { generateCustomers, generateOrders, SHOPS, type GenerateOptions } from '../../../scripts/generate-orders.js';

const repo = new URL('../../../', import.meta.url);
const programFiles = ['docs/recipes/', 'examples/'].flatMap((folder) =>
  readdirSync(new URL(folder, repo))
    .filter((name) => name.endsWith('.program.json'))
    .map((name) => `${folder}${name}`),
);
const shopOf: Record<string, GenerateOptions['shop']> = { IDR: SHOPS.id!, USD: SHOPS.us!, PHP: SHOPS.ph! };

interface Run {
  /** Orders whose two quotes differ, with both. */
  readonly differences: Array<{ order: string; full: string; revived: string }>;
  orders: number;
  points: number;
  readonly tiers: Set<string | null>;
  readonly rules: Set<string>;
}

/**
 * Quotes generated orders with both compiled programs, each customer's history growing with the orders before (from
 * the full library's quote), and compares the quotes whole (JSON.stringify reads the lazy trace, lines and exact).
 */
function quoteBoth(file: string, full: CompiledProgram, revived: CompiledProgram): Run {
  const json = JSON.parse(readFileSync(new URL(file, repo), 'utf8')) as { currency: string };
  const options: GenerateOptions = { shop: shopOf[json.currency]!, orders: 300, customers: 12, seed: 20, from: '2026-01-01T00:00:00Z', until: '2027-01-31T00:00:00Z' };
  const customers = new Map([...generateCustomers(options)].map((c) => [c.id, c]));
  const histories = new Map<string, { orders: CustomerHistory['orders'][number][]; usage: Record<string, number>; campaignUsage: Record<string, number> }>();
  const campaignUsage: Record<string, number> = {};
  const run: Run = { differences: [], orders: 0, points: 0, tiers: new Set(), rules: new Set() };
  for (const order of generateOrders(options)) {
    const history = histories.get(order.customerId) ?? { orders: [], usage: {}, campaignUsage };
    const input = { customer: customers.get(order.customerId), order, history };
    // Every fourth order with its trace (the exact path at once), the others first on the fast path.
    const options = { at: order.placedAt, trace: run.orders % 4 === 0 };
    const expected: OrderQuote = quoteOrder(full, input, options);
    const actual = quoteEntry.quoteOrder(revived, input, options);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) run.differences.push({ order: order.id, full: JSON.stringify(expected), revived: JSON.stringify(actual) });
    run.orders += 1;
    run.points += expected.points;
    run.tiers.add(expected.tierAfter);
    for (const id of expected.ruleIds) run.rules.add(id);
    history.orders.push({ id: order.id, placedAt: order.placedAt, tierSpend: expected.tierSpend, points: expected.points });
    for (const delta of expected.usage) history.usage[delta.key] = (history.usage[delta.key] ?? 0) + delta.count;
    for (const delta of expected.campaignUsage) campaignUsage[delta.ruleId] = (campaignUsage[delta.ruleId] ?? 0) + delta.points;
    histories.set(order.customerId, history);
  }
  return run;
}

describe('storefront: the quote-only entry point', () => {
  for (const file of programFiles) {
    it(`quotes ${file} exactly as the full library, from the packed program's JSON`, () => {
      const text = readFileSync(new URL(file, repo), 'utf8');
      const full: CompiledProgram = compileProgram(parseProgram(text), { version: 7 });
      const revived = quoteEntry.reviveQuoteProgram(JSON.stringify(packQuoteProgram(text, { version: 7 })));
      const run = quoteBoth(file, full, revived);
      expect(run.differences.slice(0, 3)).to.deep.equal([]);
      // Not vacuous: the orders earn points, move customers between tiers and apply several rules.
      expect(run.orders).to.equal(300);
      expect(run.points).to.be.greaterThan(0);
      expect(run.tiers.size).to.be.greaterThan(1);
      expect(run.rules.size).to.be.greaterThan(1);
    });
  }

  it('records the packed version in the snapshot, as compileProgram with that version does', () => {
    const text = readFileSync(new URL('examples/toko-rewards.program.json', repo), 'utf8');
    const revived = quoteEntry.reviveQuoteProgram(packQuoteProgram(text, { version: 12 }));
    expect(revived.version).to.equal(12);
    expect(Object.isFrozen(revived.program.earning[0])).to.equal(true);
  });

  it('refuses what packQuoteProgram did not make, or made with another rules version, with a ProgramError naming it', () => {
    const text = readFileSync(new URL('examples/toko-rewards.program.json', repo), 'utf8');
    const packed = packQuoteProgram(text);
    const refusal = (value: unknown) => {
      try {
        quoteEntry.reviveQuoteProgram(value);
      } catch (error) {
        expect(error).to.be.instanceOf(ProgramError);
        return (error as ProgramError).errors[0]!;
      }
      throw new Error('reviveQuoteProgram accepted it');
    };
    expect(refusal(JSON.parse(text))).to.include({ pointer: '/format', code: 'not-a-quote-program' });
    expect(refusal('{"format"')).to.include({ pointer: '', code: 'invalid-json' });
    const other = refusal({ ...packed, rulesVersion: '0.0.1' });
    expect(other).to.include({ pointer: '/rulesVersion', code: 'rules-version-mismatch' });
    expect(other.message).to.include(RULES_VERSION);
    expect(refusal({ ...packed, version: 'three' })).to.include({ pointer: '/version', code: 'invalid-version' });
    expect(refusal({ ...packed, program: null })).to.include({ pointer: '/program', code: 'invalid-program' });
  });

  it('packQuoteProgram checks the program first: an invalid one is parseProgram\'s ProgramError', () => {
    expect(() => packQuoteProgram({ id: 'x' })).to.throw(ProgramError, /timezone/);
  });
});
