/**
 * Webhook deliveries from the moments outbox: each moment an endpoint wants reaches it once, in each customer's
 * order; a failing head holds its customer's queue until its retry while other customers go on; moments stored
 * before the endpoint existed are not sent; two workers at once never send a moment twice; giving up is reported; a
 * backlog longer than a feed page is found in one pass; a head left behind its delivered moments sends none again;
 * one discovery at a time reads an endpoint's feed; caught-up customers are sent to without a queue read or write
 * (no listing, no log read), a failing one gets a queue from its head, a dead worker's sends are not repeated by the
 * next, the hold on the cursor is renewed through a long pass and a worker that lost it stops, and a moment whose
 * earlier one is not in the feed yet goes through its queue, in order.
 * The sender is injected: nothing here touches a network.
 */
import { expect } from 'chai';
import { Ledger, QUEUE_SWEEP_MS } from '../src/ledger/ledger.js';
import type { MomentDoc } from '../src/moments/moment-store.js';
import { FEED_HORIZON_MS, momentId, storeMoment } from '../src/moments/moment-store.js';
import { CURSOR_LEASE_MS, deliverEndpoint, discover, drainCaughtUp, listDeliveries, type DeliveryEndpoint, type DeliveryPass, type SendOutcome } from '../src/webhooks/webhook-deliveries.js';
import { forEachStore } from './support/store-targets.js';
import { momentsProgram } from './support/moments-program.js';

const program = momentsProgram;
const START = Date.parse('2026-06-01T00:00:00Z');

/** A pass whose receiver accepts every moment at once (telling `onSend` of each); giving up fails the test. */
function acceptingPass(owner: string, now: () => number, onSend: (moment: MomentDoc) => void): DeliveryPass {
  return {
    owner,
    now,
    send: (_e, m: MomentDoc) => {
      onSend(m);
      return Promise.resolve({ ok: true, status: 204, durationMs: 1 });
    },
    retry: () => ({ giveUp: true }),
    giveUp: () => Promise.reject(new Error('must not give up here')),
  };
}

/** A points.awarded moment of `customerId` numbered `seq`, as a test stores it with `storeMoment` at `wallMs`. */
function testMoment(customerId: string, seq: number, wallMs: number): MomentDoc {
  return { id: momentId(`test:${customerId}:${seq}`), type: 'points.awarded', occurredAt: new Date(wallMs).toISOString(), customerId, data: {}, seq };
}

/** An enabled endpoint `id` for every type (or `types`) at the tests' receiver URL, made at `createdAtMs`. */
function testEndpoint(id: string, createdAtMs: number, types: DeliveryEndpoint['types'] = []): DeliveryEndpoint {
  return { id, url: 'https://crm.example/hook', types, enabled: true, createdAt: new Date(createdAtMs).toISOString() };
}

function order(id: string, customerId: string, unitPrice: string) {
  return { id, customerId, currency: 'IDR', lines: [{ sku: 'TV', quantity: 1, unitPrice }] };
}

forEachStore('webhook deliveries', (open, kind) => {
  it("delivers each wanted moment once, in each customer's order, holding only a failing customer's queue until its retry", async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      await ledger.publishProgram('t', program);
      // Before the endpoint: Ayu's first moment (the review's 50 points), not sent.
      await ledger.recordEvent('t', { id: 'ev-0', customerId: 'ayu', type: 'review.published' }, { at: '2026-03-01T00:00:00Z' });
      wall += 1000;
      const endpoint = testEndpoint('we_1', wall, ['points.awarded', 'tier.changed']);
      wall += 1;
      // Ayu: points.awarded, tier.changed (2.500.000 reaches silver). Budi: points.awarded only.
      await ledger.recordOrder('t', order('o-1', 'ayu', '2500000'), { at: '2026-03-10T10:00:00Z' });
      await ledger.recordOrder('t', order('o-2', 'budi', '1000000'), { at: '2026-03-10T11:00:00Z' });
      await ledger.recordOrder('t', order('o-3', 'budi', '500000'), { at: '2026-03-11T11:00:00Z' });
      wall += FEED_HORIZON_MS + 1;

      const sent: Array<[string, number, string]> = [];
      let budiFailures = 1;
      const pass = (owner: string): DeliveryPass => ({
        owner,
        now: () => wall,
        send: async (_e, m: MomentDoc): Promise<SendOutcome> => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          sent.push([m.customerId, m.seq, m.type]);
          if (m.customerId === 'budi' && budiFailures > 0) {
            budiFailures -= 1;
            return { ok: false, status: 503, reason: 'unsuccessful-status', durationMs: 5 };
          }
          return { ok: true, status: 204, durationMs: 5 };
        },
        retry: (attempts, first, now) => (attempts >= 5 ? { giveUp: true } : { giveUp: false, retryAt: Math.max(now, first) + 60_000 }),
        giveUp: () => Promise.reject(new Error('must not give up here')),
      });

      // The feed after the endpoint's registration: Ayu's two and Budi's two (the review before it is not read).
      expect((await discover(store, 't', endpoint, wall)).found).to.equal(4);
      // Two workers at once: each moment goes out once.
      const [a, b] = await Promise.all([deliverEndpoint(store, 't', endpoint, pass('w1')), deliverEndpoint(store, 't', endpoint, pass('w2'))]);
      expect(a.delivered + b.delivered).to.equal(2);
      expect(a.failed + b.failed).to.equal(1);
      // Ayu's two (her 2nd and 3rd moments) in order; Budi's first failed, and his second waits behind it.
      expect(sent).to.have.length(3);
      expect(sent.filter((s) => s[0] === 'ayu')).to.deep.equal([
        ['ayu', 2, 'points.awarded'],
        ['ayu', 3, 'tier.changed'],
      ]);
      expect(sent.filter((s) => s[0] === 'budi')).to.deep.equal([['budi', 1, 'points.awarded']]);
      expect(await deliverEndpoint(store, 't', endpoint, pass('w1'))).to.deep.equal({ delivered: 0, failed: 0 });

      wall += 60_001;
      expect(await deliverEndpoint(store, 't', endpoint, pass('w2'))).to.deep.equal({ delivered: 2, failed: 0 });
      expect(sent.filter((s) => s[0] === 'budi').map((s) => s[1])).to.deep.equal([1, 1, 2]);
      expect(await deliverEndpoint(store, 't', endpoint, pass('w1'))).to.deep.equal({ delivered: 0, failed: 0 });

      const log = await listDeliveries(store, 't', 'we_1');
      expect(log.items.map((d) => [d.customerId, d.seq, d.status, d.attempts.map((x) => x.status)])).to.have.deep.members([
        ['ayu', 2, 'delivered', [204]],
        ['ayu', 3, 'delivered', [204]],
        ['budi', 1, 'delivered', [503, 204]],
        ['budi', 2, 'delivered', [204]],
      ]);
      // A second discovery pass finds nothing new.
      expect((await discover(store, 't', endpoint, wall)).found).to.equal(0);
    } finally {
      await ledger.close();
    }
  });

  it('two instances take turns on the same queues, each trying the records it wrote last: every moment goes once, in order', async () => {
    let wall = START;
    const store = await open();
    const first = new Ledger(store, { wallClock: () => wall });
    const second = new Ledger(store, { wallClock: () => wall });
    try {
      await first.publishProgram('t', program);
      const endpoint = testEndpoint('we_6', wall - 1);
      const customers = ['c-1', 'c-2', 'c-3'];
      const sent: Array<{ customerId: string; seq: number; id: string }> = [];
      const pass = (owner: string) => acceptingPass(owner, () => wall, (m) => sent.push({ customerId: m.customerId, seq: m.seq, id: m.id }));
      // Each round, every customer orders and one instance delivers, the other the next round: the one whose turn
      // it is knows records the other has changed since (a stale version), and must read them again.
      for (let round = 0; round < 4; round += 1) {
        for (const [i, c] of customers.entries()) await first.recordOrder('t', order(`o-${round}-${i}`, c, '1000000'), { at: `2026-03-1${round}T10:00:00Z` });
        wall += FEED_HORIZON_MS + 1;
        const ledger = round % 2 === 0 ? first : second;
        const result = await ledger.deliverWebhooks('t', endpoint, pass(round % 2 === 0 ? 'a' : 'b'));
        expect(result.failed, `round ${round}`).to.equal(0);
      }
      const feed = (await first.listMoments('t', { limit: 100 })).items;
      expect(sent.map((x) => x.id)).to.have.members(feed.map((m) => m.id));
      expect(sent).to.have.length(feed.length);
      for (const c of customers) {
        const seqs = sent.filter((x) => x.customerId === c).map((x) => x.seq);
        expect(seqs, c).to.deep.equal([...seqs].sort((x, y) => x - y));
      }
      // Every customer was caught up each round (the instance whose turn it is reads the queues, since the other moved
      // the cursor last): no queue was written.
      expect(await store.list('webhookQueues', 't', { prefix: 'we_6\u0001', limit: 10 })).to.deep.equal([]);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('gives up on a head that fails for the whole horizon and reports it once', async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      await ledger.publishProgram('t', program);
      const endpoint = testEndpoint('we_2', wall - 1);
      await ledger.recordOrder('t', order('o-1', 'ayu', '1000000'), { at: '2026-03-10T10:00:00Z' });
      wall += FEED_HORIZON_MS + 1;
      await discover(store, 't', endpoint, wall);
      const gaveUp: string[] = [];
      const pass: DeliveryPass = {
        owner: 'w1',
        now: () => wall,
        send: () => Promise.resolve({ ok: false, reason: 'connection-failed', error: 'ECONNREFUSED', durationMs: 1 }),
        retry: (attempts) => (attempts >= 3 ? { giveUp: true } : { giveUp: false, retryAt: wall + 1000 }),
        giveUp: (e, m) => {
          gaveUp.push(`${e.id} ${m.type}`);
          return Promise.resolve();
        },
      };
      for (let i = 0; i < 3; i++) {
        await deliverEndpoint(store, 't', endpoint, pass);
        wall += 1001;
      }
      expect(gaveUp).to.deep.equal(['we_2 points.awarded']);
      const [delivery] = (await listDeliveries(store, 't', 'we_2')).items;
      expect(delivery?.status).to.equal('failed');
      expect(delivery?.attempts.map((x) => x.reason)).to.deep.equal(['connection-failed', 'connection-failed', 'connection-failed']);
    } finally {
      await ledger.close();
    }
  });

  it("leases queues in discovery's own write: two workers at once send each moment once, in order; a held queue waits for its lease; a give-up lets go of the rest", async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      await ledger.publishProgram('t', program);
      const endpoint = testEndpoint('we_4', wall - 1);
      const customers = ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'];
      // Two orders each: every customer has at least two moments (points.awarded twice; a tier.changed may follow).
      for (const [i, c] of customers.entries()) {
        await ledger.recordOrder('t', order(`o-${i}-a`, c, '1000000'), { at: '2026-03-10T10:00:00Z' });
        await ledger.recordOrder('t', order(`o-${i}-b`, c, '1000000'), { at: '2026-03-11T10:00:00Z' });
      }
      wall += FEED_HORIZON_MS + 1;
      const feed = (await ledger.listMoments('t', { limit: 100 })).items;
      const sent: Array<{ owner: string; id: string; customerId: string; seq: number }> = [];
      const pass = (owner: string, fail = false): DeliveryPass => ({
        owner,
        now: () => wall,
        send: async (_e, m: MomentDoc): Promise<SendOutcome> => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          sent.push({ owner, id: m.id, customerId: m.customerId, seq: m.seq });
          return fail ? { ok: false, status: 500, reason: 'unsuccessful-status', durationMs: 2 } : { ok: true, status: 204, durationMs: 2 };
        },
        retry: () => ({ giveUp: true }),
        giveUp: () => Promise.resolve(),
      });
      const [a, b] = await Promise.all([ledger.deliverWebhooks('t', endpoint, pass('w1')), ledger.deliverWebhooks('t', endpoint, pass('w2'))]);
      expect(a.delivered + b.delivered).to.equal(feed.length);
      expect(sent.map((x) => x.id)).to.have.members(feed.map((m) => m.id));
      for (const c of customers) {
        const seqs = sent.filter((x) => x.customerId === c).map((x) => x.seq);
        expect(seqs, c).to.deep.equal([...seqs].sort((x, y) => x - y));
      }
      // One discovery read the feed (the other found the cursor held); every customer was caught up, so no queue was
      // written, and the cursor was let go: a third worker finds nothing to send.
      expect(await store.list('webhookQueues', 't', { prefix: 'we_4\u0001', limit: 10 })).to.deep.equal([]);
      expect(await ledger.deliverWebhooks('t', endpoint, pass('w3'))).to.deep.include({ delivered: 0, failed: 0 });

      // A worker that discovered c-1's new moment and then stopped holds the endpoint's feed until its hold ends
      // (CURSOR_LEASE_MS); the next worker then reads the moment's log before it sends.
      await ledger.recordOrder('t', order('o-late', 'c-1', '1000000'), { at: '2026-03-12T10:00:00Z' });
      wall += FEED_HORIZON_MS + 1;
      const held = await discover(store, 't', endpoint, wall, { owner: 'stalled', until: wall + 60_000 });
      expect(held.caughtUp.map((d) => d.queue.customerId)).to.deep.equal(['c-1']);
      expect(held.leased).to.deep.equal([]);
      sent.length = 0;
      expect(await ledger.deliverWebhooks('t', endpoint, pass('w1'))).to.deep.include({ delivered: 0 });
      wall += CURSOR_LEASE_MS + 1;
      expect(await ledger.deliverWebhooks('t', endpoint, pass('w1'))).to.deep.include({ delivered: 1 });
      expect(sent.map((x) => x.customerId)).to.deep.equal(['c-1']);

      // Each customer's next order; the endpoint fails and the schedule gives up at once: the first group's two heads
      // are tried (a give-up disables the endpoint), and every customer gets a queue from its head that nobody holds
      // (a lease run out, so that the next worker reads its head's log first).
      for (const [i, c] of customers.entries()) await ledger.recordOrder('t', order(`o-${i}-c`, c, '1000000'), { at: '2026-03-13T10:00:00Z' });
      wall += FEED_HORIZON_MS + 1;
      const failing = await ledger.deliverWebhooks('t', endpoint, { ...pass('w2', true), concurrency: 2 });
      expect(failing.delivered).to.equal(0);
      expect(failing.failed).to.equal(2);
      const after = await store.list<{ nextSeq: number; lastSeq: number; leaseUntil?: number }>('webhookQueues', 't', { prefix: 'we_4\u0001', limit: 10 });
      expect(after).to.have.length(customers.length);
      for (const q of after) {
        expect(q.doc.leaseUntil ?? 0, q.key).to.be.at.most(wall);
        expect(q.doc.nextSeq, q.key).to.be.at.most(q.doc.lastSeq);
      }
    } finally {
      await ledger.close();
    }
  });

  it('finds a retry that came due by listing the queues at most every QUEUE_SWEEP_MS, not on every pass', async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      await ledger.publishProgram('t', program);
      const endpoint = testEndpoint('we_5', wall - 1);
      await ledger.recordOrder('t', order('o-1', 'ayu', '1000000'), { at: '2026-03-10T10:00:00Z' });
      wall += FEED_HORIZON_MS + 1;
      let failures = 1;
      const pass: DeliveryPass = {
        owner: 'w1',
        now: () => wall,
        send: () => Promise.resolve(failures-- > 0 ? { ok: false, status: 503, reason: 'unsuccessful-status', durationMs: 1 } : { ok: true, status: 204, durationMs: 1 }),
        // The first retry one second after the failure.
        retry: (_attempts, _first, now) => ({ giveUp: false, retryAt: now + 1000 }),
        giveUp: () => Promise.reject(new Error('must not give up here')),
      };
      const first = wall;
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ delivered: 0, failed: 1 });
      // Due again after a second, but nothing new is in the feed and the queues were listed less than 10 s ago.
      wall = first + 2000;
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ delivered: 0, failed: 0 });
      wall = first + QUEUE_SWEEP_MS;
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ delivered: 1, failed: 0 });
    } finally {
      await ledger.close();
    }
  });

  it("gives a caught-up customer whose head fails a queue from that head: its later moments wait behind it, the others' do not", async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      const endpoint = testEndpoint('we_7', wall);
      wall += 1;
      const store1 = (customerId: string, seq: number) => storeMoment(store, 't', testMoment(customerId, seq, wall), () => wall);
      const sent: string[] = [];
      let ayuFailures = 1;
      const pass: DeliveryPass = {
        owner: 'w1',
        now: () => wall,
        send: (_e, m: MomentDoc): Promise<SendOutcome> => {
          sent.push(`${m.customerId}:${m.seq}`);
          const fail = m.customerId === 'ayu' && ayuFailures-- > 0;
          return Promise.resolve(fail ? { ok: false, status: 503, reason: 'unsuccessful-status', durationMs: 1 } : { ok: true, status: 204, durationMs: 1 });
        },
        retry: (_attempts, _first, now) => ({ giveUp: false, retryAt: now + 60_000 }),
        giveUp: () => Promise.reject(new Error('must not give up here')),
      };
      await store1('ayu', 1);
      await store1('budi', 1);
      wall += FEED_HORIZON_MS + 1;
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ delivered: 1, failed: 1 });
      // Ayu's queue starts at her failed head, waits for its retry, and carries a lease run out (its next worker reads
      // the head's log first); Budi, delivered, has none.
      const queues = await store.list<{ customerId: string; nextSeq: number; lastSeq: number; notBefore?: string; leaseOwner?: string; leaseUntil?: number }>('webhookQueues', 't', { prefix: 'we_7\u0001', limit: 10 });
      expect(queues.map((q) => [q.doc.customerId, q.doc.nextSeq, q.doc.lastSeq, q.doc.notBefore, q.doc.leaseOwner])).to.deep.equal([['ayu', 1, 1, new Date(wall + 60_000).toISOString(), 'w1']]);
      expect(queues[0]!.doc.leaseUntil).to.be.at.most(wall);

      // Their next moments: Ayu's waits behind her head, Budi's goes at once; after the retry, Ayu's two in order.
      await store1('ayu', 2);
      await store1('budi', 2);
      wall += FEED_HORIZON_MS + 1;
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ delivered: 1, failed: 0 });
      expect(sent).to.have.members(['ayu:1', 'budi:1', 'budi:2']);
      wall += 60_000;
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ delivered: 2, failed: 0 });
      expect(sent.filter((x) => x.startsWith('ayu:'))).to.deep.equal(['ayu:1', 'ayu:1', 'ayu:2']);
      expect(sent.filter((x) => x.startsWith('budi:'))).to.deep.equal(['budi:1', 'budi:2']);
      const log = await listDeliveries(store, 't', 'we_7');
      expect(log.items.map((d) => [d.customerId, d.seq, d.status, d.attempts.map((a) => a.status)])).to.have.deep.members([
        ['ayu', 1, 'delivered', [503, 204]],
        ['ayu', 2, 'delivered', [204]],
        ['budi', 1, 'delivered', [204]],
        ['budi', 2, 'delivered', [204]],
      ]);
    } finally {
      await ledger.close();
    }
  });

  it('a worker that died sending caught-up customers leaves the feed to the next once its hold runs out, which sends nothing twice', async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      const endpoint = testEndpoint('we_8', wall);
      wall += 1;
      const customers = ['c-1', 'c-2', 'c-3', 'c-4'];
      for (const c of customers) {
        for (const seq of [1, 2]) await storeMoment(store, 't', testMoment(c, seq, wall), () => wall);
      }
      wall += FEED_HORIZON_MS + 1;
      const sent: string[] = [];
      // The dead worker: it discovered, sent and logged c-1's and c-2's moments (one group of two), and died before it
      // sent the rest or moved the cursor.
      const dead = await discover(store, 't', endpoint, wall, { owner: 'dead', until: wall + 60_000 });
      expect(dead.caughtUp).to.have.length(4);
      const first = { ...dead, caughtUp: dead.caughtUp.slice(0, 2) };
      expect(await drainCaughtUp(store, 't', endpoint, { ...acceptingPass('dead', () => wall, (m) => sent.push(`${m.customerId}:${m.seq}`)), concurrency: 2 }, first)).to.deep.include({ delivered: 4 });
      // Within its hold, nobody else reads the feed.
      const next = acceptingPass('w2', () => wall, (m) => sent.push(`${m.customerId}:${m.seq}`));
      expect(await ledger.deliverWebhooks('t', endpoint, next)).to.deep.include({ discovered: 0, delivered: 0 });
      wall += CURSOR_LEASE_MS + 1;
      // Its hold was taken from the dead worker, so each log is read first: c-1's and c-2's count as delivered, unsent.
      expect(await ledger.deliverWebhooks('t', endpoint, next)).to.deep.include({ discovered: 8, delivered: 8 });
      expect(sent).to.have.length(8);
      expect(new Set(sent).size).to.equal(8);
      for (const c of customers) expect(sent.filter((x) => x.startsWith(`${c}:`)), c).to.deep.equal([`${c}:1`, `${c}:2`]);
      expect(await ledger.deliverWebhooks('t', endpoint, next)).to.deep.include({ discovered: 0, delivered: 0 });
    } finally {
      await ledger.close();
    }
  });

  it('renews its hold on the cursor while it sends, and stops, writing nothing more, once another worker took it', async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      const endpoint = testEndpoint('we_10', wall);
      wall += 1;
      const storeRound = async (customers: string[]) => {
        for (const c of customers) await storeMoment(store, 't', testMoment(c, 1, wall), () => wall);
        wall += FEED_HORIZON_MS + 1;
      };
      const cursor = () => store.get<{ after: string; leaseOwner?: string; leaseUntil?: number }>('webhookCursors', 't', 'we_10');
      const sent: string[] = [];
      // One customer a step, each send taking 8 s of the clock: more than half the hold is gone at every next step.
      const slow = (owner: string, during?: (n: number) => Promise<void>): DeliveryPass => ({
        ...acceptingPass(owner, () => wall, (m) => sent.push(m.customerId)),
        concurrency: 1,
        send: async (_e, m) => {
          sent.push(m.customerId);
          wall += 8_000;
          await during?.(sent.length);
          return { ok: true, status: 204, durationMs: 8_000 };
        },
      });
      await storeRound(['a-1', 'a-2', 'a-3', 'a-4']);
      // 32 s of sends under a 15 s hold: renewed, and the pass ends with the cursor moved and let go.
      expect(await ledger.deliverWebhooks('t', endpoint, slow('w1'))).to.deep.include({ delivered: 4, failed: 0 });
      expect(sent).to.have.members(['a-1', 'a-2', 'a-3', 'a-4']);
      const settled = (await cursor())!;
      // Made (version 1), taken, let go: every version past 3 is a renewal.
      expect(settled.version).to.be.greaterThan(3);
      expect(settled.doc.leaseOwner).to.equal(undefined);

      // During the second send of the next pass, another worker takes the cursor (w1's hold has run out): w1 stops
      // before its next send, writes no queue and leaves the cursor; the other, once its own hold is over, reads the
      // logs and sends only what w1 did not.
      await storeRound(['b-1', 'b-2', 'b-3', 'b-4']);
      sent.length = 0;
      const takeOver = async (n: number) => {
        if (n !== 2) return;
        wall += CURSOR_LEASE_MS;
        const c = (await cursor())!;
        await store.replace('webhookCursors', 't', 'we_10', c.version, { ...c.doc, leaseOwner: 'w2', leaseUntil: wall + 1 });
      };
      expect(await ledger.deliverWebhooks('t', endpoint, slow('w1', takeOver))).to.deep.include({ delivered: 2 });
      expect(sent).to.have.length(2);
      expect((await cursor())!.doc).to.deep.include({ after: settled.doc.after, leaseOwner: 'w2' });
      expect(await store.list('webhookQueues', 't', { prefix: 'we_10\u0001', limit: 10 })).to.deep.equal([]);
      wall += 2;
      expect(await ledger.deliverWebhooks('t', endpoint, slow('w2'))).to.deep.include({ discovered: 4, delivered: 4 });
      expect(sent).to.have.members(['b-1', 'b-2', 'b-3', 'b-4']);
    } finally {
      await ledger.close();
    }
  });

  it('makes no queue for a caught-up customer erased while its moment was being sent', async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      await ledger.publishProgram('t', program);
      const endpoint = testEndpoint('we_11', wall - 1);
      await ledger.recordOrder('t', order('o-1', 'ayu', '1000000'), { at: '2026-03-10T10:00:00Z' });
      wall += FEED_HORIZON_MS + 1;
      // The receiver fails while the customer is erased: the head would get a queue, but her moments are gone.
      const pass: DeliveryPass = {
        owner: 'w1',
        now: () => wall,
        send: async () => {
          await ledger.eraseCustomer('t', 'ayu', { reason: 'erasure request' }, { at: '2026-03-11T00:00:00Z' });
          return { ok: false, status: 503, reason: 'unsuccessful-status', durationMs: 1 };
        },
        retry: (_attempts, _first, now) => ({ giveUp: false, retryAt: now + 60_000 }),
        giveUp: () => Promise.reject(new Error('must not give up here')),
      };
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ failed: 1 });
      expect(await store.list('webhookQueues', 't', { prefix: 'we_11\u0001', limit: 10 })).to.deep.equal([]);
    } finally {
      await ledger.close();
    }
  });

  it("sends a customer's moment whose earlier one is not in the feed yet (another instance's clock) through its queue, in order", async () => {
    let wall = START;
    const store = await open();
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      const endpoint = testEndpoint('we_9', wall);
      wall += 1;
      // Ayu's second moment is stamped before her first (flushed by an instance whose clock is behind).
      await storeMoment(store, 't', testMoment('ayu', 2, wall), () => wall);
      await storeMoment(store, 't', testMoment('ayu', 1, wall), () => wall + 10_000);
      wall += FEED_HORIZON_MS + 1;
      const sent: number[] = [];
      const pass = acceptingPass('w1', () => wall, (m) => sent.push(m.seq));
      // The feed shows her second moment only; it is not sent before the first, which the queue reads by number.
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ discovered: 1, delivered: 2 });
      expect(sent).to.deep.equal([1, 2]);
      wall += 10_000;
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.include({ discovered: 1, delivered: 0 });
      expect(sent).to.deep.equal([1, 2]);
    } finally {
      await ledger.close();
    }
  });

  // Not on MongoDB: what is checked here is store-agnostic paging, and FerretDB on SQLite takes a minute and a half
  // for the 3,000-odd writes a backlog longer than a page needs (the other cases check its conditional writes).
  if (kind === 'mongo') return;
  it('finds a backlog longer than a feed page in one pass, and a head left behind delivered moments sends none again', async () => {
    let wall = START;
    const store = await open();
    try {
      const endpoint = testEndpoint('we_3', wall);
      wall += 1;
      // More moments than one feed page (500) holds, for a few customers: stored as a flush stores them.
      const customers = 7;
      const total = 1100;
      for (let n = 0; n < total; n += 1) {
        const customerId = `c-${n % customers}`;
        const seq = Math.floor(n / customers) + 1;
        await storeMoment(store, 't', testMoment(customerId, seq, wall), () => wall);
      }
      wall += FEED_HORIZON_MS + 1;
      expect((await discover(store, 't', endpoint, wall)).found).to.equal(total);
      expect((await discover(store, 't', endpoint, wall)).found).to.equal(0);

      const sent: string[] = [];
      const pass = (owner: string) => acceptingPass(owner, () => wall, (m) => sent.push(`${m.customerId}:${m.seq}`));
      expect(await deliverEndpoint(store, 't', endpoint, pass('w1'))).to.deep.equal({ delivered: total, failed: 0 });
      expect(new Set(sent).size).to.equal(total);
      for (let c = 0; c < customers; c += 1) {
        const seqs = sent.filter((s) => s.startsWith(`c-${c}:`)).map((s) => Number(s.split(':')[1]));
        expect(seqs).to.deep.equal(seqs.map((_, i) => i + 1));
      }

      // A worker that died after its sends, before it moved the head, leaves its lease to run out: the next one sees
      // a queue someone held, reads the log and sends nothing.
      const key = `we_3\u0001c-0`;
      const queue = await store.get<{ nextSeq: number; lastSeq: number }>('webhookQueues', 't', key);
      await store.replace('webhookQueues', 't', key, queue!.version, { ...queue!.doc, nextSeq: 1, leaseOwner: 'dead', leaseUntil: wall - 1 });
      expect(await deliverEndpoint(store, 't', endpoint, pass('w2'))).to.deep.equal({ delivered: queue!.doc.lastSeq, failed: 0 });
      expect(sent).to.have.length(total);
      expect((await store.get<{ nextSeq: number; lastSeq: number }>('webhookQueues', 't', key))!.doc.nextSeq).to.equal(queue!.doc.lastSeq + 1);
      expect(await deliverEndpoint(store, 't', endpoint, pass('w1'))).to.deep.equal({ delivered: 0, failed: 0 });
    } finally {
      await store.close();
    }
  });

  it('sends caught-up customers without their queues: no queue listed, read or written, and no log read, once this process let the cursor go', async () => {
    let wall = START;
    const inner = await open();
    // Counts the store calls this test is about: listing, reading and writing the endpoint's queues, reading logs,
    // writing its cursor.
    const calls = { queueLists: 0, logReads: 0, queueReads: 0, queueWrites: 0, cursorWrites: 0 };
    const store = new Proxy(inner, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (name === 'list' && args[0] === 'webhookQueues') calls.queueLists += 1;
          if (name === 'get' && args[0] === 'webhookDeliveries') calls.logReads += 1;
          if (name === 'get' && args[0] === 'webhookQueues') calls.queueReads += 1;
          if ((name === 'insert' || name === 'replace') && args[0] === 'webhookQueues') calls.queueWrites += 1;
          if ((name === 'insert' || name === 'replace') && args[0] === 'webhookCursors') calls.cursorWrites += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const ledger = new Ledger(store, { wallClock: () => wall });
    try {
      const endpoint = testEndpoint('we_5', wall);
      wall += 1;
      const customers = 450;
      const storeRound = async (seq: number) => {
        for (let c = 0; c < customers; c += 1) {
          const customerId = `c-${c}`;
          await storeMoment(store, 't', testMoment(customerId, seq, wall), () => wall);
        }
        wall += FEED_HORIZON_MS + 1;
      };
      const sent: string[] = [];
      const pass = acceptingPass('w1', () => wall, (m) => sent.push(`${m.customerId}:${m.seq}`));
      await storeRound(1);
      // The first pass lists the queues once (the sweep for retries and dead workers' leases, due on a first pass),
      // and reads each customer's queue once (this process did not let the cursor go last): there is none.
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.equal({ discovered: customers, delivered: customers, failed: 0 });
      expect(calls).to.deep.include({ queueLists: 1, logReads: 0, queueReads: customers, queueWrites: 0 });
      await storeRound(2);
      for (const name of Object.keys(calls) as Array<keyof typeof calls>) calls[name] = 0;
      // The next, within QUEUE_SWEEP_MS: every customer is caught up to the moment this process delivered last, so
      // its queue is neither read nor written, and no log is read.
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.equal({ discovered: customers, delivered: customers, failed: 0 });
      expect(calls).to.deep.equal({ queueLists: 0, logReads: 0, queueReads: 0, queueWrites: 0, cursorWrites: 2 });
      expect(new Set(sent).size).to.equal(2 * customers);
      expect(await inner.list('webhookQueues', 't', { prefix: 'we_5\u0001', limit: 500 })).to.deep.equal([]);
      // A pass that finds nothing new writes nothing: the cursor is taken only when the feed read finds moments.
      for (const name of Object.keys(calls) as Array<keyof typeof calls>) calls[name] = 0;
      expect(await ledger.deliverWebhooks('t', endpoint, pass)).to.deep.equal({ discovered: 0, delivered: 0, failed: 0 });
      expect(calls).to.deep.equal({ queueLists: 0, logReads: 0, queueReads: 0, queueWrites: 0, cursorWrites: 0 });
    } finally {
      await ledger.close();
    }
  });
});
