/** The price of an extended-warranty plan for one product (SEMANTICS rule 11). */
import { Decimal } from '../money/money.js';

/** The plan's price settings, as the program writes them. */
export interface PlanPriceSettings {
  /** Percent (not fraction) of the product price: "8" is 8 %. */
  readonly percentOfProductPrice?: string;
  /** Fixed part or floor: the price is never below it. */
  readonly min?: string;
  /** A fixed price, used when no percent is given. */
  readonly fixed?: string;
}

/** A plan price and how it was reached. */
export interface PlanPrice {
  /** Before the tier discount: max(min, percent × product price), or the fixed price. */
  readonly listPrice: Decimal;
  /** The tier's discount as a fraction ("0.2"), 0 without one. */
  readonly discount: Decimal;
  /** What the customer pays: listPrice × (1 − discount), exact (no currency rounding). */
  readonly price: Decimal;
}

/**
 * Prices a plan: max(`min`, `percentOfProductPrice` % × product price), less the tier's plan discount.
 *
 * @example planPrice({ percentOfProductPrice: '8', min: '250000' }, new Decimal('8000000'), new Decimal('0.2')).price.toString() // '512000'
 */
export function planPrice(settings: PlanPriceSettings, productPrice: Decimal, tierDiscount: Decimal): PlanPrice {
  const floor = new Decimal(settings.min ?? '0');
  let list: Decimal;
  if (settings.percentOfProductPrice !== undefined) {
    list = Decimal.max(floor, productPrice.times(settings.percentOfProductPrice).dividedBy(100));
  } else {
    list = Decimal.max(floor, new Decimal(settings.fixed ?? '0'));
  }
  const price = list.times(new Decimal(1).minus(tierDiscount));
  return { listPrice: list, discount: tierDiscount, price };
}
