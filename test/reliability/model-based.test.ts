/**
 * Guarantee (model-based, through the HTTP layer): after every command of a random sequence — grant (adjustment +),
 * deduct (adjustment −, may leave debt), review event (50 points, 5 a month), redeem, replay of an earlier write,
 * read — the API's balance equals a model's and the sum of the customer's entries. Points here are all available at
 * once and nothing expires within a run, so the model is one integer: redeeming p is accepted iff p ≤ balance
 * (which also refuses everything while the balance is negative). Orders, returns, pending points and expiry are
 * covered by crash-retry, fraud and reconciliation. (The ledger package has no model-based test of its own.)
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { entriesOf, forEachWorldStore, pointsOf, type World } from './support/world.js';

type Command =
  | { kind: 'grant'; points: number }
  | { kind: 'deduct'; points: number }
  | { kind: 'event' }
  | { kind: 'redeem'; points: number }
  | { kind: 'replay'; pick: number }
  | { kind: 'read' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.integer({ min: 1, max: 500 }).map((points): Command => ({ kind: 'grant', points })),
  fc.integer({ min: 1, max: 500 }).map((points): Command => ({ kind: 'deduct', points })),
  fc.constant<Command>({ kind: 'event' }),
  fc.integer({ min: 1, max: 600 }).map((points): Command => ({ kind: 'redeem', points })),
  fc.nat().map((pick): Command => ({ kind: 'replay', pick })),
  fc.constant<Command>({ kind: 'read' }),
);

forEachWorldStore('model-based ledger through the API', (open, kind) => {
  let world: World;
  before(async () => {
    world = await open();
  });
  after(async () => {
    await world.close();
  });

  const runs = kind === 'memory' ? 200 : kind === 'lmdb' ? 40 : 6;
  it(`balance = model = sum of entries after every command (${runs} runs)`, async function () {
    this.timeout(300_000);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 25 }), async (commands) => {
        run++;
        const customerId = `model-${run}`;
        expect((await world.call('put', `/v1/customers/${customerId}`, world.keys.crm, { enrolledAt: world.clock.iso() })).status).to.be.oneOf([200, 201]);
        let model = 0;
        let events = 0;
        const writes: Array<{ path: string; key: string; body: unknown; status: number; answer: unknown }> = [];
        const write = async (path: string, key: string, body: unknown): Promise<{ status: number; body: unknown }> => {
          const res = await world.call('post', path, key, body);
          writes.push({ path, key, body, status: res.status, answer: res.body });
          return res;
        };
        for (const [i, command] of commands.entries()) {
          const where = `run ${run}, command ${i} ${JSON.stringify(command)}, model ${model}`;
          if (command.kind === 'grant' || command.kind === 'deduct') {
            const points = command.kind === 'grant' ? command.points : -command.points;
            const res = await write(`/v1/customers/${customerId}/adjustments`, world.keys.crm, { id: `${customerId}-a${i}`, points, reason: 'model' });
            expect(res.status, where).to.equal(201);
            model += points;
          } else if (command.kind === 'event') {
            const res = await write('/v1/events', world.keys.checkout, { id: `${customerId}-e${i}`, customerId, type: 'review.published' });
            expect(res.status, where).to.equal(201);
            // 50 points for each of the first 5 reviews in a month; the clock does not move within a run.
            const awarded = events < 5 ? 50 : 0;
            expect((res.body as { awarded: number }).awarded, where).to.equal(awarded);
            events++;
            model += awarded;
          } else if (command.kind === 'redeem') {
            const res = await write('/v1/redemptions', world.keys.checkout, { id: `${customerId}-r${i}`, customerId, orderId: `${customerId}-b${i}`, orderTotal: '1000000', points: command.points });
            const accepted = command.points <= model;
            expect(res.status, where).to.equal(accepted ? 201 : 422);
            if (accepted) model -= command.points;
          } else if (command.kind === 'replay') {
            const earlier = writes[command.pick % Math.max(writes.length, 1)];
            if (earlier) {
              const res = await world.call('post', earlier.path, earlier.key, earlier.body);
              expect(res.status, `${where}: replay`).to.equal(earlier.status);
              // A problem's `instance` names this request; everything else is the first answer.
              const { instance: _again, ...body } = res.body as Record<string, unknown>;
              const { instance: _first, ...first } = earlier.answer as Record<string, unknown>;
              expect(body, `${where}: replay`).to.deep.equal(first);
            }
          }
          const points = await pointsOf(world, world.keys.crm, customerId);
          expect(points.balance, where).to.equal(model);
          expect(points.available, where).to.equal(Math.max(0, model));
          if (command.kind === 'read' || i === commands.length - 1) {
            const entries = await entriesOf(world, world.keys.crm, customerId);
            expect(entries.reduce((sum, e) => sum + e.points, 0), `${where}: sum of entries`).to.equal(model);
          }
        }
      }),
      { numRuns: runs },
    );
  });
});
