/**
 * Complaint cases (docs/after-sales.md "Complaint cases"): the status flow and the moments of a case.
 *
 * - Status flow: `open` -> `in-progress` -> `resolved` -> `closed`. A case may be resolved straight from `open`, and
 *   a resolved case may be reopened (`in-progress`, when the follow-up finds the customer unhappy); `closed` is final.
 * - `case.opened` and `case.resolved` are committed with the change itself; `case.callback-due` (the callback
 *   promised by `callbackBy`, not marked done by then) and `case.follow-up-due` (`moments.caseFollowUp
 *   .daysAfterResolution` after the resolution, 14 days by default) are time-based: the case's timers are kept on
 *   its customer's account (`AccountState.caseTimers`) and the moments run emits them (decide-due-moments.ts).
 */
import type { AccountAction, CaseTimerFiredAction, MomentAction } from '../account/account-action.js';
import type { CaseTimer } from '../account/account-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { MomentData } from '../moments/moment-types.js';
import { momentLeadTimes } from '../program/moments-section.js';
import { formatUtc } from '../time.js';
import { momentAction } from './moment-actions.js';
import { type Reason } from '../messages/sentence.js';
import { reasonOf } from '../messages/english.js';

/** Every status of a case, in the order of the flow. */
export const CASE_STATUSES = ['open', 'in-progress', 'resolved', 'closed'] as const;

/** One status of a case. */
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The statuses a case may move to from each status. */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  open: ['in-progress', 'resolved'],
  'in-progress': ['resolved'],
  resolved: ['in-progress', 'closed'],
  closed: [],
};

/** Days from a resolution to its `case.follow-up-due` when the program sets none. */
export const DEFAULT_CASE_FOLLOW_UP_DAYS = 14;

/** Why the status flow refuses a change: a closed case never changes; other moves are not in the flow. */
export type CaseTransitionRefusal = Reason<'case-closed' | 'transition-not-allowed'>;

/**
 * Why a case cannot move from `from` to `to` (with the statuses it can move to), or undefined when it may.
 *
 * @example caseTransitionRefusal('c-1', 'open', 'closed')?.message // 'case "c-1" is open and cannot become closed (from open it can become in-progress or resolved)'
 */
export function caseTransitionRefusal(caseId: string, from: CaseStatus, to: CaseStatus): CaseTransitionRefusal | undefined {
  const allowed = CASE_TRANSITIONS[from];
  if (allowed.includes(to)) return undefined;
  if (allowed.length === 0) return reasonOf('case.case-closed', { caseId, from });
  if (from === to) return reasonOf('case.transition-not-allowed#same', { caseId, to });
  return reasonOf('case.transition-not-allowed', { caseId, from, to, allowed });
}

/** A case as it was opened: what `case.opened` tells the CRM. */
export interface OpenedCase {
  readonly caseId: string;
  readonly channel: string;
  readonly receivedAt: string;
  readonly receivedBy: string;
  readonly department: string;
  readonly summary: string;
  readonly orderId?: string;
  readonly sku?: string;
  readonly callbackBy?: string;
}

function caseRef(timer: Pick<CaseTimer, 'caseId' | 'summary' | 'department' | 'orderId'>): MomentData {
  return { caseId: timer.caseId, summary: timer.summary, department: timer.department, ...(timer.orderId !== undefined ? { orderId: timer.orderId } : {}) };
}

/**
 * The actions of a case opened for the customer: `case.opened`, and the callback timer when one is promised.
 *
 * @example caseOpenedActions({ caseId: 'c-1', channel: 'phone', receivedAt, receivedBy: 'dewi', department: 'logistics', summary: 'late delivery', callbackBy })
 */
export function caseOpenedActions(opened: OpenedCase): AccountAction[] {
  const { orderId, sku, callbackBy, ...rest } = opened;
  const data: MomentData = {
    ...rest,
    ...(orderId !== undefined ? { orderId } : {}),
    ...(sku !== undefined ? { sku } : {}),
    ...(callbackBy !== undefined ? { callbackBy } : {}),
    status: 'open',
  };
  const timer: CaseTimer = {
    caseId: opened.caseId,
    summary: opened.summary,
    department: opened.department,
    ...(orderId !== undefined ? { orderId } : {}),
    ...(callbackBy !== undefined ? { callbackBy } : {}),
  };
  return [momentAction('case.opened', data, { occurredAt: opened.receivedAt }), ...caseTimersActions(timer)];
}

/**
 * The action that keeps a case's timers as they now stand (none when it waits for nothing: the reducer drops it).
 *
 * @example caseTimersActions({ caseId: 'c-1', summary, department, callbackBy: '2026-12-03T03:00:00.000Z' })
 */
export function caseTimersActions(timer: CaseTimer | { caseId: string; closed: true }): AccountAction[] {
  if ('closed' in timer) return [{ type: 'case-timers', caseId: timer.caseId, timer: null }];
  return [{ type: 'case-timers', caseId: timer.caseId, timer }];
}

/**
 * When the follow-up of a case resolved at `resolvedAt` (UTC ISO) is due: `daysAfterResolution` (14 by default)
 * days later, at the same local time in the program's zone.
 *
 * @example caseFollowUpAt(compiled, '2026-12-05T08:00:00.000Z') // '2026-12-19T08:00:00.000Z'
 */
export function caseFollowUpAt(compiled: CompiledProgram, resolvedAt: string): string {
  const days = momentLeadTimes(compiled.program.moments).caseFollowUpAfterResolution ?? DEFAULT_CASE_FOLLOW_UP_DAYS;
  return formatUtc(compiled.clock.plusDays(compiled.clock.millis(resolvedAt, '/at'), days));
}

/** A resolution, as `case.resolved` tells it. */
export interface ResolvedCase {
  readonly resolvedAt: string;
  readonly resolvedBy: string;
  readonly outcome: string;
  readonly signedOffBy?: string;
}

/**
 * The actions of a resolution: `case.resolved` and the follow-up timer (a callback still promised keeps its own).
 *
 * @example caseResolvedActions(compiled, timer, { resolvedAt, resolvedBy: 'rudi', outcome: 'refunded the shipping' })
 */
export function caseResolvedActions(compiled: CompiledProgram, timer: CaseTimer, resolution: ResolvedCase): { actions: AccountAction[]; followUpAt: string } {
  const followUpAt = caseFollowUpAt(compiled, resolution.resolvedAt);
  const { signedOffBy, ...rest } = resolution;
  const data: MomentData = { ...caseRef(timer), ...rest, ...(signedOffBy !== undefined ? { signedOffBy } : {}), followUpAt };
  const next: CaseTimer = { ...timer, followUp: { resolvedAt: resolution.resolvedAt, at: followUpAt } };
  return { actions: [momentAction('case.resolved', data, { occurredAt: resolution.resolvedAt }), ...caseTimersActions(next)], followUpAt };
}

/**
 * The time-based moments of one case's timers: each with its instant (epoch ms), its moment and the action that
 * marks the timer fired. Keyed by what it stands for (the promised instant, the resolution), so a callback promised
 * again, or a case resolved again after a reopening, is reminded of again, and nothing twice.
 *
 * @example caseTimerMoments(compiled, timer) // [{ at, moment: { moment: 'case.callback-due', ... }, fired: { type: 'case-timer-fired', ... } }]
 */
export function caseTimerMoments(compiled: CompiledProgram, timer: CaseTimer): Array<{ at: number; moment: MomentAction; fired: CaseTimerFiredAction }> {
  const out: Array<{ at: number; moment: MomentAction; fired: CaseTimerFiredAction }> = [];
  if (timer.callbackBy !== undefined) {
    const at = compiled.clock.millis(timer.callbackBy, '/callbackBy');
    out.push({
      at,
      moment: momentAction('case.callback-due', { ...caseRef(timer), callbackBy: timer.callbackBy }, { occurredAt: timer.callbackBy, key: `case.callback-due:${timer.caseId}:${timer.callbackBy}` }),
      fired: { type: 'case-timer-fired', caseId: timer.caseId, timer: 'callback' },
    });
  }
  if (timer.followUp !== undefined) {
    const { resolvedAt, at: followUpAt } = timer.followUp;
    out.push({
      at: compiled.clock.millis(followUpAt, '/followUpAt'),
      moment: momentAction('case.follow-up-due', { ...caseRef(timer), resolvedAt, followUpAt }, { occurredAt: followUpAt, key: `case.follow-up-due:${timer.caseId}:${resolvedAt}` }),
      fired: { type: 'case-timer-fired', caseId: timer.caseId, timer: 'follow-up' },
    });
  }
  return out;
}
