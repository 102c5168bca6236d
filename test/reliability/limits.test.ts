/**
 * Guarantee: untrusted input cannot make the API do unbounded work. A body over the limit is 413; a program
 * 10,000 conditions deep or 10,000 wide is refused; a body with thousands of bad fields gets a bounded list of
 * errors (at most MAX_ERRORS, the order of the 50 the rules' parseProgram lists); the request over the rate is 429
 * with Retry-After. (How fast a refusal is, is measured by scripts/bench, not asserted here.)
 */
import { expect } from 'chai';
import { openWorld, orderOf, reliabilityProgram, type World } from './support/world.js';

/** The most errors one answer may list. parseProgram lists 50 and a "more not listed" line; we allow twice that. */
const MAX_ERRORS = 100;

/** The JSON text of a condition nested `depth` levels deep (built as text: serialisers recurse and overflow). */
function deepCondition(depth: number): string {
  return `${'{"all":['.repeat(depth)}{"fact":"order.total","op":"gte","value":"1"}${']}'.repeat(depth)}`;
}

/** The JSON text of the reliability program with one more earning rule whose `when` is `whenJson`. */
function programWith(whenJson: string): string {
  const program = reliabilityProgram();
  const [base] = program.earning as Array<Record<string, unknown>>;
  const marker = '"__WHEN__"';
  return JSON.stringify({ ...program, earning: [{ ...base, id: 'bonus', name: 'bonus', when: '__WHEN__' }] }).replace(marker, whenJson);
}

describe('limits on untrusted input', () => {
  let world: World;
  before(async () => {
    world = await openWorld('memory');
  });
  after(async () => {
    await world.close();
  });

  it('a body over the limit is 413 problem+json, and nothing is recorded', async () => {
    const small = await openWorld('memory', { app: { bodyLimitBytes: 200_000 } });
    const lines = Array.from({ length: 2000 }, (_, i) => ({ sku: `SKU-${i}-${'x'.repeat(80)}`, category: 'phone', quantity: 1, unitPrice: '1000' }));
    const order = { ...orderOf('too-big', 'big-c', small.clock.iso(), []), lines };
    expect(JSON.stringify(order).length).to.be.greaterThan(200_000);
    try {
      const res = await small.call('post', '/v1/orders', small.keys.checkout, order);
      expect(res.status).to.equal(413);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect((await small.call('get', '/v1/customers/big-c', small.keys.crm)).status).to.equal(404);
    } finally {
      await small.close();
    }
  });

  for (const [shape, when] of [
    ['10,000 conditions deep', deepCondition(10_000)],
    ['10,000 conditions wide', JSON.stringify({ all: Array.from({ length: 10_000 }, (_, i) => ({ fact: 'order.total', op: 'gte', value: String(i) })) })],
    ['10,000 conditions wide under any', JSON.stringify({ any: Array.from({ length: 10_000 }, (_, i) => ({ fact: 'line.sku', op: 'eq', value: `S${i}` })) })],
  ] as const) {
    it(`a program ${shape} is refused on publish and on validate, with a bounded error list`, async () => {
      // Under the default body limit (1 MiB): what refuses it is the program's own bounds, not the body size.
      const program = programWith(when);
      expect(program.length).to.be.below(1_048_576);
      const before = (await world.call('get', '/v1/program', world.keys.admin)).body as { version: number };
      const published = await world.call('put', '/v1/program', world.keys.admin, program, { 'Content-Type': 'application/json' });
      expect(published.status, JSON.stringify(published.body).slice(0, 300)).to.equal(400);
      expect(published.headers['content-type']).to.match(/^application\/problem\+json/);
      expect((published.body.errors as unknown[]).length).to.be.within(1, MAX_ERRORS);
      const after = (await world.call('get', '/v1/program', world.keys.admin)).body as { version: number };
      expect(after.version, 'a refused program was published').to.equal(before.version);
      const validated = await world.call('post', '/v1/program/validate', world.keys.admin, program, { 'Content-Type': 'application/json' });
      expect(validated.status).to.be.oneOf([200, 400]);
      if (validated.status === 200) expect(validated.body.valid).to.equal(false);
      expect((validated.body.errors as unknown[]).length).to.be.within(1, MAX_ERRORS);
    });
  }

  it('an order with 20,000 bad lines gets at most MAX_ERRORS errors', async () => {
    const order = { ...orderOf('bad-lines', 'bad-c', world.clock.iso(), []), lines: Array.from({ length: 20_000 }, () => ({ quantity: -1 })) };
    const res = await world.call('post', '/v1/orders', world.keys.checkout, order);
    expect(res.status).to.equal(400);
    expect(res.body.errors, 'errors').to.be.an('array');
    expect((res.body.errors as unknown[]).length, `${(res.body.errors as unknown[]).length} errors returned`).to.be.within(1, MAX_ERRORS);
  });

  it('a program with 5,000 bad earning rules gets at most MAX_ERRORS errors', async () => {
    const program = { ...reliabilityProgram(), earning: Array.from({ length: 5_000 }, (_, i) => ({ id: `r${i}`, scope: 'nowhere', award: { points: -1 } })) };
    for (const [method, path] of [['put', '/v1/program'], ['post', '/v1/program/validate']] as const) {
      const res = await world.call(method, path, world.keys.admin, program);
      expect(res.status).to.be.oneOf([200, 400]);
      expect((res.body.errors as unknown[]).length, `${method.toUpperCase()} ${path}: ${(res.body.errors as unknown[]).length} errors returned`).to.be.within(1, MAX_ERRORS);
    }
  });

  it('the request over the rate is 429 with Retry-After, per key', async () => {
    const limited = await openWorld('memory', { app: { rateLimit: { perMinute: 60, burst: 5 } } });
    try {
      // The burst of 5 is spent by the 5 requests; the clock does not move, so the 6th finds the bucket empty.
      for (let i = 0; i < 5; i++) expect((await limited.call('get', '/v1/program', limited.keys.checkout)).status).to.equal(200);
      const over = await limited.call('get', '/v1/program', limited.keys.checkout);
      expect(over.status).to.equal(429);
      expect(over.headers['content-type']).to.match(/^application\/problem\+json/);
      // 60 a minute refill one token a second.
      expect(Number(over.headers['retry-after'])).to.be.within(1, 60);
      // Another key of the same tenant has its own bucket.
      expect((await limited.call('get', '/v1/program', limited.keys.crm)).status).to.equal(200);
      // After Retry-After seconds the key may call again.
      limited.clock.ms += Number(over.headers['retry-after']) * 1000;
      expect((await limited.call('get', '/v1/program', limited.keys.checkout)).status).to.equal(200);
    } finally {
      await limited.close();
    }
  });
});
