/**
 * `warranty.offer`: a recorded order offers the extended-warranty plans that cover each line whose product states its
 * manufacturer's warranty, with the price for the tier the order leaves the customer in, the cover, and the last day
 * to buy (docs/moments.md). The same check as `POST /v1/warranty/eligibility`, so an offer never disagrees with it.
 */
import type { MomentAction } from '../account/account-action.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { OrderInput } from '../input/order-input.js';
import { Decimal } from '../money/money.js';
import { checkWarrantyEligibility } from '../warranty/check-warranty-eligibility.js';
import { momentAction } from './moment-actions.js';

/** The price paid for one unit of a line: its unit price less its share of the line's discount, to the cent. */
function unitPaid(line: OrderInput['lines'][number]): string {
  if (line.discount === undefined || line.quantity === 0) return line.unitPrice;
  const paid = new Decimal(line.unitPrice).times(line.quantity).minus(line.discount).div(line.quantity);
  return Decimal.max(paid, 0).toDecimalPlaces(2, Decimal.ROUND_DOWN).toString();
}

/**
 * One `warranty.offer` per line a plan covers (none when the program has no plans or no line states a
 * manufacturer's warranty).
 *
 * @example warrantyOfferMoments(compiled, order, 'silver') // [{ type: 'moment', moment: 'warranty.offer', data: { orderId, sku, plans } }]
 */
export function warrantyOfferMoments(compiled: CompiledProgram, order: OrderInput & { readonly placedAt: string }, tier: string | null): MomentAction[] {
  if (!compiled.program.warranty || !order.lines.some((line) => line.manufacturerWarranty !== undefined)) return [];
  const local = compiled.clock.local(compiled.clock.millis(order.placedAt, '/order/placedAt'));
  const purchasedOn = `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  const moments: MomentAction[] = [];
  for (const line of order.lines) {
    if (line.manufacturerWarranty === undefined || line.category === undefined || line.quantity === 0) continue;
    const product = {
      sku: line.sku,
      category: line.category,
      ...(line.brand !== undefined ? { brand: line.brand } : {}),
      ...(line.tags !== undefined ? { tags: line.tags } : {}),
      price: unitPaid(line),
      purchasedOn,
      manufacturerWarranty: line.manufacturerWarranty,
    };
    const answer = checkWarrantyEligibility(compiled, { product, ...(tier !== null ? { tier } : {}) }, { at: order.placedAt });
    const plans = answer.plans
      .filter((plan) => plan.eligible)
      .map((plan) => ({ planId: plan.planId, name: plan.name, price: plan.price ?? '0', lastPurchaseDay: plan.lastPurchaseDay, coverage: { ...plan.coverage } }));
    if (plans.length === 0) continue;
    moments.push(momentAction('warranty.offer', { orderId: order.id ?? '', sku: line.sku, quantity: line.quantity, unitPrice: product.price, purchasedOn, ...(tier !== null ? { tier } : {}), plans }));
  }
  return moments;
}
