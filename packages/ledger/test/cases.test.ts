/**
 * Complaint cases on every store: the worked example of docs/after-sales.md (a late delivery complained of by phone,
 * a callback promised, the case resolved, the follow-up two weeks later), the status flow and its refusals, replays,
 * listing per customer and by status, and the time-based moments through the moments job (which reads only the due
 * index, so a moment it emits is one the index found). Instants worked by hand in Asia/Jakarta (UTC+7, no DST).
 */
import { expect } from 'chai';
import { CaseTransitionRefused } from '../src/cases/case-errors.js';
import { IdempotencyMismatch, InputError, NotFound } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import { tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

const T = 'shop';
/** The toko program has no `moments` section: the follow-up comes 14 days after a resolution by default. */
const program = tokoProgram as object;

/** 2 December 2026, 09:30 in Jakarta = 02:30 UTC; the callback is promised by 17:00 the next day = 10:00 UTC. */
const complaint = {
  id: 'c-1',
  customerId: 'ayu',
  orderId: 'o-tv',
  sku: 'TV-55',
  channel: 'phone',
  receivedAt: '2026-12-02T09:30:00+07:00',
  receivedBy: 'dewi',
  department: 'logistics',
  summary: 'TV delivered five days late',
  details: 'Promised for 25 November, arrived 30 November; the customer took a day off for it.',
  callbackBy: '2026-12-03T17:00:00+07:00',
};
const CALLBACK_DUE = '2026-12-03T10:00:00.000Z';
/** Resolved 5 December 15:00 in Jakarta = 08:00 UTC; 14 calendar days later at the same local time. */
const RESOLVED = '2026-12-05T15:00:00+07:00';
const FOLLOW_UP = '2026-12-19T08:00:00.000Z';

forEachStore('complaint cases', (open) => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = new Ledger(await open());
    await ledger.publishProgram(T, program);
    for (const id of ['ayu', 'budi']) await ledger.upsertCustomer(T, { id, enrolledAt: '2026-01-05T09:00:00+07:00' });
  });
  afterEach(async () => {
    await ledger.close();
  });

  const ofType = async (customerId: string, type: string): Promise<Array<{ occurredAt: string; data: Record<string, unknown> }>> =>
    (await ledger.listMoments(T, { customerId, type, limit: 500 })).items;

  it('takes a complaint by phone, reminds of the callback, resolves it and asks for the follow-up 14 days later', async () => {
    const opened = await ledger.cases.open(T, complaint);
    expect(opened).to.deep.include({ caseId: 'c-1', customerId: 'ayu', status: 'open', receivedAt: '2026-12-02T02:30:00.000Z', replayed: false });
    expect(opened.callback).to.deep.equal({ by: CALLBACK_DUE, done: false });
    expect(opened.history.map((h) => [h.change, h.by, h.at, h.status])).to.deep.equal([['opened', 'dewi', '2026-12-02T02:30:00.000Z', 'open']]);
    const [openedMoment] = await ofType('ayu', 'case.opened');
    expect(openedMoment?.occurredAt).to.equal('2026-12-02T02:30:00.000Z');
    expect(openedMoment?.data).to.deep.include({ caseId: 'c-1', orderId: 'o-tv', sku: 'TV-55', channel: 'phone', receivedBy: 'dewi', department: 'logistics', callbackBy: CALLBACK_DUE, status: 'open' });

    const working = await ledger.cases.update(T, 'c-1', { by: 'dewi', status: 'in-progress', action: 'asked the courier for the delivery log' }, { at: '2026-12-02T10:00:00+07:00' });
    expect(working.status).to.equal('in-progress');
    expect(working.actions).to.deep.equal([{ at: '2026-12-02T03:00:00.000Z', by: 'dewi', action: 'asked the courier for the delivery log' }]);
    expect(working.history[1]).to.deep.include({ change: 'updated', by: 'dewi', status: 'in-progress', previousStatus: 'open' });
    expect(working.history[1]?.fields).to.deep.equal(['status', 'action']);

    // Just before the callback deadline nothing is due; just after, the reminder, once.
    expect((await ledger.runMomentsJob(T, { at: '2026-12-03T09:59:59Z' })).emitted).to.equal(0);
    expect((await ledger.runMomentsJob(T, { at: '2026-12-03T12:00:00Z' })).emitted).to.equal(1);
    expect((await ledger.runMomentsJob(T, { at: '2026-12-03T13:00:00Z' })).emitted).to.equal(0);
    const due = await ofType('ayu', 'case.callback-due');
    expect(due.map((m) => m.occurredAt)).to.deep.equal([CALLBACK_DUE]);
    expect(due[0]?.data).to.deep.include({ caseId: 'c-1', callbackBy: CALLBACK_DUE, department: 'logistics', summary: 'TV delivered five days late' });

    const called = await ledger.cases.update(T, 'c-1', { by: 'dewi', callbackDone: true, action: 'called back: courier admits the delay' }, { at: '2026-12-03T18:00:00+07:00' });
    expect(called.callback).to.deep.equal({ by: CALLBACK_DUE, done: true, doneAt: '2026-12-03T11:00:00.000Z', doneBy: 'dewi' });

    const resolved = await ledger.cases.resolve(T, 'c-1', { resolvedBy: 'rudi', outcome: 'shipping fee refunded and 500 goodwill points', signedOffBy: 'sari' }, { at: RESOLVED });
    expect(resolved.status).to.equal('resolved');
    expect(resolved.resolution).to.deep.equal({ at: '2026-12-05T08:00:00.000Z', resolvedBy: 'rudi', outcome: 'shipping fee refunded and 500 goodwill points', signedOffBy: 'sari', followUpAt: FOLLOW_UP });
    const [resolvedMoment] = await ofType('ayu', 'case.resolved');
    expect(resolvedMoment?.data).to.deep.include({ caseId: 'c-1', resolvedBy: 'rudi', signedOffBy: 'sari', followUpAt: FOLLOW_UP });

    expect((await ledger.runMomentsJob(T, { at: '2026-12-19T07:59:59Z' })).emitted).to.equal(0);
    expect((await ledger.runMomentsJob(T, { at: FOLLOW_UP })).emitted).to.equal(1);
    expect((await ledger.runMomentsJob(T, { at: '2026-12-25T00:00:00Z' })).emitted).to.equal(0);
    const followUp = await ofType('ayu', 'case.follow-up-due');
    expect(followUp.map((m) => [m.occurredAt, m.data.resolvedAt])).to.deep.equal([[FOLLOW_UP, '2026-12-05T08:00:00.000Z']]);

    const closed = await ledger.cases.update(T, 'c-1', { by: 'sari', status: 'closed', signedOffBy: 'sari', action: 'follow-up call: customer satisfied' }, { at: '2026-12-19T16:00:00+07:00' });
    expect(closed.status).to.equal('closed');
    expect(closed.closed).to.deep.equal({ at: '2026-12-19T09:00:00.000Z', by: 'sari', signedOffBy: 'sari' });
    expect(closed.history.map((h) => [h.change, h.status])).to.deep.equal([
      ['opened', 'open'],
      ['updated', 'in-progress'],
      ['updated', 'in-progress'],
      ['resolved', 'resolved'],
      ['updated', 'closed'],
    ]);
    expect({ ...(await ledger.cases.get(T, 'c-1')), replayed: false }).to.deep.equal(closed);
    // Every case moment exactly once.
    for (const type of ['case.opened', 'case.callback-due', 'case.resolved', 'case.follow-up-due']) expect((await ofType('ayu', type)).length, type).to.equal(1);
  });

  it('emits nothing for a callback marked done before it is due, nor a follow-up for a case reopened or closed first', async () => {
    await ledger.cases.open(T, { ...complaint, id: 'c-2', callbackBy: '2026-12-10T17:00:00+07:00' });
    await ledger.cases.update(T, 'c-2', { by: 'dewi', callbackDone: true }, { at: '2026-12-09T09:00:00+07:00' });
    // Resolved on 5 December, reopened on the 10th: its follow-up (the 19th) no longer applies.
    await ledger.cases.open(T, { ...complaint, id: 'c-3', customerId: 'budi', callbackBy: undefined });
    await ledger.cases.resolve(T, 'c-3', { resolvedBy: 'rudi', outcome: 'replacement sent' }, { at: RESOLVED });
    await ledger.cases.update(T, 'c-3', { by: 'rudi', status: 'in-progress', action: 'replacement also damaged' }, { at: '2026-12-10T09:00:00+07:00' });
    expect((await ledger.runMomentsJob(T, { at: '2026-12-31T00:00:00Z' })).emitted).to.equal(0);
    expect(await ofType('ayu', 'case.callback-due')).to.deep.equal([]);
    expect(await ofType('budi', 'case.follow-up-due')).to.deep.equal([]);

    // Resolved again on the 12th: a follow-up 14 days after that resolution (26 December, 08:00 UTC), once.
    await ledger.cases.resolve(T, 'c-3', { resolvedBy: 'rudi', outcome: 'refunded in full' }, { at: '2026-12-12T15:00:00+07:00' });
    // (A run is one operation per customer and instant: the next run is at another instant.)
    expect((await ledger.runMomentsJob(T, { at: '2027-01-01T00:00:00Z' })).emitted).to.equal(1);
    expect((await ofType('budi', 'case.follow-up-due')).map((m) => m.occurredAt)).to.deep.equal(['2026-12-26T08:00:00.000Z']);
    expect((await ofType('budi', 'case.resolved')).length).to.equal(2);
  });

  it('takes the follow-up days from the program, and a late-recorded overdue callback is reminded at the next run', async () => {
    await ledger.publishProgram(T, { ...program, moments: { caseFollowUp: { daysAfterResolution: 3 } } });
    await ledger.runMomentsJob(T, { at: '2026-12-20T00:00:00Z' });
    // Recorded on the 21st, the callback (promised by the 3rd) is already overdue: the next run reminds of it.
    await ledger.cases.open(T, complaint);
    expect((await ledger.runMomentsJob(T, { at: '2026-12-21T00:00:00Z' })).emitted).to.equal(1);
    expect((await ofType('ayu', 'case.callback-due')).map((m) => m.occurredAt)).to.deep.equal([CALLBACK_DUE]);
    const resolved = await ledger.cases.resolve(T, 'c-1', { resolvedBy: 'rudi', outcome: 'refund' }, { at: '2026-12-21T15:00:00+07:00' });
    expect(resolved.resolution?.followUpAt).to.equal('2026-12-24T08:00:00.000Z');
  });

  it('refuses what the status flow does not allow, with the statuses it does', async () => {
    await ledger.cases.open(T, complaint);
    const refusal = async (write: Promise<unknown>): Promise<CaseTransitionRefused> => {
      try {
        await write;
      } catch (error) {
        expect(error).to.be.instanceOf(CaseTransitionRefused);
        return error as CaseTransitionRefused;
      }
      return expect.fail('the change was made');
    };
    const closeOpen = await refusal(ledger.cases.update(T, 'c-1', { by: 'dewi', status: 'closed' }, { at: '2026-12-02T10:00:00+07:00' }));
    expect(closeOpen.message).to.equal('case "c-1" is open and cannot become closed (from open it can become in-progress or resolved)');
    expect(closeOpen.reasons.map((r) => r.code)).to.deep.equal(['transition-not-allowed']);
    await ledger.cases.resolve(T, 'c-1', { resolvedBy: 'rudi', outcome: 'refund' }, { at: RESOLVED });
    expect((await refusal(ledger.cases.resolve(T, 'c-1', { resolvedBy: 'rudi', outcome: 'another refund' }, { at: '2026-12-06T10:00:00+07:00' }))).message).to.equal('case "c-1" is already resolved');
    await ledger.cases.update(T, 'c-1', { by: 'sari', status: 'closed' }, { at: '2026-12-06T10:00:00+07:00' });
    const closed = await refusal(ledger.cases.update(T, 'c-1', { by: 'dewi', department: 'sales' }, { at: '2026-12-07T10:00:00+07:00' }));
    expect(closed.reasons.map((r) => r.code)).to.deep.equal(['case-closed']);
    await refusal(ledger.cases.resolve(T, 'c-1', { resolvedBy: 'rudi', outcome: 'x' }, { at: '2026-12-07T10:00:00+07:00' }));
    // Nothing refused was recorded.
    expect((await ledger.cases.get(T, 'c-1')).history.map((h) => h.status)).to.deep.equal(['open', 'resolved', 'closed']);
    expect((await ofType('ayu', 'case.resolved')).length).to.equal(1);
  });

  it('checks what it is given: a change before the last one, a callback done that was never promised, unknown fields', async () => {
    await ledger.cases.open(T, { ...complaint, callbackBy: undefined });
    const problems = async (write: Promise<unknown>): Promise<string[]> => {
      try {
        await write;
      } catch (error) {
        expect(error).to.be.instanceOf(InputError);
        return (error as InputError).errors.map((p) => `${p.pointer} ${p.code}`);
      }
      return expect.fail('accepted');
    };
    expect(await problems(ledger.cases.update(T, 'c-1', { by: 'dewi', status: 'in-progress' }, { at: '2026-12-01T10:00:00+07:00' }))).to.deep.equal(['/at change-before-last']);
    expect(await problems(ledger.cases.update(T, 'c-1', { by: 'dewi', callbackDone: true }, { at: '2026-12-03T10:00:00+07:00' }))).to.deep.equal(['/callbackDone no-callback-promised']);
    expect(await problems(ledger.cases.update(T, 'c-1', { by: 'dewi', status: 'resolved' }))).to.deep.equal(['/status invalid-input']);
    expect(await problems(ledger.cases.update(T, 'c-1', { by: 'dewi', customerId: 'budi' }))).to.deep.equal(['/customerId invalid-input']);
    expect(await problems(ledger.cases.update(T, 'c-1', { by: 'dewi' }))).to.deep.equal([' invalid-input']);
    expect(await problems(ledger.cases.open(T, { ...complaint, id: 'c-9', callbackBy: '2026-12-01T00:00:00Z' }))).to.deep.equal(['/callbackBy callback-before-received']);
    try {
      await ledger.cases.open(T, { ...complaint, id: 'c-8', customerId: 'nobody' });
      expect.fail('opened for an unknown customer');
    } catch (error) {
      expect(error).to.be.instanceOf(NotFound);
    }
  });

  it('replays the same request and refuses other content under the same id', async () => {
    await ledger.cases.open(T, complaint);
    const again = await ledger.cases.open(T, complaint);
    expect(again.replayed).to.equal(true);
    try {
      await ledger.cases.open(T, { ...complaint, summary: 'something else' });
      expect.fail('other content was accepted');
    } catch (error) {
      expect(error).to.be.instanceOf(IdempotencyMismatch);
    }
    const change = { by: 'dewi', action: 'called the courier' };
    const at = '2026-12-02T10:00:00+07:00';
    const first = await ledger.cases.update(T, 'c-1', change, { at });
    const replay = await ledger.cases.update(T, 'c-1', change, { at });
    expect(replay).to.deep.equal({ ...first, replayed: true });
    const resolution = { resolvedBy: 'rudi', outcome: 'refund' };
    const resolved = await ledger.cases.resolve(T, 'c-1', resolution, { at: RESOLVED });
    expect(await ledger.cases.resolve(T, 'c-1', resolution, { at: RESOLVED })).to.deep.equal({ ...resolved, replayed: true });
    expect((await ledger.cases.get(T, 'c-1')).actions.length).to.equal(1);
    for (const type of ['case.opened', 'case.resolved']) expect((await ofType('ayu', type)).length, type).to.equal(1);
    // A change that changes nothing is answered with the case as it is, and kept nowhere.
    const unchanged = await ledger.cases.update(T, 'c-1', { by: 'dewi', department: 'logistics' }, { at: '2026-12-06T10:00:00+07:00' });
    expect(unchanged.history.length).to.equal(resolved.history.length);
  });

  it('serializes concurrent changes of a case: both changes kept, and of two resolutions exactly one', async () => {
    await ledger.cases.open(T, complaint);
    const at = '2026-12-02T10:00:00+07:00';
    await Promise.all([
      ledger.cases.update(T, 'c-1', { by: 'dewi', action: 'called the courier' }, { at }),
      ledger.cases.update(T, 'c-1', { by: 'rudi', department: 'after-sales' }, { at }),
    ]);
    const both = await ledger.cases.get(T, 'c-1');
    expect(both.department).to.equal('after-sales');
    expect(both.actions.map((a) => a.action)).to.deep.equal(['called the courier']);
    expect(both.history.map((h) => h.by).sort()).to.deep.equal(['dewi', 'dewi', 'rudi']);
    const outcomes = await Promise.allSettled(
      ['refund', 'replacement', 'voucher'].map((outcome) => ledger.cases.resolve(T, 'c-1', { resolvedBy: 'rudi', outcome }, { at: RESOLVED })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).to.equal(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).to.be.instanceOf(CaseTransitionRefused);
    expect((await ofType('ayu', 'case.resolved')).length).to.equal(1);
    // The account's follow-up timer carries the department as it was changed.
    expect((await ledger.runMomentsJob(T, { at: '2026-12-31T00:00:00Z' })).emitted).to.equal(2);
    expect((await ofType('ayu', 'case.follow-up-due'))[0]?.data.department).to.equal('after-sales');
  });

  it('lists a customer\'s cases newest first and the tenant\'s by status, a page at a time', async () => {
    await ledger.cases.open(T, complaint);
    await ledger.cases.open(T, { ...complaint, id: 'c-2', receivedAt: '2026-12-04T09:00:00+07:00', callbackBy: undefined });
    await ledger.cases.open(T, { ...complaint, id: 'c-3', customerId: 'budi', callbackBy: undefined });
    await ledger.cases.update(T, 'c-2', { by: 'dewi', status: 'in-progress' }, { at: '2026-12-04T10:00:00+07:00' });
    await ledger.cases.open(T, { ...complaint, id: 'c-4', receivedAt: '2026-12-05T09:00:00+07:00', callbackBy: undefined });

    const ids = (page: { items: Array<{ caseId: string }> }): string[] => page.items.map((c) => c.caseId);
    expect(ids(await ledger.cases.list(T, { customerId: 'ayu' }))).to.deep.equal(['c-4', 'c-2', 'c-1']);
    expect(ids(await ledger.cases.list(T, { customerId: 'ayu', status: 'open' }))).to.deep.equal(['c-4', 'c-1']);
    expect(ids(await ledger.cases.list(T, { status: 'open' }))).to.deep.equal(['c-1', 'c-3', 'c-4']);
    expect(ids(await ledger.cases.list(T, { status: 'in-progress' }))).to.deep.equal(['c-2']);
    expect(ids(await ledger.cases.list(T, { status: 'closed' }))).to.deep.equal([]);
    const first = await ledger.cases.list(T, { customerId: 'ayu', limit: 2 });
    expect(ids(first)).to.deep.equal(['c-4', 'c-2']);
    const second = await ledger.cases.list(T, { customerId: 'ayu', limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
    expect(ids(second)).to.deep.equal(['c-1']);
    expect(second.nextCursor).to.equal(undefined);
    const tenantFirst = await ledger.cases.list(T, { limit: 3 });
    expect(ids(tenantFirst)).to.deep.equal(['c-1', 'c-2', 'c-3']);
    expect(ids(await ledger.cases.list(T, { limit: 3, ...(tenantFirst.nextCursor ? { cursor: tenantFirst.nextCursor } : {}) }))).to.deep.equal(['c-4']);
    // Another tenant sees none of them.
    await ledger.publishProgram('other', program);
    expect(ids(await ledger.cases.list('other', {}))).to.deep.equal([]);
    try {
      await ledger.cases.get('other', 'c-1');
      expect.fail('another tenant read the case');
    } catch (error) {
      expect(error).to.be.instanceOf(NotFound);
    }
  });
});
