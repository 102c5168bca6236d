/**
 * The three catalogs say everything the rules can say. Types do most of the work (a catalog missing a key, a code
 * without a message, a sample missing for a key all fail typecheck); this file checks what types cannot: every
 * message renders a real sentence in every language, and no decision writes a sentence outside the catalogs.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../src/messages/en.js';
import { id } from '../../src/messages/id.js';
import { fil } from '../../src/messages/fil.js';
import type { CodeOf, MessageKey, MessageParams } from '../../src/messages/catalog.js';
import { LANGUAGES } from '../../src/messages/languages.js';
import { CATALOGS, localize, message, renderSentence } from '../../src/messages/render.js';
import { sentence } from '../../src/messages/sentence.js';
import { english, reasonOf, traced } from '../../src/messages/english.js';
import type {
  EventReasonCode,
  GoodwillRefusalCode,
  RedemptionRefusalCode,
  ReferralEnrolmentReasonCode,
  ReferralOrderReasonCode,
  RewardRefusalCode,
  RuleReasonCode,
  VoucherRefusalCode,
  WarrantyClaimReasonCode,
  WarrantyReasonCode,
  YearlyRewardReasonCode,
} from '../../src/index.js';

// Every reason code of every decision has a message: a code missing from the catalogs makes its row required here.
type Covered = CodeOf<MessageKey>;
type Uncovered<C extends string> = Record<Exclude<C, Covered>, never>;
const everyCodeHasAMessage: [
  Uncovered<RedemptionRefusalCode>,
  Uncovered<WarrantyReasonCode>,
  Uncovered<WarrantyClaimReasonCode>,
  Uncovered<GoodwillRefusalCode>,
  Uncovered<RewardRefusalCode>,
  Uncovered<VoucherRefusalCode>,
  Uncovered<ReferralEnrolmentReasonCode>,
  Uncovered<ReferralOrderReasonCode>,
  Uncovered<YearlyRewardReasonCode>,
  Record<Exclude<`rule-reason.${RuleReasonCode}`, MessageKey>, never>,
  Record<Exclude<Exclude<EventReasonCode, 'no-event-rule' | 'limit-reached'>, RuleReasonCode>, never>,
] = [{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}];

const period = { months: 1 };
/** One set of parameters per message: a key without a sample fails typecheck. */
const SAMPLES: { readonly [K in MessageKey]: MessageParams<K> } = {
  'rule.before-valid-from': {},
  'rule.before-valid-from-early-access': {},
  'rule.after-valid-until': {},
  'rule.exclusive-applied': { ruleId: 'vip-only' },
  'rule.no-line-counts': {},
  'rule.nothing-to-multiply': {},
  'rule.no-lines': {},
  'rule.line-exclusive-applied': { line: 2, ruleId: 'vip-only' },
  'rule.line-filtered': { line: 1, sku: 'SHIP' },
  'rule.line-condition': { line: 0, sku: 'TV-55', condition: 'line.category equals "tv" was false (line.category is "phone")' },
  'rule.line-nothing-to-multiply': { line: 0, sku: 'TV-55' },
  'rule.cap-reached': { used: 1, period, limit: 1 },
  'rule.budget-used-up': { budget: 50000 },
  'condition.none': {},
  'condition.not-held': {},
  'condition.none-held': { parts: ['a was false', 'b was false'] },
  'condition.all-held': {},
  'condition.false': { fact: 'order.total', op: 'gte', operands: '"5000000"', actual: '"1000000"' },
  'event.before-valid-from': {},
  'event.after-valid-until': {},
  'event.limit-reached': { used: 5, period: null, limit: 5 },
  'event.no-rule': { type: 'review.published' },
  'return.return-window-ended': { end: '2026-03-08T03:00:00.000Z', days: 30, from: 'delivery' },
  'return.recomputed': { orderId: 'o-1', placedAt: '2026-02-01T03:00:00.000Z', programId: 'toko', version: '3', tier: null },
  'return.earns-before': { points: 1425, awarded: 1425 },
  'return.recomputation-differs': { points: 1400, awarded: 1425 },
  'return.nothing-left': {},
  'return.earns-after': { points: 200 },
  'return.clawback': { awarded: 1425, after: 200, clawback: 1225 },
  'return.cap-counter': { key: 'earn:big-basket:2026-02', count: -1 },
  'return.referral-reversed': { availableAt: '2026-02-15T03:00:00.000Z' },
  'return.referral-stands': { availableAt: '2026-02-15T03:00:00.000Z' },
  'redemption.redemption-disabled': { programId: 'toko' },
  'redemption.not-positive': { points: 0 },
  'redemption.below-minimum': { minPoints: 100, points: 50 },
  'redemption.insufficient-points': { spendable: 1200, available: 1200, balance: 1425, points: 1500 },
  'redemption.exceeds-order-share': { discount: '150000', percent: '50', maxDiscount: '50000' },
  'redemption.negative-balance': { balance: -300 },
  'redemption.asked': { points: 1500, total: '100000', at: '2026-03-01T10:00:00.000+07:00' },
  'redemption.discount': { points: 1500, pointValue: '100', discount: '150000' },
  'redemption.at-most': { maxPoints: 500, spendable: 1200, minPoints: 100 },
  'redemption.at-most-share': { maxPoints: 500, spendable: 1200, maxDiscount: '50000', pointValue: '100', minPoints: 100 },
  'redemption.refused': { reason: 'the balance is -300' },
  'redemption.accepted': {},
  'warranty.category-not-covered': { category: 'phone', covered: ['tv', 'laptop'] },
  'warranty.sku-not-covered': { sku: 'PH-9', covered: ['TV-55'] },
  'warranty.price-above-maximum': { price: '90000000', max: '50000000' },
  'warranty.price-below-minimum': { price: '500000', min: '1000000' },
  'warranty.purchase-in-future': { checkedOn: '2026-12-01', purchasedOn: '2026-12-10' },
  'warranty.purchase-window-ended': { lastDay: '2027-01-09', rule: { days: 30 }, checkedOn: '2027-02-01' },
  'warranty.product-too-old': { maxDays: 30, purchasedOn: '2026-12-10', checkedOn: '2027-02-01' },
  'warranty.product-covered': { sku: 'TV-55', category: 'tv' },
  'warranty.within-window': { checkedOn: '2027-01-15', lastDay: '2027-12-10' },
  'warranty.not-offered': { reason: 'category "phone" is not covered' },
  'warranty.list-price': { min: '250000', percent: '8', productPrice: '8000000', fixed: null, listPrice: '640000' },
  'warranty.tier-price': { tier: 'gold', percentOff: '20', extraMonths: 6, price: '512000' },
  'warranty.component-excluded': { component: 'remote', end: '2027-06-10' },
  'warranty.component-cover': { component: 'unit', manufacturerEnd: '2027-12-10', planStart: '2027-12-10', end: '2030-06-10' },
  'warranty-claim.before-cover-starts': { claimedOn: '2026-12-01', purchasedOn: '2026-12-10' },
  'warranty-claim.component-excluded': { planId: 'care-2y', component: 'remote', manufacturerEnd: '2027-12-10' },
  'warranty-claim.cover-ended': { component: 'remote', end: '2027-12-10', claimedOn: '2028-03-01' },
  'warranty-claim.contract-cancelled': { cancelledOn: '2027-01-05' },
  'warranty-claim.transferred-away': {},
  'warranty-claim.not-owner': {},
  'warranty-claim.cover-of-excluded': { component: 'remote', purchasedOn: '2026-12-10', manufacturerEnd: '2027-12-10', planId: 'care-2y' },
  'warranty-claim.cover-of': { component: 'screen', purchasedOn: '2026-12-10', manufacturerEnd: '2027-12-10', planId: 'care-2y', planStart: '2027-12-10', planEnd: '2029-12-10' },
  'warranty-claim.not-covered': { reason: 'the claimant does not hold the contract' },
  'warranty-claim.covered-by-plan': { claimedOn: '2028-03-01', planId: 'care-2y', until: '2029-12-10' },
  'warranty-claim.covered-by-manufacturer': { claimedOn: '2027-03-01', until: '2027-12-10' },
  'warranty-refund.plan-span': { planId: 'care-2y', start: '2027-12-10', end: '2029-12-10', planDays: 731, unusedDays: 557, cancelledOn: '2028-06-01' },
  'warranty-refund.in-full': { refund: '400000' },
  'warranty-refund.in-full-no-days': { refund: '400000' },
  'warranty-refund.pro-rata': { price: '400000', unusedDays: 557, planDays: 731, refund: '304787.96' },
  'warranty-transfer.contract-cancelled': { cancelledOn: '2027-01-05', returnId: 'r-1' },
  'warranty-transfer.transfer-not-allowed': { planId: 'care-2y' },
  'warranty-transfer.transfer-limit-reached': { planId: 'care-2y', maxTransfers: 1, used: 1 },
  'warranty-transfer.contract-ended': { endsOn: '2029-12-10', transferDay: '2030-01-02' },
  'warranty-transfer.same-owner': { customerId: 'ayu' },
  'goodwill.override-not-allowed': {},
  'goodwill.goodwill-not-offered': {},
  'goodwill.unknown-reason': { reason: 'rain', known: ['late-delivery', 'cancelled-by-shop'] },
  'goodwill.worth-points': { points: 800 },
  'goodwill.worth-reward': { rewardId: 'tote', worth: 1500 },
  'goodwill.over-reason-maximum': { what: '800 points', max: 500, reason: 'late-delivery' },
  'goodwill.customer-limit-reached': { used: 2, period, limit: 2 },
  'goodwill.budget-exhausted': { budget: 100000, period, left: 300, worth: 500 },
  'reward.unknown-reward': { rewardId: 'yacht', known: ['tote', 'voucher-50k'] },
  'reward.not-yet-valid': { rewardId: 'tote', from: '2026-04-01T00:00:00+07:00' },
  'reward.no-longer-valid': { rewardId: 'tote', until: '2026-04-01T00:00:00+07:00' },
  'reward.out-of-stock': { rewardId: 'tote' },
  'reward.tier-not-allowed': { rewardId: 'lounge', tiers: ['gold'], tier: 'silver' },
  'reward.limit-reached': { rewardId: 'tote', used: 1, period, limit: 1 },
  'reward.negative-balance': { debt: 300 },
  'reward.insufficient-points': { rewardId: 'tote', cost: 1500, available: 1200 },
  'voucher.voucher-unknown': { code: 'K7QM-2XPA' },
  'voucher.voucher-unknown#tenant': { code: 'K7QM-2XPA' },
  'voucher.voucher-other-customer': { code: 'K7QM-2XPA', customerId: 'budi' },
  'voucher.voucher-used': { code: 'K7QM-2XPA', orderId: 'o-7', at: '2026-04-01T03:00:00.000Z' },
  'voucher.voucher-expired': { code: 'K7QM-2XPA', expiresAt: '2026-05-01T03:00:00.000Z' },
  'referral.referral-disabled': { programId: 'toko' },
  'referral.self-referral': { signals: ['email-hash', 'phone-hash'] },
  'referral.unknown-code': { code: 'AYU-9' },
  'referral.referee-already-ordered': { refereeId: 'budi' },
  'referral.enrols': { refereeId: 'budi', code: 'AYU-1' },
  'referral.code-belongs': { referrerId: 'ayu' },
  'referral.rejected': { reason: 'no customer has the referral code "AYU-9"' },
  'referral.pending': {},
  'referral-order.unknown-code': { refereeId: 'budi' },
  'referral-order.not-first-order': { orderId: 'o-9', refereeId: 'budi' },
  'referral-order.below-minimum-total': { total: '150000', min: '200000' },
  'referral-order.order-before-enrolment': { refereeId: 'budi', enrolledAt: '2026-03-01T10:00:00.000+07:00' },
  'referral-order.enrolment-window-ended#no-date': { refereeId: 'budi', withinDays: 30 },
  'referral-order.enrolment-window-ended': { days: 45, withinDays: 30 },
  'referral-order.referrer-limit-reached': { referrerId: 'ayu', used: 5, key: 'referral:2026-03', limit: 5 },
  'referral-order.order': { orderId: 'o-9', total: '1500000', currency: 'IDR', refereeId: 'budi', placedAt: '2026-03-05T10:00:00.000+07:00' },
  'referral-order.days-after-enrolment': { days: 4, withinDays: 30 },
  'referral-order.referrer-usage': { referrerId: 'ayu', used: 2, limit: 5, key: 'referral:2026-03' },
  'referral-order.does-not-qualify': { reason: 'order o-9 is not budi\'s first order' },
  'referral-order.qualifies': { referrerId: 'ayu', referrerPoints: 500, refereeId: 'budi', refereePoints: 250 },
  'yearly.program-has-no-reward': { kind: 'anniversary' },
  'yearly.no-date': { kind: 'birthday' },
  'yearly.outside-window#first-year': { kind: 'anniversary', firstYear: 2026 },
  'yearly.outside-window': { date: '2026-05-01', window: 'month', kind: 'birthday', occasion: '2026-03-14', start: '2026-03-01', end: '2026-03-31' },
  'yearly.not-yet-member': { enrolledAt: '2026-04-01T00:00:00.000+07:00', at: '2026-03-14T00:05:00.000+07:00' },
  'yearly.membership-too-short#unknown': { minDays: 30 },
  'yearly.membership-too-short': { days: 12, minDays: 30 },
  'yearly.already-granted': { year: 2026, kind: 'birthday' },
  'yearly.zero-award': { tier: null },
  'yearly.checked': { kind: 'birthday', at: '2026-03-01T00:05:00.000+07:00', zone: 'Asia/Jakarta' },
  'yearly.inside-window': { window: 'week', year: 2026, kind: 'birthday', occasion: '2026-03-14', start: '2026-03-09T00:00:00.000+07:00', end: '2026-03-16T00:00:00.000+07:00' },
  'yearly.member-days': { days: 55, minDays: 30 },
  'yearly.award-default': { points: 200, tier: 'silver' },
  'yearly.award-tier': { points: 500, tier: 'gold' },
  'yearly.not-due': { reason: 'the customer has no birth date' },
  'yearly.due': { points: 500, key: 'birthday:2026' },
  'perk.below-min-order-total': { total: '150000', min: '200000', short: '50000', currency: 'IDR' },
  'perk.no-shipping-lines': {},
  'perk.no-matching-lines': {},
  'delivery.order-cancelled': { orderId: 'o-1', cancellationId: 'c-1' },
  'cancellation.order-delivered': { orderId: 'o-1', deliveryId: 'd-1', at: '2026-02-06T03:00:00.000Z' },
  'cancellation.order-cancelled': { orderId: 'o-1', cancellationId: 'c-1' },
  'case.case-closed': { caseId: 'c-1', from: 'closed' },
  'case.transition-not-allowed#same': { caseId: 'c-1', to: 'open' },
  'case.transition-not-allowed': { caseId: 'c-1', from: 'open', to: 'closed', allowed: ['in-progress', 'resolved'] },
  'explain.headline': { orderId: 'o-1001', date: '1 February 2026, 10:00 (Asia/Jakarta)', points: '1,425 points' },
  'explain.no-points': { orderId: 'o-1001', date: '1 February 2026, 10:00 (Asia/Jakarta)' },
  'explain.tier-before': { tier: 'Silver', multiplier: '1.25' },
  'explain.no-tier-before': {},
  'explain.earned-header': {},
  'explain.rule-earned': { name: 'Base', ruleId: 'base', points: '1,225 points', lines: ' on LP-14' },
  'explain.rule-multiplied': { name: 'TV double', ruleId: 'tv-double', points: '800 points', lines: ' on TV-55' },
  'explain.on-lines': { lines: 'LP-14, MS-01' },
  'explain.not-applied-header': {},
  'explain.rule-not-applied': { name: 'TV double', ruleId: 'tv-double', why: 'not valid yet' },
  'explain.starts-at': { date: '1 December 2026' },
  'explain.ended-at': { date: '1 January 2027' },
  'explain.cap-used': { used: '1', limit: '1' },
  'explain.cap-reduced': { uncapped: '900', points: '500' },
  'explain.line-excluded': { sku: 'SHIP' },
  'explain.arithmetic': { subtotal: '900 points', multiplier: '1.25', tier: 'Silver', exact: '1,125 points' },
  'explain.arithmetic-no-tier': { subtotal: '900 points' },
  'explain.rounded': { mode: 'half-even', points: '1,125 points' },
  'explain.max-per-order': { limit: '5,000 points', uncapped: '6,000 points' },
  'explain.tier-raised': { tier: 'Gold' },
  'explain.tier-lowered': { tier: 'Bronze' },
  'explain.availability': { from: '15 February 2026', until: '15 February 2027' },
  'explain.availability-no-expiry': { from: '15 February 2026' },
  'explain.points': { points: '1' },
  'rule-reason.not-valid-yet': {},
  'rule-reason.expired': {},
  'rule-reason.condition-false': {},
  'rule-reason.no-matching-line': {},
  'rule-reason.no-eligible-amount': {},
  'rule-reason.nothing-to-multiply': {},
  'rule-reason.excluded-by-exclusive-rule': {},
  'rule-reason.cap-reached': {},
  'rule-reason.budget-exhausted': {},
};

const KEYS = Object.keys(en).sort() as MessageKey[];

describe('messages: the catalogs', () => {
  it('has every reason code of every decision (checked by the types above)', () => {
    expect(everyCodeHasAMessage).to.have.length(11);
  });

  it('gives every language the same keys as English', () => {
    expect(Object.keys(id).sort()).to.deep.equal(KEYS);
    expect(Object.keys(fil).sort()).to.deep.equal(KEYS);
    expect(Object.keys(CATALOGS).sort()).to.deep.equal([...LANGUAGES].sort());
    expect(Object.keys(SAMPLES).sort()).to.deep.equal(KEYS);
  });

  for (const language of LANGUAGES) {
    it(`renders every message in ${language} as a whole sentence (no undefined, no placeholder left)`, () => {
      for (const key of KEYS) {
        const text = renderSentence({ key, params: SAMPLES[key] }, language);
        expect(text, key).to.be.a('string').and.not.equal('');
        expect(text, `${language} ${key}: ${text}`).not.to.match(/undefined|NaN|null|\[object|\$\{|[{}]/);
      }
    });
  }

  it('translates: an Indonesian or Filipino message differs from the English one, but for names and numbers alone', () => {
    // Messages made only of the values they mention read the same in every language.
    const same = new Set<MessageKey>(['rule.line-condition', 'explain.rule-earned', 'explain.rule-multiplied', 'explain.rule-not-applied', 'warranty.tier-price', 'return.cap-counter', 'goodwill.worth-points']);
    for (const key of KEYS.filter((k) => !same.has(k))) {
      const english = renderSentence({ key, params: SAMPLES[key] }, 'en');
      expect(renderSentence({ key, params: SAMPLES[key] }, 'id'), key).not.to.equal(english);
      expect(renderSentence({ key, params: SAMPLES[key] }, 'fil'), key).not.to.equal(english);
    }
  });
});

describe('messages: the renderer', () => {
  it('writes numbers the way each language groups them', () => {
    const params = { spendable: 1200, available: 1200, balance: 1425, points: 1500 };
    expect(message('redemption.insufficient-points', params)).to.equal('only 1200 points can be spent (available 1200, balance 1425), 1500 were asked for');
    expect(message('redemption.insufficient-points', params, 'id')).to.equal('hanya 1.200 poin yang dapat dipakai (tersedia 1.200, saldo 1.425), yang diminta 1.500');
    expect(message('redemption.insufficient-points', params, 'fil')).to.equal('1,200 points lang ang magagamit (available 1,200, balanse 1,425), 1,500 ang hiniling');
    expect(message('warranty-refund.pro-rata', { price: '400000', unusedDays: 557, planDays: 731, refund: '304787.96' }, 'id')).to.equal(
      'pengembalian dana prorata: 400.000 × 557/731 = 304.787,96 (dibulatkan ke bawah ke sen)',
    );
  });

  it('renders nested sentences in the same language', () => {
    const refusal = reasonOf('redemption.below-minimum', { minPoints: 100, points: 50 });
    const line = sentence('redemption.refused', { reason: refusal.messageSentence });
    expect(english(line)).to.equal('refused: at least 100 points must be redeemed at once, got 50');
    expect(renderSentence(line, 'id')).to.equal('ditolak: minimal 100 poin harus ditukarkan sekaligus, yang diminta 50');
    expect(renderSentence(line, 'fil')).to.equal('tinanggihan: hindi bababa sa 100 points ang dapat i-redeem nang sabay, 50 ang hiniling');
  });

  it('keeps the reason code as the part of the key after the dot, before any variant', () => {
    expect(reasonOf('referral-order.enrolment-window-ended#no-date', { refereeId: 'budi', withinDays: 30 }).code).to.equal('enrolment-window-ended');
    expect(reasonOf('warranty-claim.not-owner').code).to.equal('not-owner');
  });

  it('falls back to English for a language it does not have', () => {
    expect(message('redemption.accepted', {}, 'fr' as never)).to.equal('accepted');
  });

  it('localizes an answer: every x beside xSentence and every list beside xSentences, nothing else', () => {
    const refusal = reasonOf('reward.out-of-stock', { rewardId: 'tote' });
    const answer = { accepted: false, note: 'kept', reasons: [refusal], ...traced([sentence('redemption.accepted')]), nested: { detail: 'x', detailSentence: sentence('rule.no-lines') } };
    const inIndonesian = localize(answer, 'id');
    expect(inIndonesian.reasons[0]?.message).to.equal('stok hadiah "tote" habis');
    expect(inIndonesian.reasons[0]?.code).to.equal('out-of-stock');
    expect(inIndonesian.trace).to.deep.equal(['diterima']);
    expect(inIndonesian.nested.detail).to.equal('pesanan tidak memiliki baris');
    expect(inIndonesian.note).to.equal('kept');
    expect(answer.reasons[0]?.message).to.equal('reward "tote" is out of stock');
    expect(localize(answer, 'en')).to.equal(answer);
  });
});

// A decision that writes its sentence inline cannot be translated: every reason and trace line goes through
// reasonOf / sentence. Program validation and bad-input errors (InputError) are for program authors, not decisions.
const INLINE = [/reasons\.push\(\{/, /\brefuse\('[a-z]/, /\bno\('[a-z]/, /trace\.push\([`']/, /\bdetail: [`']/, /reason: \{ code: '/, /trace: \[[`']/, /message: `[^`]*`, windowEndedAt/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('messages: no decision writes its own sentence', () => {
  it('finds no inline reason or trace sentence in the rules or the ledger', () => {
    const roots = [new URL('../../src', import.meta.url), new URL('../../../ledger/src', import.meta.url)];
    const offenders: string[] = [];
    for (const root of roots) {
      for (const file of sourceFiles(root.pathname)) {
        if (file.includes('/messages/')) continue;
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/^\s*(\*|\/\/)/.test(line)) return;
            if (INLINE.some((pattern) => pattern.test(line))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offenders).to.deep.equal([]);
  });
});
