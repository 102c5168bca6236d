/**
 * decideEvent (SEMANTICS rule 10): a custom event's points as one lot available at once, and its limit counters.
 * An event over its limit is recorded with zero points and the reason.
 */
import type { AccountAction, AwardAction } from '../account/account-action.js';
import { historyOf, type AccountState } from '../account/account-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { evaluateEvent, type EventEvaluation } from '../engine/events/evaluate-event.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { EventInput } from '../input/event-input.js';
import { lotLife, programFields } from './decision-parts.js';
import { awardedMoments } from './moment-actions.js';

/** The answer of {@link decideEvent}. */
export interface EventDecision {
  readonly evaluation: EventEvaluation;
  readonly actions: readonly AccountAction[];
}

/**
 * Decides an event recorded at `at` (UTC ISO).
 *
 * @example decideEvent(compiled, state, { customer, event: { id: 'ev-6', type: 'review.published' } }, { at }).evaluation.points
 */
export function decideEvent(compiled: CompiledProgram, state: AccountState, input: { readonly customer: CustomerInput; readonly event: EventInput }, options: { readonly at: string }): EventDecision {
  const { at } = options;
  const event = { ...input.event, occurredAt: input.event.occurredAt ?? at };
  const evaluation = evaluateEvent(compiled, { customer: input.customer, event, history: historyOf(state, at) }, { at });
  const award: AwardAction = {
    type: 'award',
    entry: { type: 'event', ...programFields(compiled), ruleIds: [...evaluation.ruleIds], eventId: event.id, ...(evaluation.reason ? { reason: evaluation.reason } : {}) },
    source: 'event',
    points: evaluation.points,
    ...lotLife(compiled, 'event', at),
  };
  const actions: AccountAction[] = [award, ...awardedMoments(award, { eventId: event.id, eventType: event.type })];
  if (evaluation.usage.length > 0) actions.push({ type: 'counters', deltas: evaluation.usage.map((u) => ({ key: u.key, count: u.count })) });
  return { evaluation, actions };
}
