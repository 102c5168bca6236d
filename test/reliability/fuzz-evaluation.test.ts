/**
 * Guarantee: evaluation survives hostile input. Fuzzed programs (the toko program with random parts replaced by
 * random JSON) are either parsed or refused with one ProgramError; fuzzed orders (random lines, quantities, prices,
 * currencies, instants, plus random JSON) are either quoted or refused with an InputError — never any other throw.
 * Quotes are deterministic (the same input twice gives the same answer) and never exceed the once-a-month cap of
 * the big-basket bonus, whatever the order.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { compileProgram, InputError, parseProgram, ProgramError, quoteOrder, type CompiledProgram } from '@purna/rules';

const toko = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Replaces the value at a random path of `value` with `replacement`. */
function replaceAt(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [head, ...rest] = path as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const i = head % value.length;
    return (value as unknown[]).map((v, j): unknown => (j === i ? replaceAt(v, rest, replacement) : v));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[head % keys.length] as string;
  return { ...(value as Record<string, unknown>), [key]: replaceAt((value as Record<string, unknown>)[key], rest, replacement) };
}

const hostileArb = fc
  .array(fc.tuple(fc.array(fc.nat(50), { maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 3 })
  .map((edits) => edits.reduce<unknown>((program, [path, replacement]) => replaceAt(program, path, replacement), toko));
// Edits a marketer makes that keep the program valid (a new name, a rule renamed, a threshold moved), so that
// every run also evaluates parsed programs: random JSON alone leaves a valid program too rarely to count on.
const earningRules = toko.earning as Array<Record<string, unknown>>;
const benignArb = fc
  .tuple(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s !== ''), fc.nat(earningRules.length - 1), fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s !== ''))
  .map(([name, i, ruleName]) => ({ ...toko, name, earning: earningRules.map((rule, j) => (j === i ? { ...rule, name: ruleName } : rule)) }));
const programArb = fc.oneof({ weight: 3, arbitrary: hostileArb }, { weight: 1, arbitrary: benignArb });

const decimal = fc.oneof(fc.integer({ min: 0, max: 50_000_000 }).map(String), fc.constantFrom('0.5', '-1', '1e3', 'abc', '', '99999999999999999999'));
const lineArb = fc.record(
  {
    sku: fc.oneof(fc.constantFrom('LP-14', 'TV-55', 'SHIP', 'GC'), fc.string({ minLength: 1, maxLength: 5 }), fc.constant('')),
    category: fc.constantFrom('laptop', 'tv', 'phone', 'shipping', 'gift-card', 'accessory', ''),
    quantity: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(-1, 1.5, 1_000_001)),
    unitPrice: decimal,
    discount: decimal,
  },
  { requiredKeys: ['sku', 'category', 'quantity', 'unitPrice'] },
);
const orderArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    id: fc.constantFrom('o-1', 'o-2', ''),
    customerId: fc.constant('ayu'),
    placedAt: fc.oneof(fc.date({ min: new Date('2025-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-02-30T10:00:00Z', 'yesterday', '')),
    currency: fc.constantFrom('IDR', 'IDR', 'USD', 'idr'),
    lines: fc.array(lineArb, { minLength: 0, maxLength: 6 }),
  }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Quotes, or says which allowed error refused it; any other throw fails the property. */
function quote(compiled: CompiledProgram, order: unknown): { points: number; ruleIds: readonly string[]; usage: ReadonlyArray<{ key: string; count: number }> } | 'refused' {
  const placedAt = (order as { placedAt?: unknown } | null)?.placedAt;
  try {
    return quoteOrder(compiled, { customer: { id: 'ayu' }, order: order as never, history: { orders: [], usage: {} } }, { at: typeof placedAt === 'string' ? placedAt : '2026-02-01T03:00:00Z' });
  } catch (error) {
    if (error instanceof InputError || error instanceof ProgramError) return 'refused';
    throw error;
  }
}

describe('fuzzed programs and orders', () => {
  const compiled = compileProgram(parseProgram(toko));

  it('a fuzzed program is parsed or refused with one ProgramError, and a parsed one evaluates', () => {
    let parsed = 0;
    fc.assert(
      fc.property(programArb, orderArb, (json, order) => {
        let program;
        try {
          program = parseProgram(json);
        } catch (error) {
          if (!(error instanceof ProgramError)) throw error;
          expect(error.errors.length).to.be.within(1, 51);
          return;
        }
        parsed++;
        quote(compileProgram(program), order);
      }),
      { numRuns: 300 },
    );
    // A quarter of the programs are benign edits: the evaluation half did run.
    expect(parsed).to.be.greaterThan(30);
  });

  it('a fuzzed order is quoted or refused with an InputError, deterministically', () => {
    fc.assert(
      fc.property(orderArb, (order) => {
        const first = quote(compiled, order);
        const second = quote(compiled, structuredClone(order));
        expect(second).to.deep.equal(first);
        if (first !== 'refused') expect(Number.isSafeInteger(first.points) && first.points >= 0, `points ${first.points}`).to.equal(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('the big-basket bonus (200 points, once a month) is never granted twice in a month', () => {
    fc.assert(
      fc.property(fc.array(lineArb.filter((l) => l.sku !== '' && l.category !== '' && /^\d+$/.test(l.unitPrice) && Number.isInteger(l.quantity) && l.quantity >= 0 && l.quantity <= 20 && (l.discount === undefined || l.discount === '0')), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 27 }), (lines, day) => {
        const order = (id: string, at: string) => ({ id, customerId: 'ayu', placedAt: at, currency: 'IDR', lines });
        const firstAt = `2026-03-01T03:00:00Z`;
        const secondAt = `2026-03-${String(day + 1).padStart(2, '0')}T03:00:00Z`;
        // An order refused with an InputError (e.g. points past 2^53) grants nothing; any other throw fails.
        const quoteOrRefuse = (o: ReturnType<typeof order>, at: string, usage: Record<string, number>) => {
          try {
            return quoteOrder(compiled, { customer: { id: 'ayu' }, order: o, history: { orders: [], usage } }, { at });
          } catch (error) {
            if (error instanceof InputError) return undefined;
            throw error;
          }
        };
        const first = quoteOrRefuse(order('o-1', firstAt), firstAt, {});
        const usage: Record<string, number> = {};
        for (const u of first?.usage ?? []) usage[u.key] = (usage[u.key] ?? 0) + u.count;
        const second = quoteOrRefuse(order('o-2', secondAt), secondAt, usage);
        const granted = [first, second].filter((q) => q?.ruleIds.includes('big-basket') === true).length;
        expect(granted, `first ${first?.ruleIds.join(',') ?? 'refused'} second ${second?.ruleIds.join(',') ?? 'refused'}`).to.be.at.most(1);
      }),
      { numRuns: 300 },
    );
  });
});
