/**
 * What a warranty contract refunds when it is cancelled because its product was returned, as its plan says
 * (`cancellation.refund`, `pro-rata` when the plan names none):
 * - `full`: the price paid;
 * - `pro-rata`: the share of the plan's own cover of the unit not yet used on the day of the cancellation, counted
 *   in calendar days in the program's zone: price × (plan days left ÷ plan days), rounded down to the cent so the
 *   shop never refunds more than was paid. A cancellation on or before the plan's first day (the usual case: a
 *   product returned within its return window, while the manufacturer still covers it) refunds the whole price;
 *   one after the plan's last day refunds nothing.
 */
import { DEFAULT_WARRANTY_REFUND, type WARRANTY_REFUNDS } from '../program/warranty-section.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { Decimal, decimalString, parseDecimal } from '../money/money.js';
import { parseInstant, type InstantLike } from '../time.js';
import { componentCoverage } from './coverage.js';
import { planOfProgram } from './decide-warranty-claim.js';
import { warrantyPerks } from './tier-benefits.js';
import { parseWarrantyProduct, UNIT_COMPONENT, type WarrantyProduct } from './warranty-product.js';
import { sentence, type Sentence } from '../messages/sentence.js';
import { traced } from '../messages/english.js';

/** How a cancelled contract is refunded. */
export type WarrantyRefundPolicy = (typeof WARRANTY_REFUNDS)[number];

/** Input of {@link decideContractRefund}: the contract as sold. */
export interface ContractRefundInput {
  readonly planId: string;
  readonly product: WarrantyProduct;
  /** The tier whose perks the contract was priced with (its extra months lengthen the plan). */
  readonly tier?: string;
  /** What the customer paid for the contract, a decimal string. */
  readonly price: string;
}

/** The refund of a cancelled contract. */
export interface ContractRefund {
  readonly policy: WarrantyRefundPolicy;
  /** The amount refunded, a decimal string in the program's currency. */
  readonly refund: string;
  /** The calendar day of the cancellation in the program's zone. */
  readonly cancelledOn: string;
  /** Days of the plan's own cover of the unit, and those left on the day of the cancellation. */
  readonly planDays: number;
  readonly unusedDays: number;
  readonly trace: readonly string[];
  /** `trace` as data, to write it in another language. */
  readonly traceSentences: readonly Sentence[];
}

/**
 * The refund of a contract cancelled at `at`.
 *
 * @example
 * // care-2y bought for 640000 on a TV of 2026-12-10 (plan from 2027-12-10 to 2029-12-10), returned 2026-12-20:
 * decideContractRefund(compiled, { planId: 'care-2y', product: tv, price: '640000' }, { at: '2026-12-20T10:00:00+07:00' }).refund // '640000'
 */
export function decideContractRefund(compiled: CompiledProgram, input: ContractRefundInput, options: { readonly at: InstantLike }): ContractRefund {
  const zone = compiled.program.timezone;
  const at = parseInstant(options.at, zone, '/at');
  const plan = planOfProgram(compiled, input.planId);
  const product = parseWarrantyProduct(input.product, zone, '/product');
  const price = parseDecimal(input.price, '/price');
  const policy = plan.cancellation?.refund ?? DEFAULT_WARRANTY_REFUND;
  const unit = componentCoverage(product, plan, warrantyPerks(compiled, input.tier, '/tier').extraMonths, UNIT_COMPONENT);
  const start = unit.planStart ?? product.purchasedOn;
  const end = unit.planEnd ?? start;
  const day = at.setZone(zone).startOf('day');
  const cancelledOn = day.toISODate() ?? '';
  const planDays = Math.round(end.diff(start, 'days').days);
  const used = Math.min(Math.max(Math.round(day.diff(start, 'days').days), 0), planDays);
  const unusedDays = planDays - used;
  const span = sentence('warranty-refund.plan-span', { planId: plan.id, start: start.toISODate() ?? '', end: end.toISODate() ?? '', planDays, unusedDays, cancelledOn });
  if (policy === 'full' || planDays === 0) {
    const full = sentence(policy === 'full' ? 'warranty-refund.in-full' : 'warranty-refund.in-full-no-days', { refund: decimalString(price) });
    return { policy, refund: decimalString(price), cancelledOn, planDays, unusedDays, ...traced([span, full]) };
  }
  const refund = price.times(unusedDays).dividedBy(planDays).toDecimalPlaces(2, Decimal.ROUND_DOWN);
  const proRata = sentence('warranty-refund.pro-rata', { price: decimalString(price), unusedDays, planDays, refund: decimalString(refund) });
  return { policy, refund: decimalString(refund), cancelledOn, planDays, unusedDays, ...traced([span, proRata]) };
}
