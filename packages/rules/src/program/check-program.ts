/**
 * Checks beyond the schema: what a JSON Schema cannot say (thresholds strictly increasing, tier names that exist,
 * `valid.until` after `valid.from`, rules that can never apply, duplicate ids, unknown facts or operators, the
 * fields of each kind of tier perk: perks/check-perks.ts).
 * Each section is checked only when the schema found nothing wrong inside it, so its shape can be trusted.
 */
import { compileCondition, type ConditionContext } from '../conditions/compile-condition.js';
import type { FactPlace } from '../conditions/facts.js';
import type { Problem } from '../errors.js';
import { checkTierPerks } from '../perks/check-perks.js';
import { Decimal, describePointer } from '../money/money.js';
import { isValidZone } from '../time.js';
import { DateTime } from 'luxon';
import type { Condition } from './condition-schema.js';
import type { EarningRule } from './earning-rule.js';
import type { LineFilter, Validity } from './primitives.js';
import type { Program } from './program-schema.js';

/** Contexts in which conditions are checked, by where they stand. */
export const CONDITION_PLACES: Record<'order' | 'line' | 'event', ReadonlySet<FactPlace>> = {
  order: new Set<FactPlace>(['any', 'order']),
  line: new Set<FactPlace>(['any', 'order', 'line']),
  event: new Set<FactPlace>(['any', 'event']),
};

/** Runs every semantic check. `clean(pointer)` tells whether the schema found no problem at or under `pointer`. */
export function checkProgram(program: Program, clean: (pointer: string) => boolean): Problem[] {
  const problems: Problem[] = [];
  const zone = clean('/timezone') && isValidZone(program.timezone) ? program.timezone : undefined;
  if (clean('/timezone') && !zone) {
    problems.push({ pointer: '/timezone', code: 'invalid-zone', message: `timezone must be an IANA time zone like "Asia/Jakarta", got "${program.timezone}"` });
  }
  const tierIds = clean('/tiers') ? checkTiers(program, problems) : undefined;
  checkDuplicateIds(program, clean, problems);
  program.earning.forEach((rule, i) => {
    const pointer = `/earning/${i}`;
    if (clean(pointer)) checkEarningRule(rule, pointer, zone ?? 'UTC', problems);
  });
  eventsOf(program).forEach((event, i) => {
    const pointer = `/events/${i}`;
    if (!clean(pointer)) return;
    checkValidity(event.valid, `${pointer}/valid`, problems);
    if (event.when) compileCondition(event.when, `${pointer}/when`, { zone: zone ?? 'UTC', places: CONDITION_PLACES.event, where: 'an event rule' }, problems);
    checkByTier(event.award.byTier, `${pointer}/award/byTier`, tierIds, clean, problems);
  });
  for (const section of ['birthday', 'anniversary'] as const) {
    const value = program[section];
    if (value && clean(`/${section}`)) checkByTier(value.award.byTier, `/${section}/award/byTier`, tierIds, clean, problems);
  }
  // Plan by plan: a schema problem in one plan does not hide what is wrong with another.
  if (program.warranty && Array.isArray(program.warranty.plans)) checkWarranty(program, clean, problems);
  if (program.goodwill && clean('/goodwill')) checkGoodwill(program, problems);
  if (Array.isArray(program.rewards)) checkRewards(program, clean, tierIds, problems);
  return problems;
}

/** The events list, or none when the schema found it is not a list. */
function eventsOf(program: Program): NonNullable<Program['events']> {
  return Array.isArray(program.events) ? program.events : [];
}

function checkTiers(program: Program, problems: Problem[]): ReadonlySet<string> | undefined {
  const tiers = program.tiers;
  if (!tiers) return new Set();
  const ids = new Set<string>();
  tiers.levels.forEach((level, i) => {
    const pointer = `/tiers/levels/${i}`;
    if (ids.has(level.id)) problems.push({ pointer: `${pointer}/id`, code: 'duplicate-id', message: `${describePointer(pointer)}.id "${level.id}" is already used by another tier` });
    ids.add(level.id);
    checkTierPerks(level, pointer, problems);
    const threshold = new Decimal(level.threshold);
    if (tiers.basis !== 'spend' && !threshold.isInteger()) {
      problems.push({ pointer: `${pointer}/threshold`, code: 'invalid-threshold', message: `${describePointer(pointer)}.threshold must be a whole number when tiers count ${tiers.basis}, got "${level.threshold}"` });
    }
    const previous = tiers.levels[i - 1];
    if (previous && !threshold.gt(previous.threshold)) {
      problems.push({
        pointer: `${pointer}/threshold`,
        code: 'thresholds-not-increasing',
        message: `${describePointer(pointer)}.threshold must be above the threshold of the tier before it ("${previous.id}": "${previous.threshold}"), got "${level.threshold}"`,
      });
    }
  });
  if (tiers.window.type === 'rolling' && tiers.window.months === undefined) {
    problems.push({ pointer: '/tiers/window/months', code: 'missing-field', message: 'tiers.window needs "months" for a rolling window, like {"type": "rolling", "months": 12}' });
  }
  if (tiers.window.type === 'calendar-year' && tiers.window.months !== undefined) {
    problems.push({ pointer: '/tiers/window/months', code: 'unexpected-field', message: 'tiers.window.months has no meaning for a calendar-year window; remove it' });
  }
  return ids;
}

function checkDuplicateIds(program: Program, clean: (pointer: string) => boolean, problems: Problem[]): void {
  const seen = new Map<string, string>();
  const visit = (id: string, pointer: string) => {
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push({ pointer: `${pointer}/id`, code: 'duplicate-id', message: `${describePointer(pointer)}.id "${id}" is already used by ${describePointer(first)}; rule ids must be unique` });
    } else seen.set(id, pointer);
  };
  program.earning.forEach((rule, i) => {
    if (clean(`/earning/${i}/id`)) visit(rule.id, `/earning/${i}`);
  });
  eventsOf(program).forEach((event, i) => {
    if (clean(`/events/${i}/id`)) visit(event.id, `/events/${i}`);
  });
}

function checkValidity(valid: Validity | undefined, pointer: string, problems: Problem[]): void {
  if (!valid?.from || !valid.until) return;
  const from = DateTime.fromISO(valid.from, { zone: 'UTC' });
  const until = DateTime.fromISO(valid.until, { zone: 'UTC' });
  if (from.isValid && until.isValid && until.toMillis() <= from.toMillis()) {
    problems.push({ pointer: `${pointer}/until`, code: 'invalid-validity', message: `${describePointer(pointer)}.until (${valid.until}) must be after ${describePointer(pointer)}.from (${valid.from}), or the rule can never apply` });
  }
}

const FILTER_FIELDS = ['sku', 'category', 'brand', 'tag'] as const;

/** True when every line the `appliesTo` filter lets in is removed by `exclude`. */
function filterExcludesAll(appliesTo: LineFilter, exclude: LineFilter): boolean {
  return FILTER_FIELDS.every((field) => {
    const wanted = appliesTo[field];
    if (!wanted) return true;
    const removed = exclude[field] ?? [];
    return wanted.every((value) => removed.includes(value));
  });
}

/** Leaves of the top-level `all` that pin one fact to two different values with `eq`. */
function contradictoryEquality(when: Condition): string | undefined {
  if (!('all' in when)) return undefined;
  const pinned = new Map<string, string>();
  for (const child of when.all) {
    if (!('fact' in child) || child.op !== 'eq' || (typeof child.value !== 'string' && typeof child.value !== 'number')) continue;
    if (child.fact.endsWith('.tags')) continue;
    const value = String(child.value);
    const before = pinned.get(child.fact);
    if (before !== undefined && before !== value) return `${child.fact} cannot equal both "${before}" and "${value}"`;
    pinned.set(child.fact, value);
  }
  return undefined;
}

function checkEarningRule(rule: EarningRule, pointer: string, zone: string, problems: Problem[]): void {
  const where = describePointer(pointer);
  checkValidity(rule.valid, `${pointer}/valid`, problems);
  if (rule.valid?.earlyAccess === true && rule.valid.from === undefined) {
    problems.push({ pointer: `${pointer}/valid/earlyAccess`, code: 'unexpected-field', message: `${where}.valid.earlyAccess needs "valid.from": early access opens a window before it starts` });
  }
  if (rule.when) {
    const context: ConditionContext = { zone, places: CONDITION_PLACES[rule.scope], where: rule.scope === 'order' ? 'an order rule' : 'a line rule' };
    compileCondition(rule.when, `${pointer}/when`, context, problems);
    const contradiction = contradictoryEquality(rule.when);
    if (contradiction) problems.push({ pointer: `${pointer}/when`, code: 'never-applies', message: `${where} can never apply: ${contradiction}` });
  }
  const never = (at: string, why: string) => problems.push({ pointer: `${pointer}${at}`, code: 'never-applies', message: `${where} can never apply: ${why}` });
  if ('points' in rule.award && rule.award.points === 0) never('/award/points', 'it awards 0 points');
  if (rule.cap?.perOrder === 0) never('/cap/perOrder', 'its per-order cap is 0 points');
  if (rule.cap?.budget?.points === 0) never('/cap/budget/points', 'its budget is 0 points');
  if (rule.appliesTo && rule.exclude && filterExcludesAll(rule.appliesTo, rule.exclude)) never('/exclude', 'every line it applies to is also excluded');
}

function checkByTier(byTier: Readonly<Record<string, number>> | undefined, pointer: string, tierIds: ReadonlySet<string> | undefined, clean: (pointer: string) => boolean, problems: Problem[]): void {
  if (!byTier || !tierIds || !clean('/tiers')) return;
  for (const id of Object.keys(byTier)) {
    if (!tierIds.has(id)) {
      const known = [...tierIds].map((t) => `"${t}"`).join(', ') || 'none (the program has no tiers)';
      problems.push({ pointer: `${pointer}/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`, code: 'unknown-tier', message: `${describePointer(pointer)} names the tier "${id}", which the program does not have (tiers: ${known})` });
    }
  }
}

function checkWarranty(program: Program, clean: (pointer: string) => boolean, problems: Problem[]): void {
  const ids = new Set<string>();
  (program.warranty?.plans ?? []).forEach((plan, i) => {
    const pointer = `/warranty/plans/${i}`;
    if (!clean(pointer)) return;
    const where = describePointer(pointer);
    if (ids.has(plan.id)) problems.push({ pointer: `${pointer}/id`, code: 'duplicate-id', message: `${where}.id "${plan.id}" is already used by another plan` });
    ids.add(plan.id);
    if (plan.price.percentOfProductPrice === undefined && plan.price.fixed === undefined) {
      problems.push({ pointer: `${pointer}/price`, code: 'missing-price', message: `${where}.price needs "percentOfProductPrice" or "fixed"` });
    }
    if (plan.purchaseWindowDays !== undefined && plan.purchaseWindow !== undefined) {
      problems.push({
        pointer: `${pointer}/purchaseWindow`,
        code: 'conflicting-fields',
        message: `${where} gives both "purchaseWindowDays" and "purchaseWindow"; keep one: a number of days after purchase, or {"until": "manufacturer-end"}`,
      });
    } else if (plan.purchaseWindowDays === undefined && plan.purchaseWindow === undefined) {
      problems.push({
        pointer: `${pointer}/purchaseWindowDays`,
        code: 'missing-field',
        message: `${where} needs "purchaseWindowDays" (days after purchase the plan can be bought) or "purchaseWindow": {"until": "manufacturer-end"}`,
      });
    }
    if (plan.minProductPrice !== undefined && plan.maxProductPrice !== undefined && new Decimal(plan.minProductPrice).gt(plan.maxProductPrice)) {
      problems.push({ pointer: `${pointer}/minProductPrice`, code: 'never-applies', message: `${where} can never apply: minProductPrice "${plan.minProductPrice}" is above maxProductPrice "${plan.maxProductPrice}"` });
    }
  });
}

function checkGoodwill(program: Program, problems: Problem[]): void {
  const ids = new Set<string>();
  (program.goodwill?.reasons ?? []).forEach((reason, i) => {
    const pointer = `/goodwill/reasons/${i}`;
    if (ids.has(reason.id)) problems.push({ pointer: `${pointer}/id`, code: 'duplicate-id', message: `${describePointer(pointer)}.id "${reason.id}" is already used by another goodwill reason` });
    ids.add(reason.id);
  });
}

/** Reward by reward: unique ids, the fields each kind needs (and only those), tiers that exist, a window that opens. */
function checkRewards(program: Program, clean: (pointer: string) => boolean, tierIds: ReadonlySet<string> | undefined, problems: Problem[]): void {
  const ids = new Set<string>();
  (program.rewards ?? []).forEach((reward, i) => {
    const pointer = `/rewards/${i}`;
    if (!clean(pointer)) return;
    const where = describePointer(pointer);
    const push = (at: string, code: string, message: string) => problems.push({ pointer: `${pointer}${at}`, code, message });
    if (ids.has(reward.id)) push('/id', 'duplicate-id', `${where}.id "${reward.id}" is already used by another reward`);
    ids.add(reward.id);
    if (reward.kind === 'voucher') {
      if (reward.value === undefined && reward.percent === undefined) push('/value', 'missing-field', `${where} is a voucher: give its "value" (money off, like "50000") or its "percent" (like "10")`);
      if (reward.value !== undefined && reward.percent !== undefined) push('/percent', 'conflicting-fields', `${where} gives both "value" and "percent"; a voucher is one or the other`);
      if (reward.percent !== undefined && new Decimal(reward.percent).isZero()) push('/percent', 'never-applies', `${where}.percent is 0: the voucher would take nothing off`);
    } else {
      for (const field of ['value', 'percent'] as const) {
        if (reward[field] !== undefined) push(`/${field}`, 'unexpected-field', `${where}.${field} has no meaning for a ${reward.kind} reward; only a voucher has a value or a percent`);
      }
    }
    if (reward.kind === 'gift' && reward.sku === undefined) push('/sku', 'missing-field', `${where} is a gift: give the "sku" of the product given`);
    if (reward.kind !== 'gift' && reward.sku !== undefined) push('/sku', 'unexpected-field', `${where}.sku has no meaning for a ${reward.kind} reward; only a gift has a sku`);
    checkValidity(reward.valid, `${pointer}/valid`, problems);
    if (reward.tiers && tierIds && clean('/tiers')) {
      reward.tiers.forEach((id, t) => {
        if (tierIds.has(id)) return;
        const known = [...tierIds].map((k) => `"${k}"`).join(', ') || 'none (the program has no tiers)';
        push(`/tiers/${t}`, 'unknown-tier', `${where}.tiers names the tier "${id}", which the program does not have (tiers: ${known})`);
      });
    }
  });
}
