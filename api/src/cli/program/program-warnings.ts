/**
 * Warnings for programs that are valid but suspicious: what `parseProgram` accepts because a marketer may mean
 * it, yet usually is a mistake that costs money or disappoints customers. Each warning has a stable code and a
 * pointer; none of them changes the meaning of the program. The bounds are options, because a 5% reward rate is
 * normal for one shop and a typo for another.
 */
import { Decimal, type EarningRule, type LineFilter, type Program } from '@purna/rules';
import { DateTime } from 'luxon';

/** One warning: where, a stable code, and a sentence. */
export interface ProgramWarning {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

/** Limits above which a program is suspicious. */
export interface WarningBounds {
  /** The instant "now" for rules whose validity has ended. */
  readonly at: DateTime;
  /** Highest combined multiplier (rule multipliers × tier multiplier) considered normal. Default 3. */
  readonly maxMultiplier: Decimal;
  /** Highest share of spend given back as points value (points × pointValue ÷ spend). Default 0.1 (10%). */
  readonly maxRewardRate: Decimal;
}

/** The default bounds, as of `at`. */
export function defaultBounds(at: DateTime): WarningBounds {
  return { at, maxMultiplier: new Decimal(3), maxRewardRate: new Decimal('0.1') };
}

const FILTER_FIELDS = ['sku', 'category', 'brand', 'tag'] as const;

/** True when every line `wanted` lets in is removed by `exclude` (as parseProgram's own check reads filters). */
function excludesAll(wanted: LineFilter | undefined, exclude: LineFilter | undefined): boolean {
  if (!exclude) return false;
  if (!wanted) return false;
  return FILTER_FIELDS.every((field) => {
    const values = wanted[field];
    if (!values) return true;
    const removed = exclude[field] ?? [];
    return values.every((value) => removed.includes(value));
  });
}

function validAt(rule: EarningRule, millis: number): boolean {
  const from = rule.valid?.from ? DateTime.fromISO(rule.valid.from, { zone: 'UTC' }).toMillis() : Number.NEGATIVE_INFINITY;
  const until = rule.valid?.until ? DateTime.fromISO(rule.valid.until, { zone: 'UTC' }).toMillis() : Number.POSITIVE_INFINITY;
  return from <= millis && millis < until;
}

/** The largest tier multiplier and the tier that has it. */
function topTier(program: Program): { id: string | undefined; multiplier: Decimal } {
  let best: { id: string | undefined; multiplier: Decimal } = { id: undefined, multiplier: new Decimal(1) };
  for (const level of program.tiers?.levels ?? []) {
    const m = new Decimal(level.multiplier ?? '1');
    if (m.gt(best.multiplier)) best = { id: level.id, multiplier: m };
  }
  return best;
}

/** What the program gives at most, at the instant where most rules overlap. */
interface Peak {
  readonly at: number;
  readonly multiplier: Decimal;
  readonly multiplierRules: readonly string[];
  /** Points per unit of currency from `pointsPer` rules, before multipliers. */
  readonly rate: Decimal;
  readonly rateRules: readonly string[];
}

/**
 * The instant (among the start of time and every rule's start) where the stacked multipliers and the points rate
 * are highest. Conditions are ignored: this is the most a single line can earn when every rule matches it.
 */
function peaks(program: Program): { multiplier: Peak; rate: Peak } {
  const instants = [Number.NEGATIVE_INFINITY, ...program.earning.flatMap((r) => (r.valid?.from ? [DateTime.fromISO(r.valid.from, { zone: 'UTC' }).toMillis()] : []))];
  let bestMultiplier: Peak | undefined;
  let bestRate: Peak | undefined;
  for (const at of instants) {
    const live = program.earning.filter((r) => validAt(r, at));
    const multiplierRules = live.filter((r) => 'multiplier' in r.award);
    const multiplier = multiplierRules.reduce((m, r) => ('multiplier' in r.award ? m.times(r.award.multiplier) : m), new Decimal(1));
    const rateRules = live.filter((r) => 'pointsPer' in r.award);
    const rate = rateRules.reduce((sum, r) => ('pointsPer' in r.award ? sum.plus(new Decimal(r.award.pointsPer.points).div(r.award.pointsPer.amount)) : sum), new Decimal(0));
    const peak = { at, multiplier, multiplierRules: multiplierRules.map((r) => r.id), rate, rateRules: rateRules.map((r) => r.id) };
    if (!bestMultiplier || multiplier.gt(bestMultiplier.multiplier)) bestMultiplier = peak;
    if (!bestRate || rate.times(multiplier).gt(bestRate.rate.times(bestRate.multiplier))) bestRate = peak;
  }
  const none: Peak = { at: Number.NEGATIVE_INFINITY, multiplier: new Decimal(1), multiplierRules: [], rate: new Decimal(0), rateRules: [] };
  return { multiplier: bestMultiplier ?? none, rate: bestRate ?? none };
}

function percent(value: Decimal): string {
  return `${value.times(100).toDecimalPlaces(2).toString()}%`;
}

function since(at: number): string {
  return at === Number.NEGATIVE_INFINITY ? '' : ` from ${DateTime.fromMillis(at, { zone: 'UTC' }).toISO()}`;
}

/**
 * Every warning for a valid program.
 *
 * @example
 * for (const w of programWarnings(program, defaultBounds(DateTime.now()))) console.log(w.pointer, w.message);
 */
export function programWarnings(program: Program, bounds: WarningBounds): ProgramWarning[] {
  const warnings: ProgramWarning[] = [];
  const now = bounds.at.toMillis();

  program.earning.forEach((rule, i) => {
    const pointer = `/earning/${i}`;
    if (rule.valid?.until && DateTime.fromISO(rule.valid.until, { zone: 'UTC' }).toMillis() <= now) {
      warnings.push({ pointer: `${pointer}/valid/until`, code: 'rule-ended', message: `rule "${rule.id}" ended at ${rule.valid.until} and will never apply again; remove it or move its end` });
    }
    if ('multiplier' in rule.award && rule.scope === 'line') {
      const bases = program.earning.filter((other) => other !== rule && other.scope === 'line' && !('multiplier' in other.award));
      if (bases.length === 0) {
        warnings.push({ pointer: `${pointer}/award/multiplier`, code: 'multiplier-without-base', message: `rule "${rule.id}" multiplies what lines earn from other line rules, but no line rule earns points: it adds nothing` });
      } else if (bases.every((base) => excludesAll(rule.appliesTo, base.exclude))) {
        warnings.push({ pointer: `${pointer}/appliesTo`, code: 'multiplier-without-base', message: `rule "${rule.id}" multiplies lines that every earning rule excludes (${bases.map((b) => `"${b.id}"`).join(', ')}): it adds nothing` });
      }
    }
    const open = !rule.when && !rule.appliesTo && !rule.valid && !rule.cap;
    if (rule.stacking === 'exclusive' && open) {
      program.earning.forEach((other, j) => {
        // Base rules and multiplier rules run in separate phases, so exclusivity only shadows rules of the same kind.
        const samePhase = ('multiplier' in other.award) === ('multiplier' in rule.award);
        if (j === i || !samePhase || other.scope !== rule.scope || (other.priority ?? 0) >= (rule.priority ?? 0)) return;
        warnings.push({
          pointer: `/earning/${j}`,
          code: 'shadowed-rule',
          message: `rule "${other.id}" never applies: "${rule.id}" has a higher priority, is exclusive and applies to every ${rule.scope}`,
        });
      });
    }
  });

  const tiers = program.tiers;
  if (tiers) {
    const lowest = tiers.levels[0];
    if (lowest && new Decimal(lowest.threshold).gt(0)) {
      warnings.push({ pointer: '/tiers/levels/0/threshold', code: 'no-entry-tier', message: `the lowest tier "${lowest.id}" needs ${tiers.basis} of ${lowest.threshold}: customers below it hold no tier at all; add a tier with threshold "0" if that is not meant` });
    }
    const earnsPoints = program.earning.some((r) => !('multiplier' in r.award));
    tiers.levels.forEach((level, i) => {
      if (tiers.basis === 'points' && !earnsPoints && new Decimal(level.threshold).gt(0)) {
        warnings.push({ pointer: `/tiers/levels/${i}/threshold`, code: 'unreachable-tier', message: `no one can reach tier "${level.id}": tiers count points earned, and no earning rule gives points` });
      }
      const previous = tiers.levels[i - 1];
      if (previous && new Decimal(level.multiplier ?? '1').lt(previous.multiplier ?? '1')) {
        warnings.push({ pointer: `/tiers/levels/${i}/multiplier`, code: 'tier-multiplier-decreases', message: `tier "${level.id}" multiplies points by ${level.multiplier ?? '1'}, less than the lower tier "${previous.id}" (${previous.multiplier ?? '1'}): climbing a tier would earn less` });
      }
    });
  }

  const top = topTier(program);
  const { multiplier, rate } = peaks(program);
  const stacked = multiplier.multiplier.times(top.multiplier);
  if (stacked.gt(bounds.maxMultiplier)) {
    const parts = [...multiplier.multiplierRules.map((id) => `"${id}"`), ...(top.id ? [`tier "${top.id}"`] : [])].join(' × ');
    const first = program.earning.findIndex((r) => r.id === multiplier.multiplierRules[0]);
    warnings.push({
      pointer: first >= 0 ? `/earning/${first}/award/multiplier` : '/tiers',
      code: 'multiplier-stack',
      message: `multipliers stack up to ×${stacked.toString()}${since(multiplier.at)} (${parts}), above the bound ×${bounds.maxMultiplier.toString()}; check that they are meant to combine`,
    });
  }
  const pointValue = program.points.redemption?.pointValue;
  if (pointValue !== undefined && rate.rateRules.length > 0) {
    const rewardRate = rate.rate.times(rate.multiplier).times(top.multiplier).times(pointValue);
    if (rewardRate.gt(bounds.maxRewardRate)) {
      const first = program.earning.findIndex((r) => r.id === rate.rateRules[0]);
      warnings.push({
        pointer: `/earning/${first}/award/pointsPer`,
        code: 'reward-rate',
        message: `up to ${percent(rewardRate)} of spend comes back as points value${since(rate.at)} (rules ${rate.rateRules.map((id) => `"${id}"`).join(', ')}${rate.multiplierRules.length > 0 ? `, multipliers ${rate.multiplierRules.map((id) => `"${id}"`).join(', ')}` : ''}${top.id ? `, tier "${top.id}"` : ''}); the bound is ${percent(bounds.maxRewardRate)}. A "pointsPer.amount" with a digit missing gives ten times the planned rate`,
      });
    }
  }
  return warnings;
}
