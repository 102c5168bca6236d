/**
 * The extended-warranty moments of an account (docs/moments.md):
 * - `warranty.offer`: a recorded order offers the plans that cover each line whose product states its manufacturer's
 *   warranty, with the price for the tier the order leaves the customer in, the cover, and the last day to buy. The
 *   same check as `POST /v1/warranty/eligibility`, so an offer never disagrees with it. The offer stays on the
 *   account until that day, for `warranty.window-closing` (decide-due-moments.ts).
 * - `warranty.contract.registered` and `warranty.contract.transferred`, with the contract's writes.
 */
import type { AccountAction } from '../account/account-action.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { OrderInput } from '../input/order-input.js';
import { Decimal } from '../money/money.js';
import { daysFromCivil } from '../engine/zone-clock.js';
import { formatUtc, parseDate } from '../time.js';
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
 * manufacturer's warranty), and the offer kept on the account for `warranty.window-closing`.
 *
 * @example warrantyOfferActions(compiled, order, 'silver') // [{ type: 'moment', moment: 'warranty.offer', data: { orderId, sku, plans } }, { type: 'warranty-offer', offer }]
 */
export function warrantyOfferActions(compiled: CompiledProgram, order: OrderInput & { readonly placedAt: string }, tier: string | null): AccountAction[] {
  if (!compiled.program.warranty || !order.lines.some((line) => line.manufacturerWarranty !== undefined)) return [];
  const local = compiled.clock.local(compiled.clock.millis(order.placedAt, '/order/placedAt'));
  const purchasedOn = `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  const actions: AccountAction[] = [];
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
    const orderId = order.id ?? '';
    actions.push(momentAction('warranty.offer', { orderId, sku: line.sku, quantity: line.quantity, unitPrice: product.price, purchasedOn, ...(tier !== null ? { tier } : {}), plans }));
    const lastPurchaseDay = plans.reduce((last, plan) => (plan.lastPurchaseDay > last ? plan.lastPurchaseDay : last), '');
    actions.push({
      type: 'warranty-offer',
      offer: {
        orderId,
        sku: line.sku,
        quantity: line.quantity,
        covered: 0,
        lastPurchaseDay,
        closesAt: formatUtc(dayStart(compiled, lastPurchaseDay, 1)),
        plans: plans.map(({ planId, name, price, lastPurchaseDay: last }) => ({ planId, name, price, lastPurchaseDay: last })),
      },
    });
  }
  return actions;
}

/** Local midnight (epoch ms) of `day` (`YYYY-MM-DD`, as the eligibility check writes it) plus `days` days, in the program's zone. */
export function dayStart(compiled: CompiledProgram, day: string, days = 0): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return parseDate(day, compiled.zone, '/lastPurchaseDay').plus({ days }).toMillis();
  return compiled.clock.fromLocal((daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3])) + days) * 86_400_000);
}

/** What a registered contract tells the CRM, and the unit it covers. */
export interface RegisteredContract {
  readonly contractId: string;
  readonly planId: string;
  readonly planName: string;
  readonly price: string;
  readonly currency: string;
  readonly sku: string;
  readonly serialNumber?: string;
  readonly orderId?: string;
  readonly startsOn: string;
  readonly endsOn: string;
}

/**
 * A contract registered for the customer: its `warranty.contract.registered` moment, and the unit it covers counted
 * on the order line's offer (so `warranty.window-closing` stops once every unit is covered).
 *
 * @example contractRegisteredActions({ contractId: 'wc-1', planId: 'care-2y', sku: 'TV-55', ... })
 */
export function contractRegisteredActions(contract: RegisteredContract): AccountAction[] {
  const { orderId, serialNumber, ...rest } = contract;
  return [
    momentAction('warranty.contract.registered', { ...rest, ...(orderId !== undefined ? { orderId } : {}), ...(serialNumber !== undefined ? { serialNumber } : {}) }),
    { type: 'warranty-covered', sku: contract.sku, ...(orderId !== undefined ? { orderId } : {}) },
  ];
}

/** A contract that changed hands, as the CRM hears of it. */
export interface TransferredContract {
  readonly contractId: string;
  readonly transferId: string;
  readonly planId: string;
  readonly sku: string;
  readonly serialNumber?: string;
  readonly fromCustomerId: string;
  readonly toCustomerId: string;
  readonly reason?: string;
  readonly endsOn: string;
}

/**
 * The `warranty.contract.transferred` moment, on the account of the owner who gave the contract away (its data
 * names both owners).
 *
 * @example contractTransferredActions({ contractId: 'wc-1', transferId: 'tr-1', fromCustomerId: 'ayu', toCustomerId: 'budi', ... })
 */
export function contractTransferredActions(transfer: TransferredContract): AccountAction[] {
  const { serialNumber, reason, ...rest } = transfer;
  return [momentAction('warranty.contract.transferred', { ...rest, ...(serialNumber !== undefined ? { serialNumber } : {}), ...(reason !== undefined ? { reason } : {}) })];
}
