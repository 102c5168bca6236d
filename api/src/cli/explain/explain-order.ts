/**
 * Turns an order quote's trace into sentences a customer or a support agent can read, in English or Indonesian.
 * Every number comes from the trace (the same one the API returns), so the explanation can never disagree with
 * the points.
 */
import { Decimal, type OrderQuote, type Program, type RuleTrace } from '@purna/rules';
import { DateTime } from 'luxon';
import { WORDS, type ExplanationWords, type Language } from './explanation-language.js';

/** An explanation: the sentences, grouped in paragraphs (a header followed by its items). */
export interface Explanation {
  readonly language: Language;
  readonly points: number;
  readonly paragraphs: ReadonlyArray<readonly string[]>;
}

/** A decimal string with the language's separators: "1234.5" -> "1,234.5" (en) or "1.234,5" (id). */
export function formatNumber(value: string | number, words: ExplanationWords): string {
  const text = typeof value === 'number' ? String(value) : new Decimal(value).toString();
  const negative = text.startsWith('-');
  const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, words.thousands);
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `${words.decimal}${fraction}`}`;
}

function formatDate(iso: string, zone: string, words: ExplanationWords, withTime: boolean): string {
  const date = DateTime.fromISO(iso, { zone, setZone: false }).setZone(zone).setLocale(words.locale);
  if (!date.isValid) throw new RangeError(`invalid instant ${JSON.stringify(iso)}`);
  return withTime ? `${date.toFormat('d MMMM yyyy, HH:mm')} (${zone})` : date.toFormat('d MMMM yyyy');
}

/**
 * The explanation of `quote` (of an order of `program`) in `language`.
 *
 * @example
 * explainOrder(program, quote, 'id').paragraphs.flat().join('\n')
 */
export function explainOrder(program: Program, quote: OrderQuote, orderId: string, language: Language): Explanation {
  const words = WORDS[language];
  const trace = quote.trace;
  const zone = program.timezone;
  const n = (value: string | number) => formatNumber(value, words);
  const pts = (value: string | number) => words.pointsWord(n(value));
  const tierName = (tierId: string | null) => program.tiers?.levels.find((l) => l.id === tierId)?.name ?? tierId ?? '';
  const skuOf = (index: number) => trace.lines.find((l) => l.index === index)?.sku ?? `#${index + 1}`;
  const paragraphs: string[][] = [];

  const placed = formatDate(trace.placedAt, zone, words, true);
  paragraphs.push([quote.points > 0 ? words.headline(orderId, placed, pts(quote.points)) : words.noPoints(orderId, placed)]);
  paragraphs.push([trace.tier.id === null ? words.noTierBefore : words.tierBefore(tierName(trace.tier.id), n(trace.tier.multiplier))]);

  const applied = trace.rules.filter((r) => r.applied && !new Decimal(r.points).isZero());
  if (applied.length > 0) {
    const items = applied.map((rule) => {
      const lines = rule.scope === 'line' && rule.lines && rule.lines.length > 0 ? words.onLines(rule.lines.map(skuOf).join(', ')) : '';
      const capped = rule.caps?.find((c) => c.effect === 'reduced' && c.uncapped !== undefined);
      const capNote = capped?.uncapped !== undefined ? ` (${words.capReduced(n(capped.uncapped), n(rule.points))})` : '';
      const sentence = rule.award === 'multiplier' ? words.ruleMultiplied(rule.name, rule.ruleId, pts(rule.points), lines) : words.ruleEarned(rule.name, rule.ruleId, pts(rule.points), lines);
      return `  • ${capNote === '' ? sentence : sentence.replace(/\.$/, `${capNote}.`)}`;
    });
    paragraphs.push([words.earnedHeader, ...items]);
  }

  const excludedLines = trace.lines.filter((l) => l.rules.length === 0).map((l) => words.lineExcluded(l.sku));
  if (excludedLines.length > 0) paragraphs.push(excludedLines);
  const notApplied = trace.rules.filter((r) => !r.applied).map((r) => `  • ${words.ruleNotApplied(r.name, r.ruleId, whyNot(r, program, words))}`);
  if (notApplied.length > 0) paragraphs.push([words.notAppliedHeader, ...notApplied]);

  const sums: string[] = [];
  if (trace.tier.id === null) sums.push(words.arithmeticNoTier(pts(trace.subtotal)));
  else sums.push(words.arithmetic(pts(trace.subtotal), n(trace.tier.multiplier), tierName(trace.tier.id), pts(new Decimal(trace.subtotal).times(trace.tier.multiplier).toString())));
  if (trace.maxPerOrder) sums.push(words.maxPerOrder(pts(trace.maxPerOrder.limit), pts(trace.maxPerOrder.uncapped)));
  sums.push(words.rounded(words.roundingModes[trace.rounding.mode], pts(trace.rounding.points)));
  paragraphs.push(sums);

  const after: string[] = [];
  if (trace.tierAfter !== trace.tierBefore && trace.tierAfter !== null) {
    const before = program.tiers?.levels.findIndex((l) => l.id === trace.tierBefore) ?? -1;
    const now = program.tiers?.levels.findIndex((l) => l.id === trace.tierAfter) ?? -1;
    after.push(now > before ? words.tierRaised(tierName(trace.tierAfter)) : words.tierLowered(tierName(trace.tierAfter)));
  }
  if (quote.points > 0) {
    const from = formatDate(quote.life.availableAt, zone, words, false);
    after.push(quote.life.expiresAt === null ? words.availabilityNoExpiry(from) : words.availability(from, formatDate(quote.life.expiresAt, zone, words, false)));
  }
  if (after.length > 0) paragraphs.push(after);
  return { language, points: quote.points, paragraphs };
}

/** Why a rule gave nothing, with the specifics the program and the trace know (dates, cap usage). */
function whyNot(rule: RuleTrace, program: Program, words: ExplanationWords): string {
  const base = rule.reason ? words.reasons[rule.reason] : words.reasons['condition-false'];
  const valid = program.earning.find((r) => r.id === rule.ruleId)?.valid;
  if (rule.reason === 'not-valid-yet' && valid?.from) return `${base}: ${words.startsAt(formatDate(valid.from, program.timezone, words, false))}`;
  if (rule.reason === 'expired' && valid?.until) return `${base}: ${words.endedAt(formatDate(valid.until, program.timezone, words, false))}`;
  const cap = rule.caps?.find((c) => c.kind === 'perCustomer' && c.effect === 'blocked');
  if (rule.reason === 'cap-reached' && cap?.used !== undefined) return `${base}: ${words.capUsed(formatNumber(cap.used, words), formatNumber(cap.limit, words))}`;
  return base;
}

/** The explanation as plain text: paragraphs separated by a blank line. */
export function explanationText(explanation: Explanation): string {
  return `${explanation.paragraphs.map((p) => p.join('\n')).join('\n\n')}\n`;
}
