/**
 * Guarantee: MongoDB operators sent by a client never reach the database. A corpus of operator objects (`$gt`,
 * `$ne`, `$where`, `$regex`, `$expr`), `$`-prefixed and dotted keys is put into the body (at every object and in
 * place of every string of a valid body), the query, the path parameters and the headers of every operation of
 * /openapi.json: each is refused (400; 401 for a forged Authorization), and on the mongo store the driver's
 * command monitoring shows that no command sent to the server carries the corpus' marker.
 */
import { expect } from 'chai';
import { BSON, type CommandStartedEvent } from 'mongodb';
import { caseOf, documentOperations, keyFor, seedTenantA, type DocumentOperation, type Seed } from './support/route-catalog.js';
import { WatchingStore } from './support/watching-store.js';
import { forEachWorldStore, type World } from './support/world.js';

/** Every attack carries this string, so finding it in a command means an attack reached the server. */
const MARKER = 'pwnmarker7x';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The operator values one string field is replaced by. */
const OPERATOR_VALUES: Json[] = [
  { $gt: MARKER },
  { $ne: MARKER },
  { $regex: `^${MARKER}` },
  { $where: `sleep(1) || '${MARKER}'` },
  { $expr: { $eq: [MARKER, MARKER] } },
];
/** The keys added to every object. */
const OPERATOR_KEYS = ['$where', '$gt', `${MARKER}.x`, '$set'];

/** Every variant of `body` with one attack in it: a key added to one object, or one string replaced. */
function bodyAttacks(body: Json): Array<{ where: string; body: Json }> {
  const out: Array<{ where: string; body: Json }> = [];
  const walk = (node: Json, pointer: string, replace: (value: Json) => Json): void => {
    if (typeof node === 'string') {
      for (const value of OPERATOR_VALUES) out.push({ where: `${pointer} = ${JSON.stringify(value)}`, body: replace(value) });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`, (value) => replace(node.map((x, j) => (j === i ? value : x)))));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const key of OPERATOR_KEYS) out.push({ where: `${pointer}/${key}`, body: replace({ ...node, [key]: MARKER }) });
    for (const [key, child] of Object.entries(node)) {
      walk(child, `${pointer}/${key}`, (value) => replace({ ...node, [key]: value }));
    }
  };
  walk(body, '', (value) => value);
  return out;
}

const QUERY_ATTACKS = [`$where=${MARKER}`, `at[$gt]=${MARKER}`, `customerId[$ne]=${MARKER}`, `${MARKER}.x=1`, `$gt=${MARKER}`];
const PARAM_ATTACKS = ['$where', `$gt${MARKER}`, `{"$ne":"${MARKER}"}`, `${MARKER}[$ne]`, `$regex:${MARKER}`];

/** Substitutes the template's parameters with `value` (one at a time would be the same here: at most one each). */
function withParams(op: DocumentOperation, value: string): string | undefined {
  if (!op.template.includes('{')) return undefined;
  return op.template.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

forEachWorldStore('operator injection on every route of /openapi.json', (open, kind) => {
  let world: World;
  let watch: WatchingStore;
  let seed: Seed;
  const commands: CommandStartedEvent[] = [];
  const sent = (): string => commands.map((c) => BSON.EJSON.stringify(c.command)).join('\n');

  before(async function () {
    this.timeout(60_000);
    world = await open({
      wrapStore: (store) => (watch = new WatchingStore(store)),
      mongoOptions: { onCommandStarted: (event) => commands.push(event) },
    });
    seed = await seedTenantA(world);
  });
  after(async () => {
    await world.close();
  });

  if (kind === 'mongo') {
    it('the command monitor sees what a request sends (so its silence below means something)', async () => {
      const control = 'controlmarker9q';
      const res = await world.call('post', '/v1/events', world.keys.checkout, { id: `ev-${control}`, customerId: seed.customerId, type: 'review.published' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(sent()).to.include(control);
    });
  }

  it('refuses every attack in body, query, path and headers with 400 (401 for Authorization), writing nothing', async function () {
    this.timeout(300_000);
    const operations = await documentOperations(world);
    const mark = watch.writes.length;
    let attacks = 0;
    // Every attack that got through, so one run lists them all.
    const through: string[] = [];
    const refuse = async (what: string, method: DocumentOperation['method'], path: string, key: string | undefined, body: unknown, headers: Record<string, string> = {}, status = 400): Promise<void> => {
      attacks++;
      const res = await world.call(method, path, key, body, headers);
      const problem = /^application\/problem\+json/.test(String(res.headers['content-type']));
      if (res.status !== status || !problem) through.push(`${what}: ${res.status} (expected ${status}) ${JSON.stringify(res.body).slice(0, 200)}`);
    };
    for (const op of operations) {
      const route = caseOf(op.id);
      const key = keyFor(world, route.scope);
      const valid = route.request(seed, 7, world);
      if (op.hasBody) {
        for (const attack of bodyAttacks(valid.body as Json)) {
          await refuse(`${op.id} body ${attack.where}`, op.method, valid.path, key, attack.body);
        }
      }
      for (const query of QUERY_ATTACKS) {
        await refuse(`${op.id} query ${query}`, op.method, `${valid.path}${valid.path.includes('?') ? '&' : '?'}${query}`, key, valid.body);
      }
      for (const param of PARAM_ATTACKS) {
        const path = withParams(op, param);
        if (path) await refuse(`${op.id} path ${param}`, op.method, path, key, valid.body);
      }
      if (op.method === 'post') {
        await refuse(`${op.id} Idempotency-Key`, op.method, valid.path, key, valid.body, { 'Idempotency-Key': `{"$gt":"${MARKER}"}` });
      }
      if (route.scope !== 'public') {
        await refuse(`${op.id} Authorization`, op.method, valid.path, undefined, valid.body, { Authorization: `Bearer {"$ne":"${MARKER}"}` }, 401);
      }
    }
    expect(attacks).to.be.greaterThan(300);
    expect(through, `${through.length} of ${attacks} attacks were not refused`).to.deep.equal([]);
    expect(watch.changesSince(mark), 'an attack wrote to the store').to.deep.equal([]);
    if (kind === 'mongo') expect(sent(), 'a command sent to MongoDB carries the attack marker').not.to.include(MARKER);
  });
});
