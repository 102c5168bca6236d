/**
 * What the playground offers to start from: the recipe programs of docs/recipes/ and the example program, and the
 * worked orders of the recipe pages (each with the program it was worked on and the history it assumes), so a
 * marketer sees the same points the recipe derives by hand.
 */
import indonesianShop from '../../docs/recipes/indonesian-electronics-idr.program.json' with { type: 'json' };
import philippineShop from '../../docs/recipes/philippine-shop-php.program.json' with { type: 'json' };
import usShop from '../../docs/recipes/us-shop-usd-dst.program.json' with { type: 'json' };
import tokoRewards from '../../examples/toko-rewards.program.json' with { type: 'json' };

/** A program to start from. */
export interface SampleProgram {
  readonly id: string;
  readonly label: string;
  readonly program: unknown;
}

/** An order to try, in the shape `purna explain` reads: the order, and optionally the customer and their history. */
export interface SampleOrder {
  readonly id: string;
  readonly label: string;
  /** The sample program it was worked on. */
  readonly programId: string;
  readonly input: { readonly order: unknown; readonly customer?: unknown; readonly history?: unknown };
}

export const SAMPLE_PROGRAMS: readonly SampleProgram[] = [
  { id: 'indonesian-electronics-idr', label: 'Recipe: Indonesian electronics shop (IDR)', program: indonesianShop },
  { id: 'us-shop-usd-dst', label: 'Recipe: US shop (USD, daylight saving time)', program: usShop },
  { id: 'philippine-shop-php', label: 'Recipe: Philippine shop (PHP)', program: philippineShop },
  { id: 'toko-rewards', label: 'Example: Toko rewards (IDR)', program: tokoRewards },
];

export const SAMPLE_ORDERS: readonly SampleOrder[] = [
  {
    id: 'harbolnas-tv',
    label: 'A Silver customer’s TV on Harbolnas 12.12 (docs/recipes/indonesian-electronics-idr.md)',
    programId: 'indonesian-electronics-idr',
    input: {
      order: {
        id: 'o-1212',
        customerId: 'c',
        placedAt: '2026-12-12T10:00:00+07:00',
        currency: 'IDR',
        lines: [
          { sku: 'TV-55', category: 'tv', quantity: 1, unitPrice: '8500000' },
          { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '30000' },
        ],
      },
      history: { orders: [{ id: 'before', placedAt: '2026-11-20T10:00:00+07:00', tierSpend: '6000000', points: 600 }], usage: {} },
    },
  },
  {
    id: 'saturday-headphones',
    label: 'Headphones on a Saturday evening in EDT (docs/recipes/us-shop-usd-dst.md)',
    programId: 'us-shop-usd-dst',
    input: {
      order: {
        id: 'o-0314',
        customerId: 'c',
        placedAt: '2026-03-14T19:00:00-04:00',
        currency: 'USD',
        lines: [
          { sku: 'HP-02', category: 'audio', quantity: 1, unitPrice: '149.99' },
          { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '7.99' },
        ],
      },
    },
  },
  {
    id: 'app-phone',
    label: 'A phone ordered in the app in October (docs/recipes/philippine-shop-php.md)',
    programId: 'philippine-shop-php',
    input: {
      order: {
        id: 'o-1010',
        customerId: 'c',
        placedAt: '2026-10-10T12:00:00+08:00',
        currency: 'PHP',
        channel: 'app',
        lines: [{ sku: 'PH-9', category: 'phone', quantity: 1, unitPrice: '34990' }],
      },
    },
  },
];
