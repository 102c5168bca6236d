/**
 * Turns an order quote's trace into sentences a customer or a support agent can read, in any of {@link LANGUAGES}.
 * Every number comes from the trace (the same one the API returns), so the explanation can never disagree with
 * the points. The words are the catalogs' `explain.*` and `rule-reason.*` messages; numbers and dates are written
 * the reader's way (1,234.5 / 1.234,5; "1 Maret 2026").
 */
import { DateTime } from 'luxon';
import { Decimal } from '../money/money.js';
import type { OrderQuote } from '../engine/earning/quote-order.js';
import type { RuleTrace } from '../engine/earning/order-trace.js';
import type { Program } from '../program/schema.js';
import { LOCALE_STYLES, type Language } from './languages.js';
import { formatNumber } from './locale-format.js';
import { message } from './render.js';

/** An explanation: the sentences, grouped in paragraphs (a header followed by its items). */
export interface Explanation {
  readonly language: Language;
  readonly points: number;
  readonly paragraphs: ReadonlyArray<readonly string[]>;
}

function formatDate(iso: string, zone: string, language: Language, withTime: boolean): string {
  const date = DateTime.fromISO(iso, { zone, setZone: false }).setZone(zone).setLocale(LOCALE_STYLES[language].locale);
  if (!date.isValid) throw new RangeError(`invalid instant ${JSON.stringify(iso)}`);
  return withTime ? `${date.toFormat('d MMMM yyyy, HH:mm')} (${zone})` : date.toFormat('d MMMM yyyy');
}

/**
 * The explanation of `quote` (of an order of `program`) in `language`.
 *
 * @example
 * explainOrder(program, quote, 'o-1', 'id').paragraphs.flat().join('\n')
 */
export function explainOrder(program: Program, quote: OrderQuote, orderId: string, language: Language): Explanation {
  const trace = quote.trace;
  const zone = program.timezone;
  const n = (value: string | number) => formatNumber(typeof value === 'number' ? String(value) : new Decimal(value).toString(), language);
  const pts = (value: string | number) => message('explain.points', { points: n(value) }, language);
  const tierName = (tierId: string | null) => program.tiers?.levels.find((l) => l.id === tierId)?.name ?? tierId ?? '';
  const skuOf = (index: number) => trace.lines.find((l) => l.index === index)?.sku ?? `#${index + 1}`;
  const paragraphs: string[][] = [];

  const date = formatDate(trace.placedAt, zone, language, true);
  paragraphs.push([quote.points > 0 ? message('explain.headline', { orderId, date, points: pts(quote.points) }, language) : message('explain.no-points', { orderId, date }, language)]);
  paragraphs.push([trace.tier.id === null ? message('explain.no-tier-before', {}, language) : message('explain.tier-before', { tier: tierName(trace.tier.id), multiplier: n(trace.tier.multiplier) }, language)]);

  const applied = trace.rules.filter((r) => r.applied && !new Decimal(r.points).isZero());
  if (applied.length > 0) {
    const items = applied.map((rule) => {
      const lines = rule.scope === 'line' && rule.lines && rule.lines.length > 0 ? message('explain.on-lines', { lines: rule.lines.map(skuOf).join(', ') }, language) : '';
      const capped = rule.caps?.find((c) => c.effect === 'reduced' && c.uncapped !== undefined);
      const capNote = capped?.uncapped !== undefined ? ` (${message('explain.cap-reduced', { uncapped: n(capped.uncapped), points: n(rule.points) }, language)})` : '';
      const said = { name: rule.name, ruleId: rule.ruleId, points: pts(rule.points), lines };
      const sentence = rule.award === 'multiplier' ? message('explain.rule-multiplied', said, language) : message('explain.rule-earned', said, language);
      return `  • ${capNote === '' ? sentence : sentence.replace(/\.$/, `${capNote}.`)}`;
    });
    paragraphs.push([message('explain.earned-header', {}, language), ...items]);
  }

  const excludedLines = trace.lines.filter((l) => l.rules.length === 0).map((l) => message('explain.line-excluded', { sku: l.sku }, language));
  if (excludedLines.length > 0) paragraphs.push(excludedLines);
  const notApplied = trace.rules.filter((r) => !r.applied).map((r) => `  • ${message('explain.rule-not-applied', { name: r.name, ruleId: r.ruleId, why: whyNot(r, program, language) }, language)}`);
  if (notApplied.length > 0) paragraphs.push([message('explain.not-applied-header', {}, language), ...notApplied]);

  const sums: string[] = [];
  if (trace.tier.id === null) sums.push(message('explain.arithmetic-no-tier', { subtotal: pts(trace.subtotal) }, language));
  else {
    const exact = pts(new Decimal(trace.subtotal).times(trace.tier.multiplier).toString());
    sums.push(message('explain.arithmetic', { subtotal: pts(trace.subtotal), multiplier: n(trace.tier.multiplier), tier: tierName(trace.tier.id), exact }, language));
  }
  if (trace.maxPerOrder) sums.push(message('explain.max-per-order', { limit: pts(trace.maxPerOrder.limit), uncapped: pts(trace.maxPerOrder.uncapped) }, language));
  sums.push(message('explain.rounded', { mode: trace.rounding.mode, points: pts(trace.rounding.points) }, language));
  paragraphs.push(sums);

  const after: string[] = [];
  if (trace.tierAfter !== trace.tierBefore && trace.tierAfter !== null) {
    const before = program.tiers?.levels.findIndex((l) => l.id === trace.tierBefore) ?? -1;
    const now = program.tiers?.levels.findIndex((l) => l.id === trace.tierAfter) ?? -1;
    after.push(message(now > before ? 'explain.tier-raised' : 'explain.tier-lowered', { tier: tierName(trace.tierAfter) }, language));
  }
  if (quote.points > 0) {
    const from = formatDate(quote.life.availableAt, zone, language, false);
    after.push(quote.life.expiresAt === null ? message('explain.availability-no-expiry', { from }, language) : message('explain.availability', { from, until: formatDate(quote.life.expiresAt, zone, language, false) }, language));
  }
  if (after.length > 0) paragraphs.push(after);
  return { language, points: quote.points, paragraphs };
}

/** Why a rule gave nothing, with the specifics the program and the trace know (dates, cap usage). */
function whyNot(rule: RuleTrace, program: Program, language: Language): string {
  const base = message(`rule-reason.${rule.reason ?? 'condition-false'}`, {}, language);
  const valid = program.earning.find((r) => r.id === rule.ruleId)?.valid;
  if (rule.reason === 'not-valid-yet' && valid?.from) return `${base}: ${message('explain.starts-at', { date: formatDate(valid.from, program.timezone, language, false) }, language)}`;
  if (rule.reason === 'expired' && valid?.until) return `${base}: ${message('explain.ended-at', { date: formatDate(valid.until, program.timezone, language, false) }, language)}`;
  const cap = rule.caps?.find((c) => c.kind === 'perCustomer' && c.effect === 'blocked');
  if (rule.reason === 'cap-reached' && cap?.used !== undefined) {
    return `${base}: ${message('explain.cap-used', { used: formatNumber(String(cap.used), language), limit: formatNumber(String(cap.limit), language) }, language)}`;
  }
  return base;
}

/**
 * The explanation as plain text: paragraphs separated by a blank line.
 *
 * @example explanationText(explainOrder(program, quote, 'o-1', 'fil'))
 */
export function explanationText(explanation: Explanation): string {
  return `${explanation.paragraphs.map((p) => p.join('\n')).join('\n\n')}\n`;
}
