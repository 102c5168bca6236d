/**
 * Benchmark of @purna/rules. Run: node --conditions=purna-source --import tsx scripts/bench/rules.ts
 *
 * Prints: compile time of a generated 200-rule program (goal < 20 ms) and quotes per second of a 10-line order
 * against 50 rules on one core (goal >= 50,000/s). Figures only: nothing here asserts.
 */
import { pathToFileURL } from 'node:url';
import { compileProgram, parseProgram, quoteOrder, type CustomerHistory, type OrderInput } from '../../packages/rules/src/index.js';

export const CATEGORIES = ['tv', 'laptop', 'phone', 'accessory', 'audio', 'camera', 'tablet', 'gift-card', 'shipping', 'appliance'];
export const BRANDS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

/** A program with `count` earning rules of every kind (line and order scope, conditions, filters, caps). */
export function generatedProgram(count: number): unknown {
  const earning = Array.from({ length: count }, (_, i) => {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    const brand = BRANDS[i % BRANDS.length]!;
    switch (i % 5) {
      case 0:
        return { id: `base-${i}`, name: `points on ${category}`, scope: 'line', appliesTo: { category: [category] }, award: { pointsPer: { amount: '10000', points: 1 } } };
      case 1:
        return {
          id: `brand-${i}`,
          name: `double ${brand}`,
          scope: 'line',
          when: { all: [{ fact: 'line.brand', op: 'eq', value: brand }, { fact: 'line.amount', op: 'gte', value: '100000' }] },
          award: { multiplier: '2' },
          cap: { perOrder: 500 },
        };
      case 2:
        return {
          id: `basket-${i}`,
          name: `basket bonus ${i}`,
          scope: 'order',
          when: { any: [{ fact: 'order.total', op: 'gte', value: String(1_000_000 * (1 + (i % 7))) }, { fact: 'customer.tags', op: 'in', value: ['vip'] }] },
          award: { points: 50 + i },
          cap: { perCustomer: { count: 2, period: { months: 1 } } },
        };
      case 3:
        return {
          id: `weekend-${i}`,
          name: `weekend ${category}`,
          scope: 'line',
          when: { all: [{ fact: 'time.dayOfWeek', op: 'in', value: [6, 7] }, { fact: 'line.quantity', op: 'gte', value: 2 }] },
          exclude: { category: ['gift-card', 'shipping'] },
          award: { points: 10 },
          valid: { from: '2026-01-01T00:00:00+07:00', until: '2028-01-01T00:00:00+07:00' },
        };
      default:
        return {
          id: `campaign-${i}`,
          name: `campaign ${i}`,
          scope: 'order',
          when: { not: { fact: 'order.channel', op: 'eq', value: 'marketplace' } },
          exclude: { category: ['gift-card', 'shipping'] },
          award: { pointsPer: { amount: '50000', points: 1 } },
          cap: { budget: { points: 1_000_000 } },
        };
    }
  });
  return {
    id: 'bench',
    name: 'Bench',
    currency: 'IDR',
    timezone: 'Asia/Jakarta',
    points: { rounding: 'floor', pendingDays: 14, expiry: { months: 12 } },
    tiers: {
      basis: 'spend',
      exclude: { category: ['gift-card', 'shipping'] },
      window: { type: 'rolling', months: 12 },
      levels: [
        { id: 'bronze', name: 'Bronze', threshold: '0', multiplier: '1' },
        { id: 'silver', name: 'Silver', threshold: '5000000', multiplier: '1.25' },
        { id: 'gold', name: 'Gold', threshold: '20000000', multiplier: '1.5' },
      ],
      downgrade: { graceMonths: 1 },
    },
    earning,
  };
}

/** Wall time and this process's CPU time (user + system): on a busy machine CPU time is the fairer figure. */
function time<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

// Runs only as a script: scripts/bench/run.ts imports the generator without running this benchmark.
function main(): void {
  // Compile: median of several runs of parse + compile, and compile alone.
  const big = generatedProgram(200);
  const parseTimes: number[] = [];
  const compileTimes: number[] = [];
  const compileCpu: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    const parsed = time(() => parseProgram(big));
    parseTimes.push(parsed.ms);
    const once = time(() => compileProgram(parsed.value));
    compileTimes.push(once.ms);
    compileCpu.push(once.cpuMs);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `compile 200-rule program: ${median(compileTimes).toFixed(2)} ms wall, ${median(compileCpu).toFixed(2)} ms CPU (median of 15; goal < 20 ms); parseProgram: ${median(parseTimes).toFixed(2)} ms`,
  );

  // Quote: a 10-line order against 50 rules, with a small history.
  const compiled = compileProgram(parseProgram(generatedProgram(50)));
  const order: OrderInput = {
    id: 'o-bench',
    placedAt: '2026-06-13T10:00:00+07:00',
    currency: 'IDR',
    channel: 'web',
    lines: Array.from({ length: 10 }, (_, i) => ({
      sku: `SKU-${i}`,
      category: CATEGORIES[i]!,
      brand: BRANDS[i % BRANDS.length]!,
      quantity: 1 + (i % 3),
      unitPrice: String(150_000 * (i + 1)),
      ...(i % 4 === 0 ? { discount: '10000' } : {}),
    })),
  };
  const history: CustomerHistory = {
    orders: Array.from({ length: 6 }, (_, i) => ({ id: `h-${i}`, placedAt: `2026-0${i + 1}-05T10:00:00+07:00`, tierSpend: '1500000', points: 150 })),
    usage: { 'earn:basket-2:2026-06': 1 },
    campaignUsage: { 'campaign-4': 1000 },
  };
  const customer = { id: 'c-1', tags: ['vip'] };
  const at = order.placedAt!;
  for (let i = 0; i < 2000; i += 1) quoteOrder(compiled, { customer, order, history }, { at });
  const rounds = 20_000;
  const run = time(() => {
    let points = 0;
    for (let i = 0; i < rounds; i += 1) points += quoteOrder(compiled, { customer, order, history }, { at }).points;
    return points;
  });
  const sample = quoteOrder(compiled, { customer, order, history }, { at });
  const rate = (ms: number) => Math.round((rounds / ms) * 1000).toLocaleString('en');
  console.log(
    `quoteOrder, 10 lines x 50 rules: ${rate(run.ms)} quotes/s wall, ${rate(run.cpuMs)} quotes/s of CPU time (goal >= 50,000/s on one core; ${((run.cpuMs * 1000) / rounds).toFixed(1)} µs CPU each; ${sample.points} points, ${sample.ruleIds.length} rules applied)`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
