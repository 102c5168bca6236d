/**
 * compileProgram: turns a validated program into closures and precomputed decimals, once. Evaluations then do no
 * parsing of the program at all.
 */
import { ALWAYS, compileCondition } from '../../conditions/compile-condition.js';
import { ProgramError, type Problem } from '../../errors.js';
import { Decimal } from '../../money/money.js';
import { CONDITION_PLACES } from '../../program/check-program.js';
import type { EarningRule } from '../../program/earning-rule.js';
import type { Validity } from '../../program/primitives.js';
import type { Program } from '../../program/program-schema.js';
import { parseInstant } from '../../time.js';
import type { CompiledEventRule, CompiledProgram, CompiledRule, CompiledTiers, RuleRatio } from '../compiled-program.js';
import { POINT_UNITS } from '../earning/fast-points.js';
import { CustomerCap } from '../period-key.js';
import { basisUnits } from '../tiers/tier-window.js';
import { compileLineFilter } from './line-filter.js';
import { pointsShare, SHARE_DECIMALS, toShare } from '../../money/shares.js';
import { ZoneClock } from '../zone-clock.js';
import { compileOrderPerks } from '../../perks/order-perks.js';
import { earlyAccessMillis, levelPerks, tierWarrantyFigures } from '../../perks/tier-perks.js';

/** Options of {@link compileProgram}. */
export interface CompileOptions {
  /** The published version of the program (recorded in snapshots and ledger entries). */
  readonly version?: number;
}

function validity(valid: Validity | undefined, zone: string, pointer: string): { from: number | undefined; until: number | undefined } {
  return {
    from: valid?.from ? parseInstant(valid.from, zone, `${pointer}/from`).toMillis() : undefined,
    until: valid?.until ? parseInstant(valid.until, zone, `${pointer}/until`).toMillis() : undefined,
  };
}

const POINT_DIGITS = BigInt(Math.round(Math.log10(POINT_UNITS)));

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** `num ÷ den` in lowest terms as safe numbers, or NaN for both when they do not fit. */
function safeRatio(num: bigint, den: bigint): { num: number; den: number } {
  const g = gcd(num < 0n ? -num : num, den);
  const n = num / g;
  const d = den / g;
  const fits = (v: bigint) => v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER);
  return fits(n) && fits(d) ? { num: Number(n), den: Number(d) } : { num: Number.NaN, den: Number.NaN };
}

/** A positive decimal string as digits ÷ 10^decimals. */
function fraction(text: string): { digits: bigint; decimals: number } {
  const dot = text.indexOf('.');
  return dot < 0 ? { digits: BigInt(text), decimals: 0 } : { digits: BigInt(text.slice(0, dot) + text.slice(dot + 1)), decimals: text.length - dot - 1 };
}

/** The fast path's numbers of an award (see RuleRatio). */
function ruleRatio(rule: EarningRule): RuleRatio {
  const award = rule.award;
  let per = { num: Number.NaN, den: Number.NaN };
  let rate = Number.NaN;
  if ('pointsPer' in award) {
    const amount = fraction(award.pointsPer.amount);
    per = safeRatio(BigInt(award.pointsPer.points) * (10n ** (POINT_DIGITS + BigInt(amount.decimals))), amount.digits);
    rate = award.pointsPer.points / Number(award.pointsPer.amount);
  }
  let extra = { num: Number.NaN, den: Number.NaN };
  let extraFloat = Number.NaN;
  if ('multiplier' in award) {
    const m = fraction(award.multiplier);
    const one = 10n ** BigInt(m.decimals);
    extra = safeRatio(m.digits - one, one);
    extraFloat = Number(award.multiplier) - 1;
  }
  return {
    perNum: per.num,
    perDen: per.den,
    rate,
    extraNum: extra.num,
    extraDen: extra.den,
    extra: extraFloat,
    fixed: 'points' in award ? award.points : Number.NaN,
    capPerOrder: rule.cap?.perOrder ?? Number.NaN,
  };
}

/** Decimal places a share keeps: a rate or multiplier with more is truncated on the exact path, so no fast path. */
function fitsShare(text: string): boolean {
  return fraction(text).decimals <= SHARE_DECIMALS;
}

/** Whether the fast path may answer for this program (see CompiledProgram.fastPath). */
function allowsFastPath(program: Program): boolean {
  for (const rule of program.earning) {
    const award = rule.award;
    if ('pointsPer' in award && !fitsShare(award.pointsPer.amount)) return false;
    if ('multiplier' in award && (!fitsShare(award.multiplier) || new Decimal(award.multiplier).lt(1))) return false;
  }
  for (const level of program.tiers?.levels ?? []) if (level.multiplier !== undefined && !fitsShare(level.multiplier)) return false;
  return true;
}

const CANDIDATE_FIELDS = ['sku', 'category', 'brand'] as const;

/** See CompiledRule.candidates: from `appliesTo` on one field, or an eq/in on a line field that `when` requires. */
function candidatesOf(rule: EarningRule): CompiledRule['candidates'] {
  const applies = rule.appliesTo;
  if (applies) {
    const fields = Object.keys(applies);
    const field = CANDIDATE_FIELDS.find((f) => f === fields[0]);
    if (fields.length === 1 && field) return { field, values: applies[field]! };
  }
  const when = rule.when as unknown;
  const required = isRecord(when) && Array.isArray(when.all) ? (when.all as unknown[]) : [when];
  for (const node of required) {
    if (!isRecord(node) || typeof node.fact !== 'string') continue;
    const field = CANDIDATE_FIELDS.find((f) => node.fact === `line.${f}`);
    if (!field) continue;
    if (node.op === 'eq' && typeof node.value === 'string') return { field, values: [node.value] };
    if (node.op === 'in' && Array.isArray(node.value) && node.value.every((v) => typeof v === 'string')) return { field, values: node.value };
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileRule(rule: EarningRule, index: number, zone: string, problems: Problem[], filterIds: Map<string, number>): CompiledRule {
  const pointer = `/earning/${index}`;
  const award = rule.award;
  const kind = 'pointsPer' in award ? 'pointsPer' : 'points' in award ? 'points' : 'multiplier';
  const excluded = compileLineFilter(rule.exclude);
  const applies = rule.appliesTo ? compileLineFilter(rule.appliesTo) : undefined;
  const window = validity(rule.valid, zone, `${pointer}/valid`);
  const when = rule.when
    ? compileCondition(rule.when, `${pointer}/when`, { zone, places: CONDITION_PLACES[rule.scope], where: rule.scope === 'order' ? 'an order rule' : 'a line rule' }, problems)
    : undefined;
  const multiplier = 'multiplier' in award ? new Decimal(award.multiplier) : undefined;
  const filterKey = JSON.stringify([rule.exclude ?? null, rule.appliesTo ?? null]);
  let filterId = filterIds.get(filterKey);
  if (filterId === undefined) {
    filterId = filterIds.size;
    filterIds.set(filterKey, filterId);
  }
  return {
    filterId,
    everyLine: !rule.exclude && !rule.appliesTo,
    candidates: rule.scope === 'line' ? candidatesOf(rule) : undefined,
    rule,
    id: rule.id,
    name: rule.name,
    scope: rule.scope,
    kind,
    phase: kind === 'multiplier' ? 'multiplier' : 'base',
    priority: rule.priority ?? 0,
    exclusive: rule.stacking === 'exclusive',
    per: 'pointsPer' in award ? new Decimal(award.pointsPer.amount) : undefined,
    perPoints: 'pointsPer' in award ? new Decimal(award.pointsPer.points) : undefined,
    fixed: 'points' in award ? new Decimal(award.points) : undefined,
    multiplier,
    extraFactor: multiplier?.minus(1),
    validFrom: window.from,
    validUntil: window.until,
    earlyAccess: rule.valid?.earlyAccess === true && window.from !== undefined,
    when: when === ALWAYS ? undefined : when,
    lineEligible: applies ? (line) => applies(line) && !excluded(line) : (line) => !excluded(line),
    capPerOrder: rule.cap?.perOrder !== undefined ? new Decimal(rule.cap.perOrder) : undefined,
    fixedPoint: {
      per: 'pointsPer' in award ? toShare(new Decimal(award.pointsPer.amount)) : 1n,
      perPoints: 'pointsPer' in award ? BigInt(award.pointsPer.points) : 0n,
      fixed: 'points' in award ? pointsShare(award.points) : 0n,
      extraFactor: multiplier ? toShare(multiplier.minus(1)) : 0n,
      capPerOrder: rule.cap?.perOrder !== undefined ? pointsShare(rule.cap.perOrder) : undefined,
    },
    capPerCustomer: rule.cap?.perCustomer ? new CustomerCap(rule.id, rule.cap.perCustomer.count, rule.cap.perCustomer.period) : undefined,
    budget: rule.cap?.budget?.points,
    ratio: ruleRatio(rule),
  };
}

function tierRatio(multiplier: string): { num: number; den: number; value: number } {
  const m = fraction(multiplier);
  return { ...safeRatio(m.digits, 10n ** BigInt(m.decimals)), value: Number(multiplier) };
}

function thresholdUnits(thresholds: readonly string[]): number[] | undefined {
  const units = thresholds.map(basisUnits);
  return units.every((u) => u !== undefined) ? units : undefined;
}

function compileTiers(program: Program): CompiledTiers | undefined {
  const section = program.tiers;
  if (!section) return undefined;
  const levels = section.levels.map((level) => ({
    level,
    id: level.id,
    threshold: new Decimal(level.threshold),
    multiplier: new Decimal(level.multiplier ?? '1'),
    multiplierShare: toShare(new Decimal(level.multiplier ?? '1')),
    ratio: tierRatio(level.multiplier ?? '1'),
    perks: levelPerks(level),
    orderPerks: compileOrderPerks(level),
    earlyAccessMs: earlyAccessMillis(level),
    warranty: tierWarrantyFigures(level),
  }));
  return {
    section,
    basis: section.basis,
    windowMonths: section.window.type === 'rolling' ? (section.window.months ?? 12) : undefined,
    graceMonths: section.downgrade?.graceMonths ?? 0,
    levels,
    thresholdUnits: thresholdUnits(section.levels.map((l) => l.threshold)),
    byId: new Map(levels.map((l) => [l.id, l])),
    excluded: compileLineFilter(section.exclude),
  };
}

/**
 * Compiles a program (from {@link parseProgram}) once: conditions become closures, decimals and instants are parsed,
 * rules are ordered. Throws a ProgramError when a condition does not check (a program that skipped parseProgram).
 *
 * @example
 * const compiled = compileProgram(parseProgram(json), { version: 3 });
 * const quote = quoteOrder(compiled, { customer, order, history }, { at: order.placedAt });
 */
export function compileProgram(program: Program, options: CompileOptions = {}): CompiledProgram {
  const zone = program.timezone;
  const clock = new ZoneClock(zone);
  const problems: Problem[] = [];
  const filterIds = new Map<string, number>();
  const compiled = program.earning.map((rule, i) => compileRule(rule, i, zone, problems, filterIds));
  const position = new Map(compiled.map((rule, i) => [rule, i]));
  const order = (a: CompiledRule, b: CompiledRule) => b.priority - a.priority || (position.get(a) ?? 0) - (position.get(b) ?? 0);
  const rules = [...compiled.filter((r) => r.phase === 'base').sort(order), ...compiled.filter((r) => r.phase === 'multiplier').sort(order)];
  const events = new Map<string, CompiledEventRule[]>();
  (program.events ?? []).forEach((rule, i) => {
    const pointer = `/events/${i}`;
    const window = validity(rule.valid, zone, `${pointer}/valid`);
    const when = rule.when ? compileCondition(rule.when, `${pointer}/when`, { zone, places: CONDITION_PLACES.event, where: 'an event rule' }, problems) : undefined;
    const list = events.get(rule.event) ?? [];
    list.push({ rule, id: rule.id, validFrom: window.from, validUntil: window.until, when });
    events.set(rule.event, list);
  });
  if (problems.length > 0) throw new ProgramError(problems);
  return {
    program,
    id: program.id,
    version: options.version ?? program.version,
    zone,
    clock,
    rounding: program.points.rounding ?? 'floor',
    pendingDays: program.points.pendingDays ?? 0,
    expiryMonths: program.points.expiry?.months,
    maxPerOrder: program.points.maxPerOrder !== undefined ? new Decimal(program.points.maxPerOrder) : undefined,
    maxPerOrderShare: program.points.maxPerOrder !== undefined ? pointsShare(program.points.maxPerOrder) : undefined,
    fastPath: allowsFastPath(program),
    filterCount: filterIds.size,
    rules,
    tiers: compileTiers(program),
    events,
  };
}
