/**
 * English: the catalog every other language follows. Its keys are the message keys, its parameters the values each
 * message mentions; {@link MessageCatalog} makes the other catalogs take the same keys and parameters, so a message
 * forgotten in one language fails to compile. Numbers stay as the rules computed them (no grouping), as the English
 * answers always had them.
 */
import { describePeriod } from '../engine/period-key.js';
import type { Period } from '../program/primitives.js';
import { enQuote } from './en-quote.js';
import type { RoundingMode } from '../money/money.js';

type Id = string;
type Text = string;
type Count = number;
/** A decimal amount as the rules write it ("250000.5"). */
type Amount = string;
/** An ISO date or instant. */
type When = string;
/** Why a plan's purchase window ends: `manufacturer` (with its months) or `days` after purchase. */
type WindowRule = { readonly months: Count } | { readonly days: Count };
/** A same-person signal between a referee and a referrer. */
export type SamePersonSignal = 'customer-id' | 'email-hash' | 'phone-hash';
/** A yearly occasion. */
export type YearlyKind = 'birthday' | 'anniversary';

const ROUNDING: Readonly<Record<RoundingMode, string>> = { floor: 'down', ceil: 'up', 'half-up': 'to the nearest whole point (halves up)', 'half-even': 'to the nearest whole point (halves to even)' };
const SIGNALS: Readonly<Record<SamePersonSignal, string>> = { 'customer-id': 'the same customer id', 'email-hash': 'the same e-mail hash', 'phone-hash': 'the same phone hash' };
const quoted = (ids: readonly string[]): string => ids.map((id) => `"${id}"`).join(', ');
const plural = (n: number, word: string): string => `${word}${n === 1 ? '' : 's'}`;
const windowRule = (rule: WindowRule): string => ('months' in rule ? `the last day of the ${rule.months}-month manufacturer warranty` : `${rule.days} days after purchase`);

export const en = {
  ...enQuote,
  // Why an event rule gave nothing.
  'event.before-valid-from': () => 'the event happened before valid.from',
  'event.after-valid-until': () => 'the event happened after valid.until',
  'event.limit-reached': (p: { used: Count; period: Period | null; limit: Count }) => `already ${p.used} this ${describePeriod(p.period ?? undefined)} (limit ${p.limit})`,
  'event.no-rule': (p: { type: Id }) => `the program has no event rule for "${p.type}"`,
  // Returns.
  'return.return-window-ended': (p: { end: When; days: Count; from: 'delivery' | 'purchase' }) => `the return window ended ${p.end}, ${p.days} days after its ${p.from}`,
  'return.recomputed': (p: { orderId: Id; placedAt: When; programId: Id; version: Text; tier: Id | null }) =>
    `order ${p.orderId}, placed ${p.placedAt}, recomputed with program "${p.programId}" v${p.version}, tier ${p.tier ?? '(none)'} and the counters it read`,
  'return.earns-before': (p: { points: Count; awarded: Count }) => `before this return it earns ${p.points} (awarded so far: ${p.awarded})`,
  'return.recomputation-differs': (p: { points: Count; awarded: Count }) => `note: the recomputation (${p.points}) differs from what was awarded so far; the clawback is measured from ${p.awarded}`,
  'return.nothing-left': () => 'nothing is left of the order: it earns 0',
  'return.earns-after': (p: { points: Count }) => `without the returned items it earns ${p.points}`,
  'return.clawback': (p: { awarded: Count; after: Count; clawback: Count }) => `clawback ${p.awarded} - ${p.after} = ${p.clawback}`,
  'return.cap-counter': (p: { key: Id; count: Count }) => `cap counter ${p.key}: ${p.count > 0 ? '+' : ''}${p.count}`,
  'return.referral-reversed': (p: { availableAt: When }) => `returned in full before its points became available (${p.availableAt}): a referral it qualified is reversed`,
  'return.referral-stands': (p: { availableAt: When }) => `returned in full after its points became available (${p.availableAt}): a referral it qualified stands`,
  // Redemptions of points at checkout.
  'redemption.redemption-disabled': (p: { programId: Id }) => `program "${p.programId}" does not allow redeeming points`,
  'redemption.not-positive': (p: { points: Count }) => `the points to redeem must be 1 or more, got ${p.points}`,
  'redemption.below-minimum': (p: { minPoints: Count; points: Count }) => `at least ${p.minPoints} points must be redeemed at once, got ${p.points}`,
  'redemption.insufficient-points': (p: { spendable: Count; available: Count; balance: Count; points: Count }) =>
    `only ${p.spendable} points can be spent (available ${p.available}, balance ${p.balance}), ${p.points} were asked for`,
  'redemption.exceeds-order-share': (p: { discount: Amount; percent: Amount; maxDiscount: Amount }) => `the discount ${p.discount} is more than ${p.percent}% of the order total (${p.maxDiscount})`,
  'redemption.negative-balance': (p: { balance: Count }) => `the balance is ${p.balance}: returned points are still owed, so nothing can be redeemed`,
  'redemption.asked': (p: { points: Count; total: Amount; at: When }) => `redemption of ${p.points} points on an order of ${p.total} at ${p.at}`,
  'redemption.discount': (p: { points: Count; pointValue: Amount; discount: Amount }) => `discount = ${p.points} x ${p.pointValue} = ${p.discount}`,
  'redemption.at-most': (p: { maxPoints: Count; spendable: Count; minPoints: Count }) => `at most ${p.maxPoints} points for this order (spendable ${p.spendable}, minimum ${p.minPoints})`,
  'redemption.at-most-share': (p: { maxPoints: Count; spendable: Count; maxDiscount: Amount; pointValue: Amount; minPoints: Count }) =>
    `at most ${p.maxPoints} points for this order (spendable ${p.spendable}, share ${p.maxDiscount} / ${p.pointValue}, minimum ${p.minPoints})`,
  'redemption.refused': (p: { reason: Text }) => `refused: ${p.reason}`,
  'redemption.accepted': () => 'accepted',
  // Extended-warranty plans offered for a product.
  'warranty.category-not-covered': (p: { category: Id; covered: readonly Id[] }) => `category "${p.category}" is not covered (covered: ${p.covered.join(', ')})`,
  'warranty.sku-not-covered': (p: { sku: Id; covered: readonly Id[] }) => `sku "${p.sku}" is not covered (covered: ${p.covered.join(', ')})`,
  'warranty.price-above-maximum': (p: { price: Amount; max: Amount }) => `product price ${p.price} is above the plan's maximum ${p.max}`,
  'warranty.price-below-minimum': (p: { price: Amount; min: Amount }) => `product price ${p.price} is below the plan's minimum ${p.min}`,
  'warranty.purchase-in-future': (p: { checkedOn: When; purchasedOn: When }) => `the check date ${p.checkedOn} is before the purchase date ${p.purchasedOn}`,
  'warranty.purchase-window-ended': (p: { lastDay: When; rule: WindowRule; checkedOn: When }) => `the plan could be bought until ${p.lastDay} (${windowRule(p.rule)}); checked on ${p.checkedOn}`,
  'warranty.product-too-old': (p: { maxDays: Count; purchasedOn: When; checkedOn: When }) => `the product is older than ${p.maxDays} days (bought ${p.purchasedOn}, checked ${p.checkedOn})`,
  'warranty.product-covered': (p: { sku: Id; category: Id }) => `product ${p.sku} (${p.category}) is covered by the plan`,
  'warranty.within-window': (p: { checkedOn: When; lastDay: When }) => `checked on ${p.checkedOn}, within the purchase window ending ${p.lastDay}`,
  'warranty.not-offered': (p: { reason: Text }) => `not offered: ${p.reason}`,
  'warranty.list-price': (p: { min: Amount; percent: Amount; productPrice: Amount; fixed: Amount | null; listPrice: Amount }) =>
    `price: max(min ${p.min}, ${p.percent}% of ${p.productPrice}${p.fixed !== null ? `, fixed ${p.fixed}` : ''}) = ${p.listPrice}`,
  'warranty.tier-price': (p: { tier: Id | null; percentOff: Amount; extraMonths: Count; price: Amount }) => `tier ${p.tier ?? '(none)'}: ${p.percentOff}% off, ${p.extraMonths} extra months -> ${p.price}`,
  'warranty.component-excluded': (p: { component: Id; end: When }) => `${p.component}: excluded by the plan, keeps the manufacturer's term to ${p.end}`,
  'warranty.component-cover': (p: { component: Id; manufacturerEnd: When; planStart: When; end: When }) => `${p.component}: manufacturer to ${p.manufacturerEnd}, plan from ${p.planStart} to ${p.end}`,
  // Warranty claims.
  'warranty-claim.before-cover-starts': (p: { claimedOn: When; purchasedOn: When }) => `the claim date ${p.claimedOn} is before the purchase date ${p.purchasedOn}, when cover starts`,
  'warranty-claim.component-excluded': (p: { planId: Id; component: Id; manufacturerEnd: When }) => `plan "${p.planId}" excludes the ${p.component}; its manufacturer cover ended on ${p.manufacturerEnd}`,
  'warranty-claim.cover-ended': (p: { component: Id; end: When; claimedOn: When }) => `the ${p.component}'s cover ended on ${p.end}; the claim is dated ${p.claimedOn}`,
  'warranty-claim.contract-cancelled': (p: { cancelledOn: When }) => `the contract was cancelled on ${p.cancelledOn} (its product was returned)`,
  'warranty-claim.transferred-away': () => 'the contract was transferred to another customer before the claim',
  'warranty-claim.not-owner': () => 'the claimant does not hold the contract',
  'warranty-claim.cover-of-excluded': (p: { component: Id; purchasedOn: When; manufacturerEnd: When; planId: Id }) =>
    `${p.component}: manufacturer from ${p.purchasedOn} to ${p.manufacturerEnd}; excluded by plan "${p.planId}"`,
  'warranty-claim.cover-of': (p: { component: Id; purchasedOn: When; manufacturerEnd: When; planId: Id; planStart: When | null; planEnd: When | null }) =>
    `${p.component}: manufacturer from ${p.purchasedOn} to ${p.manufacturerEnd}, plan "${p.planId}" from ${p.planStart ?? '?'} to ${p.planEnd ?? '?'}`,
  'warranty-claim.not-covered': (p: { reason: Text }) => `not covered: ${p.reason}`,
  'warranty-claim.covered-by-plan': (p: { claimedOn: When; planId: Id; until: When }) => `claimed on ${p.claimedOn}: covered by the plan "${p.planId}" until ${p.until}`,
  'warranty-claim.covered-by-manufacturer': (p: { claimedOn: When; until: When }) => `claimed on ${p.claimedOn}: covered by the manufacturer until ${p.until}`,
  // Refund of a cancelled warranty contract.
  'warranty-refund.plan-span': (p: { planId: Id; start: When; end: When; planDays: Count; unusedDays: Count; cancelledOn: When }) =>
    `plan "${p.planId}" covers the unit from ${p.start} to ${p.end} (${p.planDays} days), ${p.unusedDays} left on ${p.cancelledOn}`,
  'warranty-refund.in-full': (p: { refund: Amount }) => `refund in full: ${p.refund}`,
  'warranty-refund.in-full-no-days': (p: { refund: Amount }) => `refund in full (the plan covers no days): ${p.refund}`,
  'warranty-refund.pro-rata': (p: { price: Amount; unusedDays: Count; planDays: Count; refund: Amount }) => `refund pro rata: ${p.price} × ${p.unusedDays}/${p.planDays} = ${p.refund} (rounded down to the cent)`,
  // Transfers of a warranty contract to another customer.
  'warranty-transfer.contract-cancelled': (p: { cancelledOn: When; returnId: Id }) => `the contract was cancelled on ${p.cancelledOn}: its product came back with return "${p.returnId}"`,
  'warranty-transfer.transfer-not-allowed': (p: { planId: Id }) => `plan "${p.planId}" does not allow transfers`,
  'warranty-transfer.transfer-limit-reached': (p: { planId: Id; maxTransfers: Count; used: Count }) => `plan "${p.planId}" allows ${p.maxTransfers} transfer(s), and ${p.used} was made`,
  'warranty-transfer.contract-ended': (p: { endsOn: When; transferDay: When }) => `the cover ended on ${p.endsOn}; the transfer is dated ${p.transferDay}`,
  'warranty-transfer.same-owner': (p: { customerId: Id }) => `customer "${p.customerId}" already owns the contract`,
  // Goodwill gestures.
  'goodwill.override-not-allowed': () => 'only an admin key may override a goodwill reason\'s maximum; send the request without "override" or with an admin key',
  'goodwill.goodwill-not-offered': () => 'the program has no goodwill section, so no goodwill can be granted',
  'goodwill.unknown-reason': (p: { reason: Id; known: readonly Id[] }) => `"${p.reason}" is not a goodwill reason of the program (reasons: ${quoted(p.known)})`,
  'goodwill.worth-points': (p: { points: Count }) => `${p.points} points`,
  'goodwill.worth-reward': (p: { rewardId: Id; worth: Count }) => `reward "${p.rewardId}" (worth ${p.worth} points)`,
  'goodwill.over-reason-maximum': (p: { what: Text; max: Count; reason: Id }) =>
    `${p.what} is more than the ${p.max} points "${p.reason}" allows per grant; only an admin key sending "override" with a reason can grant more`,
  'goodwill.customer-limit-reached': (p: { used: Count; period: Period | null; limit: Count }) => `the customer already had ${p.used} goodwill ${plural(p.used, 'grant')} this ${describePeriod(p.period ?? undefined)} (limit ${p.limit})`,
  'goodwill.budget-exhausted': (p: { budget: Count; period: Period | null; left: Count; worth: Count }) =>
    `the goodwill budget of ${p.budget} points this ${describePeriod(p.period ?? undefined)} has ${p.left} ${plural(p.left, 'point')} left, less than the ${p.worth} asked`,
  // Rewards of the catalog and their vouchers.
  'reward.unknown-reward': (p: { rewardId: Id; known: readonly Id[] }) => `"${p.rewardId}" is not a reward of the program (rewards: ${quoted(p.known) || 'none'})`,
  'reward.not-yet-valid': (p: { rewardId: Id; from: When }) => `reward "${p.rewardId}" can be redeemed from ${p.from}`,
  'reward.no-longer-valid': (p: { rewardId: Id; until: When }) => `reward "${p.rewardId}" could be redeemed until ${p.until}`,
  'reward.out-of-stock': (p: { rewardId: Id }) => `reward "${p.rewardId}" is out of stock`,
  'reward.tier-not-allowed': (p: { rewardId: Id; tiers: readonly Id[]; tier: Id | null }) =>
    `reward "${p.rewardId}" is for ${quoted(p.tiers)} members; the customer holds ${p.tier === null ? 'no tier' : `"${p.tier}"`}`,
  'reward.limit-reached': (p: { rewardId: Id; used: Count; period: Period | null; limit: Count }) =>
    `the customer already redeemed "${p.rewardId}" ${p.used} ${plural(p.used, 'time')} this ${describePeriod(p.period ?? undefined)} (limit ${p.limit})`,
  'reward.negative-balance': (p: { debt: Count }) => `the customer owes ${p.debt} points from returns: nothing can be redeemed until they are repaid`,
  'reward.insufficient-points': (p: { rewardId: Id; cost: Count; available: Count }) => `reward "${p.rewardId}" costs ${p.cost} points; ${p.available} are available`,
  'voucher.voucher-unknown': (p: { code: Id }) => `there is no voucher "${p.code}" for this customer`,
  'voucher.voucher-used': (p: { code: Id; orderId: Id; at: When }) => `voucher "${p.code}" was already used on order "${p.orderId}" at ${p.at}`,
  'voucher.voucher-expired': (p: { code: Id; expiresAt: When }) => `voucher "${p.code}" expired at ${p.expiresAt}`,
  'voucher.voucher-unknown#tenant': (p: { code: Id }) => `there is no voucher "${p.code}"`,
  'voucher.voucher-other-customer': (p: { code: Id; customerId: Id }) => `voucher "${p.code}" was not issued to customer "${p.customerId}"`,
  // Referrals: the enrolment with a code, then the referee's first order.
  'referral.referral-disabled': (p: { programId: Id }) => `program "${p.programId}" has no referral program`,
  'referral.self-referral': (p: { signals: readonly SamePersonSignal[] }) => `referee and referrer have ${p.signals.map((s) => SIGNALS[s]).join(' and ')}`,
  'referral.unknown-code': (p: { code: Text }) => `no customer has the referral code ${JSON.stringify(p.code)}`,
  'referral.referee-already-ordered': (p: { refereeId: Id }) => `${p.refereeId} already placed an order, so it is not a new customer`,
  'referral.enrols': (p: { refereeId: Id; code: Text | null }) => `referee ${p.refereeId} enrols with code ${p.code ?? '(none)'}`,
  'referral.code-belongs': (p: { referrerId: Id }) => `code belongs to ${p.referrerId}`,
  'referral.rejected': (p: { reason: Text }) => `rejected: ${p.reason}`,
  'referral.pending': () => 'pending until a qualifying first order',
  'referral-order.unknown-code': (p: { refereeId: Id }) => `${p.refereeId} was not referred by a known customer`,
  'referral-order.not-first-order': (p: { orderId: Id; refereeId: Id }) => `order ${p.orderId} is not ${p.refereeId}'s first order`,
  'referral-order.below-minimum-total': (p: { total: Amount; min: Amount }) => `the order total ${p.total} is below the qualifying ${p.min}`,
  'referral-order.order-before-enrolment': (p: { refereeId: Id; enrolledAt: When }) => `the order was placed before ${p.refereeId} enrolled (${p.enrolledAt})`,
  'referral-order.enrolment-window-ended#no-date': (p: { refereeId: Id; withinDays: Count }) => `${p.refereeId} has no enrolment date, so "within ${p.withinDays} days of enrolment" cannot hold`,
  'referral-order.enrolment-window-ended': (p: { days: Count; withinDays: Count }) => `the order came ${p.days} days after enrolment, more than ${p.withinDays}`,
  'referral-order.referrer-limit-reached': (p: { referrerId: Id; used: Count; key: Id; limit: Count }) => `${p.referrerId} already had ${p.used} qualifying referrals in this period (${p.key}); the limit is ${p.limit}`,
  'referral-order.order': (p: { orderId: Id; total: Amount; currency: Id; refereeId: Id; placedAt: When }) => `order ${p.orderId} of ${p.total} ${p.currency} by ${p.refereeId}, placed ${p.placedAt}`,
  'referral-order.days-after-enrolment': (p: { days: Count; withinDays: Count }) => `placed ${p.days} days after enrolment (at most ${p.withinDays})`,
  'referral-order.referrer-usage': (p: { referrerId: Id; used: Count; limit: Count; key: Id }) => `${p.referrerId} has ${p.used} of ${p.limit} referrals in ${p.key}`,
  'referral-order.does-not-qualify': (p: { reason: Text }) => `does not qualify: ${p.reason}`,
  'referral-order.qualifies': (p: { referrerId: Id; referrerPoints: Count; refereeId: Id; refereePoints: Count }) => `qualifies: ${p.referrerId} gets ${p.referrerPoints}, ${p.refereeId} gets ${p.refereePoints}`,
  // Birthday and anniversary rewards.
  'yearly.program-has-no-reward': (p: { kind: YearlyKind }) => `the program has no ${p.kind} reward`,
  'yearly.no-date': (p: { kind: YearlyKind }) => (p.kind === 'birthday' ? 'the customer has no birth date' : 'the customer has no first purchase yet'),
  'yearly.outside-window#first-year': (p: { kind: YearlyKind; firstYear: Count }) => `the first ${p.kind} comes a year after ${p.firstYear}`,
  'yearly.outside-window': (p: { date: When; window: 'day' | 'week' | 'month'; kind: YearlyKind; occasion: When; start: When; end: When }) =>
    `${p.date} is outside the ${p.window} of the ${p.kind} (${p.occasion} this year: ${p.start} to ${p.end})`,
  'yearly.not-yet-member': (p: { enrolledAt: When; at: When }) => `the customer enrols on ${p.enrolledAt}, after ${p.at}`,
  'yearly.membership-too-short#unknown': (p: { minDays: Count }) => `the enrolment date is unknown, so ${p.minDays} days of membership cannot be shown`,
  'yearly.membership-too-short': (p: { days: Count; minDays: Count }) => `a member for ${p.days} days, fewer than the ${p.minDays} required`,
  'yearly.already-granted': (p: { year: Count; kind: YearlyKind }) => `the ${p.year} ${p.kind} reward was already granted`,
  'yearly.zero-award': (p: { tier: Id | null }) => `the award for tier ${p.tier ?? '(none)'} is 0 points`,
  'yearly.checked': (p: { kind: YearlyKind; at: When; zone: Id }) => `${p.kind} checked at ${p.at} (${p.zone})`,
  'yearly.inside-window': (p: { window: 'day' | 'week' | 'month'; year: Count; kind: YearlyKind; occasion: When; start: When; end: When }) =>
    `inside the ${p.window} of the ${p.year} ${p.kind} (${p.occasion}): ${p.start} to ${p.end}`,
  'yearly.member-days': (p: { days: Count; minDays: Count }) => `a member for ${p.days} days (at least ${p.minDays})`,
  'yearly.award-default': (p: { points: Count; tier: Id | null }) => `award ${p.points} points (default${p.tier === null ? '' : `; tier ${p.tier} has no own award`})`,
  'yearly.award-tier': (p: { points: Count; tier: Id }) => `award ${p.points} points for tier ${p.tier}`,
  'yearly.not-due': (p: { reason: Text }) => `not due: ${p.reason}`,
  'yearly.due': (p: { points: Count; key: Id }) => `due: ${p.points} points for ${p.key}`,
  // Deliveries, cancellations, cases.
  'delivery.order-cancelled': (p: { orderId: Id; cancellationId: Id }) => `order "${p.orderId}" was cancelled (${p.cancellationId}); it cannot be delivered`,
  'cancellation.order-delivered': (p: { orderId: Id; deliveryId: Id; at: When }) => `order "${p.orderId}" was delivered (${p.deliveryId} at ${p.at}); record a return of what comes back instead`,
  'cancellation.order-cancelled': (p: { orderId: Id; cancellationId: Id }) => `order "${p.orderId}" was already cancelled by "${p.cancellationId}"`,
  'case.case-closed': (p: { caseId: Id; from: Id }) => `case "${p.caseId}" is ${p.from}; a ${p.from} case cannot change`,
  'case.transition-not-allowed#same': (p: { caseId: Id; to: Id }) => `case "${p.caseId}" is already ${p.to}`,
  'case.transition-not-allowed': (p: { caseId: Id; from: Id; to: Id; allowed: readonly Id[] }) => `case "${p.caseId}" is ${p.from} and cannot become ${p.to} (from ${p.from} it can become ${p.allowed.join(' or ')})`,
  // The explanation of an order's points (numbers and dates already written in the reader's language).
  'explain.headline': (p: { orderId: Id; date: Text; points: Text }) => `Order ${p.orderId} placed on ${p.date} earns ${p.points}.`,
  'explain.no-points': (p: { orderId: Id; date: Text }) => `Order ${p.orderId} placed on ${p.date} earns no points.`,
  'explain.tier-before': (p: { tier: Text; multiplier: Text }) => `Tier before this order: ${p.tier} (points × ${p.multiplier}).`,
  'explain.no-tier-before': () => 'The customer held no tier before this order.',
  'explain.earned-header': () => 'How the points were earned:',
  'explain.rule-earned': (p: { name: Text; ruleId: Id; points: Text; lines: Text }) => `${p.name} (${p.ruleId}): ${p.points}${p.lines}.`,
  'explain.rule-multiplied': (p: { name: Text; ruleId: Id; points: Text; lines: Text }) => `${p.name} (${p.ruleId}): +${p.points}${p.lines}.`,
  'explain.on-lines': (p: { lines: Text }) => ` on ${p.lines}`,
  'explain.not-applied-header': () => 'Rules that did not apply:',
  'explain.rule-not-applied': (p: { name: Text; ruleId: Id; why: Text }) => `${p.name} (${p.ruleId}): ${p.why}.`,
  'explain.starts-at': (p: { date: Text }) => `it starts on ${p.date}`,
  'explain.ended-at': (p: { date: Text }) => `it ended on ${p.date}`,
  'explain.cap-used': (p: { used: Text; limit: Text }) => `used ${p.used} of ${p.limit} times in this period`,
  'explain.cap-reduced': (p: { uncapped: Text; points: Text }) => `capped from ${p.uncapped} to ${p.points}`,
  'explain.line-excluded': (p: { sku: Id }) => `${p.sku} earns no points (excluded by the rules).`,
  'explain.arithmetic': (p: { subtotal: Text; multiplier: Text; tier: Text; exact: Text }) => `Before the tier: ${p.subtotal}; × ${p.multiplier} for ${p.tier} = ${p.exact}.`,
  'explain.arithmetic-no-tier': (p: { subtotal: Text }) => `Total before rounding: ${p.subtotal}.`,
  'explain.rounded': (p: { mode: RoundingMode; points: Text }) => `Rounded ${ROUNDING[p.mode]} once for the whole order: ${p.points}.`,
  'explain.max-per-order': (p: { limit: Text; uncapped: Text }) => `The program gives at most ${p.limit} per order (${p.uncapped} before this cap).`,
  'explain.tier-raised': (p: { tier: Text }) => `This order lifts the customer to ${p.tier}; their next order earns with it.`,
  'explain.tier-lowered': (p: { tier: Text }) => `After this order the customer holds ${p.tier}.`,
  'explain.availability': (p: { from: Text; until: Text }) => `The points can be used from ${p.from} and expire on ${p.until}.`,
  'explain.availability-no-expiry': (p: { from: Text }) => `The points can be used from ${p.from} and do not expire.`,
  'explain.points': (p: { points: Text }) => (p.points === '1' ? '1 point' : `${p.points} points`),
  // Why a rule gave nothing, in a word (the rule trace's `reason` code).
  'rule-reason.not-valid-yet': () => 'not valid yet',
  'rule-reason.expired': () => 'no longer valid',
  'rule-reason.condition-false': () => 'its condition did not hold for this order',
  'rule-reason.no-matching-line': () => 'no line of this order matches it',
  'rule-reason.no-eligible-amount': () => 'no amount of this order counts for it (the lines are excluded)',
  'rule-reason.nothing-to-multiply': () => 'nothing to multiply: the lines it matches earned no points from other rules',
  'rule-reason.excluded-by-exclusive-rule': () => 'an exclusive rule with a higher priority applied instead',
  'rule-reason.cap-reached': () => 'its limit was already reached',
  'rule-reason.budget-exhausted': () => 'the campaign budget is used up',
} as const;
