/**
 * Complaint cases through the API, on the real ledger (memory, LMDB and MongoDB): the worked example of
 * docs/after-sales.md with its moments (the time-based ones through `POST /v1/jobs/moments`, exactly once), the
 * status flow's refusals (409 naming the statuses allowed), validation (400 with the pointer), listing per customer
 * and by status, replays, scopes and another tenant's 404. Every response is checked against the document.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import type { StoreConfig } from '@purna/ledger';
import { describeMongo } from '../../test/support/mongo.js';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

/** The toko program with the after-sales program's case follow-up (two weeks after the resolution). */
const program = {
  ...(JSON.parse(readFileSync(new URL('../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>),
  moments: { caseFollowUp: { daysAfterResolution: 14 } },
};

/** The app's "now": after every write of the suite. */
const NOW = Date.parse('2027-03-01T00:00:00.000Z');
const complaint = {
  id: 'c-1',
  customerId: 'ayu',
  orderId: 'o-tv',
  channel: 'phone',
  receivedAt: '2026-12-02T09:30:00+07:00',
  receivedBy: 'dewi',
  department: 'logistics',
  summary: 'TV delivered five days late',
  callbackBy: '2026-12-03T17:00:00+07:00',
};

const ids = (res: request.Response): string[] => (res.body as { items: Array<{ caseId: string }> }).items.map((c) => c.caseId);

function suite(storeConfig: () => StoreConfig): void {
  let w: RouteWorld;
  const momentCount = async (customerId: string, type: string): Promise<number> =>
    ((await w.call('get', `/v1/moments?customerId=${customerId}&type=${type}`, w.crm)).body as { items: unknown[] }).items.length;

  before(async () => {
    w = await openRouteWorld(storeConfig(), { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    expectOk(await w.call('put', '/v1/program', w.otherAdmin, program));
    for (const id of ['ayu', 'budi']) expectOk(await w.call('put', `/v1/customers/${id}`, w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('opens, works, resolves and closes a case, with each moment once', async () => {
    const opened = await w.call('post', '/v1/cases', w.crm, complaint);
    expect(opened.status, JSON.stringify(opened.body)).to.equal(201);
    expect(opened.body).to.include({ caseId: 'c-1', status: 'open', customerId: 'ayu', channel: 'phone' });
    const replay = await w.call('post', '/v1/cases', w.crm, complaint);
    expect(replay.status).to.equal(201);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    expect(replay.body).to.deep.equal(opened.body);
    const other = await w.call('post', '/v1/cases', w.crm, { ...complaint, department: 'sales' });
    expect(other.status).to.equal(409);
    expect(other.body.code).to.equal('idempotency-mismatch');

    const working = await w.call('patch', '/v1/cases/c-1', w.crm, { by: 'dewi', status: 'in-progress', action: 'asked the courier', at: '2026-12-02T10:00:00+07:00' });
    expect(working.status, JSON.stringify(working.body)).to.equal(200);
    expect(working.body.history.map((h: { by: string; at: string; status: string }) => [h.by, h.at, h.status])).to.deep.equal([
      ['dewi', '2026-12-02T02:30:00.000Z', 'open'],
      ['dewi', '2026-12-02T03:00:00.000Z', 'in-progress'],
    ]);
    // The callback was promised by 3 December 17:00 in Jakarta (10:00 UTC).
    const run = await w.call('post', '/v1/jobs/moments', w.crm, { at: '2026-12-04T00:00:00Z' });
    expect(run.body.emitted).to.equal(1);
    expect((await w.call('post', '/v1/jobs/moments', w.crm, { at: '2026-12-04T01:00:00Z' })).body.emitted).to.equal(0);

    const resolved = await w.call('post', '/v1/cases/c-1/resolution', w.crm, { at: '2026-12-05T15:00:00+07:00', resolvedBy: 'rudi', outcome: 'shipping refunded', signedOffBy: 'sari' });
    expect(resolved.status, JSON.stringify(resolved.body)).to.equal(201);
    // The program follows up 14 days after the resolution, at the same local time: 19 December 15:00 WIB.
    expect(resolved.body.resolution).to.deep.include({ followUpAt: '2026-12-19T08:00:00.000Z', signedOffBy: 'sari' });
    const again = await w.call('post', '/v1/cases/c-1/resolution', w.crm, { at: '2026-12-05T15:00:00+07:00', resolvedBy: 'rudi', outcome: 'shipping refunded', signedOffBy: 'sari' });
    expect(again.status).to.equal(201);
    expect(again.headers['idempotency-replayed']).to.equal('true');
    expect(again.body).to.deep.equal(resolved.body);
    expect((await w.call('post', '/v1/jobs/moments', w.crm, { at: '2026-12-19T08:00:00Z' })).body.emitted).to.equal(1);
    expect((await w.call('post', '/v1/jobs/moments', w.crm, { at: '2026-12-20T08:00:00Z' })).body.emitted).to.equal(0);

    const closed = await w.call('patch', '/v1/cases/c-1', w.crm, { by: 'sari', status: 'closed', signedOffBy: 'sari', at: '2026-12-20T10:00:00+07:00' });
    expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
    expect(closed.body.closed).to.deep.equal({ at: '2026-12-20T03:00:00.000Z', by: 'sari', signedOffBy: 'sari' });
    expect((await w.call('get', '/v1/cases/c-1', w.crm)).body).to.deep.equal(closed.body);
    for (const type of ['case.opened', 'case.callback-due', 'case.resolved', 'case.follow-up-due']) expect(await momentCount('ayu', type), type).to.equal(1);
  });

  it('refuses a change the status flow does not allow with 409, and bad input with 400 naming the field', async () => {
    expectOk(await w.call('post', '/v1/cases', w.crm, { ...complaint, id: 'c-2', callbackBy: undefined }));
    const close = await w.call('patch', '/v1/cases/c-2', w.crm, { by: 'dewi', status: 'closed', at: '2026-12-02T10:00:00+07:00' });
    expect(close.status).to.equal(409);
    expect(close.type).to.equal('application/problem+json');
    expect(close.body.code).to.equal('case-transition-refused');
    expect(close.body.detail).to.equal('case "c-2" is open and cannot become closed (from open it can become in-progress or resolved)');
    expect(close.body.reasons.map((r: { code: string }) => r.code)).to.deep.equal(['transition-not-allowed']);
    const resolving = await w.call('patch', '/v1/cases/c-2', w.crm, { by: 'dewi', status: 'resolved' });
    expect(resolving.status).to.equal(400);
    expect(resolving.body.errors.map((e: { pointer: string }) => e.pointer)).to.deep.equal(['/status']);
    const smuggled = await w.call('patch', '/v1/cases/c-2', w.crm, { by: 'dewi', customerId: 'budi' });
    expect(smuggled.status).to.equal(400);
    expect(smuggled.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/customerId');
    const missing = await w.call('post', '/v1/cases', w.crm, { ...complaint, id: 'c-x', channel: 'pigeon', receivedBy: undefined });
    expect(missing.status).to.equal(400);
    expect(missing.body.errors.map((e: { pointer: string }) => e.pointer)).to.include.members(['/channel', '/receivedBy']);
    expect((await w.call('post', '/v1/cases', w.crm, { ...complaint, id: 'c-y', customerId: 'nobody' })).status).to.equal(404);
    expect((await w.call('patch', '/v1/cases/none', w.crm, { by: 'dewi', status: 'in-progress' })).status).to.equal(404);
    expect((await w.call('get', '/v1/cases/c-2', w.crm)).body.history.length).to.equal(1);
  });

  it('lists cases per customer and by status, a page at a time', async () => {
    expectOk(await w.call('post', '/v1/cases', w.crm, { ...complaint, id: 'c-3', customerId: 'budi', receivedAt: '2026-12-03T09:00:00+07:00', callbackBy: undefined }));
    expectOk(await w.call('post', '/v1/cases', w.crm, { ...complaint, id: 'c-4', receivedAt: '2026-12-04T09:00:00+07:00', callbackBy: undefined }));
    // Newest received first; c-1 and c-2 came in at the same instant, and sort by id (descending) between them.
    expect(ids(await w.call('get', '/v1/cases?customerId=ayu', w.crm))).to.deep.equal(['c-4', 'c-2', 'c-1']);
    expect(ids(await w.call('get', '/v1/cases?status=open', w.crm))).to.deep.equal(['c-2', 'c-3', 'c-4']);
    expect(ids(await w.call('get', '/v1/cases?status=closed', w.crm))).to.deep.equal(['c-1']);
    expect(ids(await w.call('get', '/v1/cases?customerId=ayu&status=open', w.crm))).to.deep.equal(['c-4', 'c-2']);
    const first = await w.call('get', '/v1/cases?customerId=ayu&limit=2', w.crm);
    expect(ids(first)).to.deep.equal(['c-4', 'c-2']);
    const second = await w.call('get', `/v1/cases?customerId=ayu&limit=2&cursor=${first.body.nextCursor as string}`, w.crm);
    expect(ids(second)).to.deep.equal(['c-1']);
    expect((await w.call('get', '/v1/cases?customerId=nobody', w.crm)).status).to.equal(404);
    expect((await w.call('get', '/v1/cases?status=lost', w.crm)).status).to.equal(400);
  });

  it('takes crm and admin keys, and another tenant gets 404 and changes nothing', async () => {
    expect((await w.call('get', '/v1/cases/c-1', w.checkout)).status).to.equal(403);
    expect((await w.call('get', '/v1/cases/c-1', w.admin)).status).to.equal(200);
    const before = await w.call('get', '/v1/cases/c-4', w.crm);
    expect((await w.call('get', '/v1/cases/c-4', w.otherAdmin)).status).to.equal(404);
    expect((await w.call('patch', '/v1/cases/c-4', w.otherAdmin, { by: 'mallory', status: 'in-progress' })).status).to.equal(404);
    expect((await w.call('post', '/v1/cases/c-4/resolution', w.otherAdmin, { resolvedBy: 'mallory', outcome: 'x' })).status).to.equal(404);
    expect((await w.call('post', '/v1/cases', w.otherAdmin, { ...complaint, id: 'c-b' })).status).to.equal(404);
    expect(ids(await w.call('get', '/v1/cases', w.otherAdmin))).to.deep.equal([]);
    expect((await w.call('get', '/v1/cases/c-4', w.crm)).body).to.deep.equal(before.body);
  });
}

describe('complaint cases over HTTP (memory store)', () => suite(() => 'memory'));

describe('complaint cases over HTTP (embedded LMDB store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'purna-api-cases-'));
  suite(() => ({ kind: 'lmdb', path: dir }));
  after(() => rmSync(dir, { recursive: true, force: true }));
});

describeMongo('complaint cases over HTTP (MongoDB store)', (ctx) => suite(() => ({ kind: 'mongo', uri: ctx().uri, dbName: ctx().dbName })));
