/**
 * The English of a quote: why a rule gave nothing, why a condition did not hold, why a perk gives nothing. Apart
 * from the rest of the English catalog (which spreads it) so that the storefront's quote bundle carries only these.
 */
import { describePeriod } from '../engine/period-key.js';
import type { Operator } from '../conditions/operators.js';
import type { Period } from '../program/primitives.js';

type Id = string;
type Text = string;
type Count = number;
type Amount = string;

const plural = (n: number, word: string): string => `${word}${n === 1 ? '' : 's'}`;

export const enQuote = {
  // Why a rule of an order gave nothing (the rule trace's `detail`).
  'rule.before-valid-from': () => 'the order was placed before valid.from',
  'rule.before-valid-from-early-access': () => "the order was placed before valid.from, less the early access of the customer's tier (if any)",
  'rule.after-valid-until': () => 'the order was placed after valid.until',
  'rule.exclusive-applied': (p: { ruleId: Id }) => `exclusive rule "${p.ruleId}" applied first`,
  'rule.no-line-counts': () => 'no line counts towards this rule',
  'rule.nothing-to-multiply': () => 'the order earned nothing to multiply',
  'rule.no-lines': () => 'the order has no lines',
  'rule.line-exclusive-applied': (p: { line: Count; ruleId: Id }) => `line ${p.line}: exclusive rule "${p.ruleId}" applied first`,
  'rule.line-filtered': (p: { line: Count; sku: Id }) => `line ${p.line} (${p.sku}) is excluded by the rule's line filter`,
  'rule.line-condition': (p: { line: Count; sku: Id; condition: Text }) => `line ${p.line} (${p.sku}): ${p.condition}`,
  'rule.line-nothing-to-multiply': (p: { line: Count; sku: Id }) => `line ${p.line} (${p.sku}) earned nothing to multiply`,
  'rule.cap-reached': (p: { used: Count; period: Period | null; limit: Count }) => `already applied ${p.used} ${plural(p.used, 'time')} this ${describePeriod(p.period ?? undefined)} (limit ${p.limit})`,
  'rule.budget-used-up': (p: { budget: Count }) => `its budget of ${p.budget} points is used up`,
  // Why a condition did not hold.
  'condition.none': () => 'no condition',
  'condition.not-held': () => 'not(...) failed because its condition held',
  'condition.none-held': (p: { parts: readonly Text[] }) => `none held: ${p.parts.join('; ')}`,
  'condition.all-held': () => 'all conditions held',
  'condition.false': (p: { fact: Id; op: Operator; operands: Text; actual: Text }) => `${p.fact} ${OPERATOR_WORDS[p.op]} ${p.operands} was false (${p.fact} is ${p.actual})`,
  // Perks of the tier on an order.
  'perk.below-min-order-total': (p: { total: Amount; min: Amount; short: Amount; currency: Id }) =>
    `the order total ${p.total} ${p.currency} is below the ${p.min} ${p.currency} free shipping needs (${p.short} ${p.currency} more)`,
  'perk.no-shipping-lines': () => 'the order has no shipping line with an amount to make free',
  'perk.no-matching-lines': () => 'no line of the order that the discount applies to has an amount',
} as const;

/** What each condition operator says, as the trace words it. */
const OPERATOR_WORDS: Readonly<Record<Operator, string>> = {
  eq: 'equals',
  ne: 'differs from',
  lt: 'is less than',
  lte: 'is at most',
  gt: 'is more than',
  gte: 'is at least',
  in: 'is one of',
  nin: 'is none of',
  between: 'is between (inclusive)',
  exists: 'is present',
};
