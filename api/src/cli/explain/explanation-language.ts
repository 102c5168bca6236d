/**
 * The words of an explanation, in English and Indonesian. One table per language, the same keys in both, so a
 * sentence added to one and forgotten in the other fails to compile.
 */
import type { RoundingMode, RuleReasonCode } from '@purna/rules';

/** Languages explanations are written in. */
export const LANGUAGES = ['en', 'id'] as const;
/** A language code. */
export type Language = (typeof LANGUAGES)[number];

/** Everything an explanation says, as functions of the values they mention (already formatted). */
export interface ExplanationWords {
  readonly locale: string;
  readonly thousands: string;
  readonly decimal: string;
  headline(orderId: string, date: string, points: string): string;
  noPoints(orderId: string, date: string): string;
  tierBefore(tier: string, multiplier: string): string;
  noTierBefore: string;
  earnedHeader: string;
  ruleEarned(name: string, id: string, points: string, lines: string): string;
  ruleMultiplied(name: string, id: string, points: string, lines: string): string;
  onLines(lines: string): string;
  notAppliedHeader: string;
  ruleNotApplied(name: string, id: string, why: string): string;
  reasons: Readonly<Record<RuleReasonCode, string>>;
  startsAt(date: string): string;
  endedAt(date: string): string;
  capUsed(used: string, limit: string): string;
  capReduced(uncapped: string, points: string): string;
  lineExcluded(sku: string): string;
  arithmetic(subtotal: string, multiplier: string, tier: string, exact: string): string;
  arithmeticNoTier(subtotal: string): string;
  rounded(mode: string, points: string): string;
  roundingModes: Readonly<Record<RoundingMode, string>>;
  maxPerOrder(limit: string, uncapped: string): string;
  tierRaised(tier: string): string;
  tierLowered(tier: string): string;
  availability(availableAt: string, expiresAt: string): string;
  availabilityNoExpiry(availableAt: string): string;
  pointsWord(points: string): string;
}

const en: ExplanationWords = {
  locale: 'en-GB',
  thousands: ',',
  decimal: '.',
  headline: (id, date, points) => `Order ${id} placed on ${date} earns ${points}.`,
  noPoints: (id, date) => `Order ${id} placed on ${date} earns no points.`,
  tierBefore: (tier, m) => `Tier before this order: ${tier} (points × ${m}).`,
  noTierBefore: 'The customer held no tier before this order.',
  earnedHeader: 'How the points were earned:',
  ruleEarned: (name, id, points, lines) => `${name} (${id}): ${points}${lines}.`,
  ruleMultiplied: (name, id, points, lines) => `${name} (${id}): +${points}${lines}.`,
  onLines: (lines) => ` on ${lines}`,
  notAppliedHeader: 'Rules that did not apply:',
  ruleNotApplied: (name, id, why) => `${name} (${id}): ${why}.`,
  reasons: {
    'not-valid-yet': 'not valid yet',
    expired: 'no longer valid',
    'condition-false': 'its condition did not hold for this order',
    'no-matching-line': 'no line of this order matches it',
    'no-eligible-amount': 'no amount of this order counts for it (the lines are excluded)',
    'nothing-to-multiply': 'nothing to multiply: the lines it matches earned no points from other rules',
    'excluded-by-exclusive-rule': 'an exclusive rule with a higher priority applied instead',
    'cap-reached': 'its limit was already reached',
    'budget-exhausted': 'the campaign budget is used up',
  },
  startsAt: (date) => `it starts on ${date}`,
  endedAt: (date) => `it ended on ${date}`,
  capUsed: (used, limit) => `used ${used} of ${limit} times in this period`,
  capReduced: (uncapped, points) => `capped from ${uncapped} to ${points}`,
  lineExcluded: (sku) => `${sku} earns no points (excluded by the rules).`,
  arithmetic: (subtotal, m, tier, exact) => `Before the tier: ${subtotal}; × ${m} for ${tier} = ${exact}.`,
  arithmeticNoTier: (subtotal) => `Total before rounding: ${subtotal}.`,
  rounded: (mode, points) => `Rounded ${mode} once for the whole order: ${points}.`,
  roundingModes: { floor: 'down', ceil: 'up', 'half-up': 'to the nearest whole point (halves up)', 'half-even': 'to the nearest whole point (halves to even)' },
  maxPerOrder: (limit, uncapped) => `The program gives at most ${limit} per order (${uncapped} before this cap).`,
  tierRaised: (tier) => `This order lifts the customer to ${tier}; their next order earns with it.`,
  tierLowered: (tier) => `After this order the customer holds ${tier}.`,
  availability: (from, until) => `The points can be used from ${from} and expire on ${until}.`,
  availabilityNoExpiry: (from) => `The points can be used from ${from} and do not expire.`,
  pointsWord: (points) => (points === '1' ? '1 point' : `${points} points`),
};

const id: ExplanationWords = {
  locale: 'id-ID',
  thousands: '.',
  decimal: ',',
  headline: (orderId, date, points) => `Pesanan ${orderId} pada ${date} mendapat ${points}.`,
  noPoints: (orderId, date) => `Pesanan ${orderId} pada ${date} tidak mendapat poin.`,
  tierBefore: (tier, m) => `Tingkat sebelum pesanan ini: ${tier} (poin × ${m}).`,
  noTierBefore: 'Pelanggan belum memiliki tingkat sebelum pesanan ini.',
  earnedHeader: 'Asal poin:',
  ruleEarned: (name, ruleId, points, lines) => `${name} (${ruleId}): ${points}${lines}.`,
  ruleMultiplied: (name, ruleId, points, lines) => `${name} (${ruleId}): +${points}${lines}.`,
  onLines: (lines) => ` untuk ${lines}`,
  notAppliedHeader: 'Aturan yang tidak berlaku:',
  ruleNotApplied: (name, ruleId, why) => `${name} (${ruleId}): ${why}.`,
  reasons: {
    'not-valid-yet': 'belum berlaku',
    expired: 'sudah tidak berlaku',
    'condition-false': 'syaratnya tidak terpenuhi oleh pesanan ini',
    'no-matching-line': 'tidak ada barang di pesanan ini yang sesuai',
    'no-eligible-amount': 'tidak ada nilai belanja pesanan ini yang dihitung (barangnya dikecualikan)',
    'nothing-to-multiply': 'tidak ada yang dilipatgandakan: barang yang sesuai tidak mendapat poin dari aturan lain',
    'excluded-by-exclusive-rule': 'aturan eksklusif dengan prioritas lebih tinggi sudah berlaku',
    'cap-reached': 'batasnya sudah tercapai',
    'budget-exhausted': 'anggaran kampanye sudah habis',
  },
  startsAt: (date) => `mulai berlaku ${date}`,
  endedAt: (date) => `berakhir ${date}`,
  capUsed: (used, limit) => `sudah dipakai ${used} dari ${limit} kali pada periode ini`,
  capReduced: (uncapped, points) => `dibatasi dari ${uncapped} menjadi ${points}`,
  lineExcluded: (sku) => `${sku} tidak mendapat poin (dikecualikan oleh aturan).`,
  arithmetic: (subtotal, m, tier, exact) => `Sebelum tingkat: ${subtotal}; × ${m} untuk ${tier} = ${exact}.`,
  arithmeticNoTier: (subtotal) => `Jumlah sebelum pembulatan: ${subtotal}.`,
  rounded: (mode, points) => `Dibulatkan ${mode} satu kali untuk seluruh pesanan: ${points}.`,
  roundingModes: { floor: 'ke bawah', ceil: 'ke atas', 'half-up': 'ke poin terdekat (setengah ke atas)', 'half-even': 'ke poin terdekat (setengah ke genap)' },
  maxPerOrder: (limit, uncapped) => `Program memberi paling banyak ${limit} per pesanan (${uncapped} sebelum dibatasi).`,
  tierRaised: (tier) => `Pesanan ini menaikkan pelanggan ke tingkat ${tier}; pesanan berikutnya mendapat poin dengan tingkat itu.`,
  tierLowered: (tier) => `Setelah pesanan ini pelanggan berada di tingkat ${tier}.`,
  availability: (from, until) => `Poin dapat dipakai mulai ${from} dan kedaluwarsa pada ${until}.`,
  availabilityNoExpiry: (from) => `Poin dapat dipakai mulai ${from} dan tidak kedaluwarsa.`,
  pointsWord: (points) => `${points} poin`,
};

/** The words of each language. */
export const WORDS: Readonly<Record<Language, ExplanationWords>> = { en, id };
