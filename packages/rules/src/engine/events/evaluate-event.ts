/**
 * evaluateEvent (SEMANTICS rule 10): points for a custom event from the event rules of its type, each within its
 * validity and its per-customer limit. Over the limit is an answer (0 points with the reason), not an error.
 */
import type { EvaluationFacts } from '../../conditions/facts.js';
import { InputError } from '../../errors.js';
import type { CustomerHistory } from '../../input/customer-history.js';
import type { CustomerInput } from '../../input/customer-input.js';
import type { EventInput } from '../../input/event-input.js';
import type { InstantLike } from '../../time.js';
import { checkHistory } from '../check-history.js';
import type { CompiledProgram } from '../compiled-program.js';
import type { UsageDelta } from '../earning/compute-order-points.js';
import { customerFacts, timeFacts } from '../evaluation-facts.js';
import { periodKey } from '../period-key.js';
import { sentence, type Sentence } from '../../messages/sentence.js';
import { detailed } from '../../messages/english.js';
import { heldLevel, tierEntries } from '../tiers/tier-window.js';

/** Why an event rule gave nothing. Stable codes. */
export type EventReasonCode = 'no-event-rule' | 'not-valid-yet' | 'expired' | 'condition-false' | 'limit-reached';

/** One event rule's decision. */
export interface EventRuleTrace {
  readonly ruleId: string;
  readonly applied: boolean;
  readonly points: number;
  readonly reason?: EventReasonCode;
  readonly detail?: string;
  /** `detail` as data, to write it in another language. */
  readonly detailSentence?: Sentence;
  readonly limit?: { readonly key: string; readonly count: number; readonly used: number };
}

/** The answer of {@link evaluateEvent}. */
export interface EventEvaluation {
  readonly points: number;
  /** When `points` is 0: the reason (of the first event rule of that type, or `no-event-rule`). */
  readonly reason?: EventReasonCode;
  readonly detail?: string;
  /** `detail` as data, to write it in another language. */
  readonly detailSentence?: Sentence;
  readonly ruleIds: readonly string[];
  readonly usage: readonly UsageDelta[];
  /** The tier held at the event (event awards may depend on it via `byTier`). */
  readonly tier: string | null;
  readonly trace: { readonly occurredAt: string; readonly rules: readonly EventRuleTrace[] };
}

/** Input of {@link evaluateEvent}. */
export interface EvaluateEventInput {
  readonly customer?: CustomerInput;
  readonly event: EventInput;
  readonly history: CustomerHistory;
}

/**
 * Points for a custom event.
 *
 * @example
 * evaluateEvent(compiled, { event: { id: 'ev-6', type: 'review.published' }, history }, { at })
 * // 6th review in a month: { points: 0, reason: 'limit-reached', detail: 'already 5 this calendar month (limit 5)' }
 */
export function evaluateEvent(compiled: CompiledProgram, input: EvaluateEventInput, options: { readonly at: InstantLike }): EventEvaluation {
  const { event, history } = input;
  if (typeof event !== 'object' || event === null || typeof event.id !== 'string' || typeof event.type !== 'string') {
    throw new InputError([{ pointer: '/event', code: 'invalid-event', message: 'event must have a text "id" and a text "type" like "review.published"' }]);
  }
  checkHistory(history);
  const atMs = compiled.clock.millis(options.at, '/at');
  const occurredAt = event.occurredAt !== undefined ? compiled.clock.millis(event.occurredAt, '/event/occurredAt') : atMs;
  const tiers = compiled.tiers;
  const tierIndex = tiers ? heldLevel(tiers, compiled.clock, tierEntries(tiers, compiled.clock, history.orders, occurredAt), occurredAt, history.tierHold).index : -1;
  const tier = tiers && tierIndex >= 0 ? tiers.levels[tierIndex]!.id : null;
  const facts: EvaluationFacts = {
    customer: customerFacts(compiled, input.customer, tier ?? undefined),
    time: timeFacts(compiled, occurredAt),
    event: { type: event.type, attributes: event.attributes ?? {} },
  };
  const local = compiled.clock.local(occurredAt);
  const rules = compiled.events.get(event.type) ?? [];
  const traces: EventRuleTrace[] = [];
  const usage: UsageDelta[] = [];
  const ruleIds: string[] = [];
  let points = 0;
  for (const compiledRule of rules) {
    const { rule } = compiledRule;
    if (compiledRule.validFrom !== undefined && occurredAt < compiledRule.validFrom) {
      traces.push({ ruleId: rule.id, applied: false, points: 0, reason: 'not-valid-yet', ...detailed(sentence('event.before-valid-from')) });
      continue;
    }
    if (compiledRule.validUntil !== undefined && occurredAt >= compiledRule.validUntil) {
      traces.push({ ruleId: rule.id, applied: false, points: 0, reason: 'expired', ...detailed(sentence('event.after-valid-until')) });
      continue;
    }
    if (compiledRule.when && !compiledRule.when.test(facts)) {
      traces.push({ ruleId: rule.id, applied: false, points: 0, reason: 'condition-false', ...detailed(compiledRule.when.explain(facts)) });
      continue;
    }
    const limit = rule.limit?.perCustomer;
    let limitTrace: EventRuleTrace['limit'];
    if (limit) {
      const key = `event:${rule.id}:${periodKey(limit.period, local)}`;
      const used = history.usage[key] ?? 0;
      limitTrace = { key, count: limit.count, used };
      if (used >= limit.count) {
        traces.push({ ruleId: rule.id, applied: false, points: 0, reason: 'limit-reached', ...detailed(sentence('event.limit-reached', { used, period: limit.period ?? null, limit: limit.count })), limit: limitTrace });
        continue;
      }
      usage.push({ key, count: 1 });
    }
    const award = (tier !== null && rule.award.byTier && Object.hasOwn(rule.award.byTier, tier) ? rule.award.byTier[tier] : undefined) ?? rule.award.points;
    points += award;
    ruleIds.push(rule.id);
    traces.push({ ruleId: rule.id, applied: true, points: award, ...(limitTrace ? { limit: limitTrace } : {}) });
  }
  const firstMiss = traces.find((t) => !t.applied);
  const why =
    points > 0
      ? {}
      : rules.length === 0
        ? { reason: 'no-event-rule' as const, ...detailed(sentence('event.no-rule', { type: event.type })) }
        : firstMiss?.reason
          ? { reason: firstMiss.reason, ...detailed(firstMiss.detailSentence) }
          : {};
  return { points, ...why, ruleIds, usage, tier, trace: { occurredAt: compiled.clock.format(occurredAt), rules: traces } };
}
