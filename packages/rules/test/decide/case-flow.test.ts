/**
 * Complaint cases in the rules: the status flow as a table (from, to, allowed, why), the follow-up instant (N
 * calendar days after the resolution at the same local time, across a daylight-saving change), and the timers: a
 * callback or a follow-up is emitted once by the moments run, found by the due index, and never after it fired or
 * after the change that made it moot.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import {
  applyActions,
  caseFollowUpAt,
  caseOpenedActions,
  caseResolvedActions,
  caseTimersActions,
  caseTransitionRefusal,
  compileProgram,
  decideDueMoments,
  emptyAccountState,
  nextMomentDue,
  parseProgram,
  type AccountAction,
  type AccountState,
  type CaseStatus,
} from '../../src/index.js';

const tokoJson = JSON.parse(readFileSync(new URL('../../../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const toko = compileProgram(parseProgram(tokoJson));

const transitions: Array<[CaseStatus, CaseStatus, string | undefined, string]> = [
  ['open', 'in-progress', undefined, 'someone works on it'],
  ['open', 'resolved', undefined, 'resolved on the first call'],
  ['open', 'closed', 'transition-not-allowed', 'a case is closed once resolved (and signed off)'],
  ['in-progress', 'resolved', undefined, 'the usual way'],
  ['in-progress', 'open', 'transition-not-allowed', 'work started cannot be undone'],
  ['in-progress', 'closed', 'transition-not-allowed', 'not resolved yet'],
  ['resolved', 'in-progress', undefined, 'reopened: the follow-up finds the customer unhappy'],
  ['resolved', 'closed', undefined, 'signed off'],
  ['resolved', 'resolved', 'transition-not-allowed', 'a case is resolved once per reopening'],
  ['closed', 'in-progress', 'case-closed', 'closed is final'],
  ['closed', 'resolved', 'case-closed', 'closed is final'],
];

describe('the status flow of a complaint case', () => {
  for (const [from, to, code, why] of transitions) {
    it(`${from} -> ${to}: ${code ?? 'allowed'} (${why})`, () => {
      expect(caseTransitionRefusal('c-1', from, to)?.code).to.equal(code);
    });
  }
  it('says which statuses the case can take instead', () => {
    expect(caseTransitionRefusal('c-1', 'in-progress', 'closed')?.message).to.equal('case "c-1" is in-progress and cannot become closed (from in-progress it can become resolved)');
  });
});

describe('the follow-up of a resolved case', () => {
  it('is 14 days later by default and the program may say otherwise', () => {
    // Jakarta has no daylight saving: 14 days of 24 hours.
    expect(caseFollowUpAt(toko, '2026-12-05T08:00:00.000Z')).to.equal('2026-12-19T08:00:00.000Z');
    const three = compileProgram(parseProgram({ ...tokoJson, moments: { caseFollowUp: { daysAfterResolution: 3 } } }));
    expect(caseFollowUpAt(three, '2026-12-05T08:00:00.000Z')).to.equal('2026-12-08T08:00:00.000Z');
  });

  it('keeps the local time across a daylight-saving change', () => {
    // Berlin: 20 March 2027 10:00 is UTC+1 (09:00Z); 3 April 2027 10:00 is UTC+2 (08:00Z), after the 28 March change.
    const berlin = compileProgram(parseProgram({ ...tokoJson, timezone: 'Europe/Berlin' }));
    expect(caseFollowUpAt(berlin, '2027-03-20T09:00:00.000Z')).to.equal('2027-04-03T08:00:00.000Z');
  });
});

describe('the timers of a case on its account', () => {
  const opened = { caseId: 'c-1', channel: 'phone', receivedAt: '2026-12-02T02:30:00.000Z', receivedBy: 'dewi', department: 'logistics', summary: 'late', callbackBy: '2026-12-03T10:00:00.000Z' };
  const apply = (state: AccountState, actions: readonly AccountAction[], at: string, id: string): AccountState => applyActions(state, actions, { at, id, compiled: toko }).state;
  const momentsOf = (actions: readonly AccountAction[]): string[] => actions.flatMap((a) => (a.type === 'moment' ? [`${a.moment}@${a.occurredAt ?? ''}`] : []));

  it('emits the callback when due, once, and the due index finds it', () => {
    let state = apply(emptyAccountState(), caseOpenedActions(opened), opened.receivedAt, 'case:c-1');
    expect(state.caseTimers).to.deep.equal([{ caseId: 'c-1', summary: 'late', department: 'logistics', callbackBy: '2026-12-03T10:00:00.000Z' }]);
    expect(nextMomentDue(toko, state, undefined, opened.receivedAt)).to.equal('2026-12-03T10:00:00.000Z');
    expect(momentsOf(decideDueMoments(toko, state, '2026-12-03T09:59:59.000Z'))).to.deep.equal([]);
    const due = decideDueMoments(toko, state, '2026-12-04T00:00:00.000Z');
    expect(momentsOf(due)).to.deep.equal(['case.callback-due@2026-12-03T10:00:00.000Z']);
    state = apply(state, due, '2026-12-04T00:00:00.000Z', 'moments:1');
    // Fired: the case waits for nothing more, and the account no longer keeps it.
    expect(state.caseTimers).to.equal(undefined);
    expect(momentsOf(decideDueMoments(toko, state, '2026-12-05T00:00:00.000Z'))).to.deep.equal([]);
  });

  it('emits nothing for a callback marked done in time, and a follow-up only while the case stays resolved', () => {
    let state = apply(emptyAccountState(), caseOpenedActions(opened), opened.receivedAt, 'case:c-1');
    // The callback made: the timer keeps the case's name only, and the account drops it.
    state = apply(state, caseTimersActions({ caseId: 'c-1', summary: 'late', department: 'logistics' }), '2026-12-03T08:00:00.000Z', 'change:1');
    expect(state.caseTimers).to.equal(undefined);
    const { actions, followUpAt } = caseResolvedActions(toko, { caseId: 'c-1', summary: 'late', department: 'logistics' }, { resolvedAt: '2026-12-05T08:00:00.000Z', resolvedBy: 'rudi', outcome: 'refund' });
    expect(followUpAt).to.equal('2026-12-19T08:00:00.000Z');
    const resolved = apply(state, actions, '2026-12-05T08:00:00.000Z', 'change:2');
    expect(momentsOf(decideDueMoments(toko, resolved, '2026-12-31T00:00:00.000Z'))).to.deep.equal(['case.follow-up-due@2026-12-19T08:00:00.000Z']);
    // Closed before the follow-up: nothing falls due.
    const closed = apply(resolved, caseTimersActions({ caseId: 'c-1', closed: true }), '2026-12-10T08:00:00.000Z', 'change:3');
    expect(closed.caseTimers).to.equal(undefined);
    expect(nextMomentDue(toko, closed, undefined, '2026-12-10T08:00:00.000Z')).to.equal(undefined);
  });
});
