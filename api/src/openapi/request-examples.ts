/**
 * The request examples of /openapi.json: one story on one tenant, told with the example program and the example
 * scenario's customers and orders (examples/toko-aftercare.program.json, examples/toko-basic.scenario.json), so
 * that Swagger UI's "Try it out" sends requests the API takes, in this order, on a fresh tenant. Every operation
 * with a body has at least one; buildOpenApiDocument refuses a document where one is missing, and
 * api/test/request-examples.test.ts sends every one to the API.
 */
import program from './examples/toko-aftercare.program.json' with { type: 'json' };

/** One example of a request: what it shows, its path parameters, and the body sent as it is. */
export interface RequestExample {
  readonly summary: string;
  /** Path parameters, by name (`{ id: 'ayu' }` for `/v1/customers/{id}`). */
  readonly params?: Readonly<Record<string, string>>;
  readonly value: unknown;
}

/** Examples by operation id, then by example name; operations in the order the story sends them. */
export type RequestExamples = Readonly<Record<string, Readonly<Record<string, RequestExample>>>>;

const ORDER_1001 = {
  id: 'o-1001',
  customerId: 'ayu',
  placedAt: '2026-02-01T10:00:00+07:00',
  currency: 'IDR',
  lines: [
    { sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '12000000' },
    { sku: 'MS-01', category: 'accessory', quantity: 1, unitPrice: '250000' },
    { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '30000' },
  ],
};

const ORDER_1002 = {
  id: 'o-1002',
  customerId: 'ayu',
  placedAt: '2026-02-20T10:00:00+07:00',
  currency: 'IDR',
  lines: [{ sku: 'PH-9', category: 'phone', quantity: 1, unitPrice: '9000000' }],
};

const TV_55 = {
  sku: 'TV-55',
  category: 'tv',
  price: '8000000',
  purchasedOn: '2026-12-10',
  manufacturerWarranty: { months: 12, components: { remote: 6 } },
};

/** The story, operation by operation. */
export const REQUEST_EXAMPLES: RequestExamples = {
  publishProgram: {
    tokoAftercare: { summary: "Toko's program (IDR, Asia/Jakarta): examples/toko-aftercare.program.json", value: program },
  },
  validateProgram: {
    tokoAftercare: { summary: 'The same program as a draft: valid, nothing published', value: program },
  },
  upsertCustomer: {
    ayu: {
      summary: 'Ayu enrols (the body may leave out `id`: the path gives it)',
      params: { id: 'ayu' },
      value: { enrolledAt: '2026-01-05T09:00:00+07:00', birthDate: '1990-03-14', timezone: 'Asia/Jakarta', emailHash: 'sha256:ayu', referralCode: 'AYU-2026' },
    },
    budi: {
      summary: "Budi enrols with Ayu's referral code",
      params: { id: 'budi' },
      value: { id: 'budi', enrolledAt: '2026-03-15T09:00:00+07:00', birthDate: '1988-02-29', referredBy: { code: 'AYU-2026' }, emailHash: 'sha256:budi' },
    },
  },
  quoteOrder: {
    laptop: { summary: 'What a laptop, a mouse and shipping would earn Ayu (nothing is written)', value: ORDER_1001 },
  },
  simulateProgram: {
    twoOrders: { summary: "Ayu's first two orders on the published program", value: { orders: [ORDER_1001, ORDER_1002] } },
  },
  recordOrder: {
    laptop: { summary: 'Ayu buys a laptop, a mouse and shipping', value: ORDER_1001 },
    phone: { summary: 'Ayu buys a phone', value: ORDER_1002 },
  },
  deliverOrder: {
    laptop: { summary: 'The laptop order is delivered', params: { orderId: 'o-1001' }, value: { id: 'dl-1001', at: '2026-02-03T14:00:00+07:00' } },
  },
  returnOrder: {
    mouse: {
      summary: 'Ayu returns the mouse within the return window',
      params: { orderId: 'o-1001' },
      value: { id: 'r-1', lines: [{ sku: 'MS-01', quantity: 1 }], at: '2026-02-10T11:00:00+07:00' },
    },
  },
  cancelOrder: {
    phone: {
      summary: 'The phone order is cancelled before delivery',
      params: { orderId: 'o-1002' },
      value: { id: 'cn-1002', reason: 'out of stock', at: '2026-02-21T09:00:00+07:00' },
    },
  },
  adjustPoints: {
    welcome: {
      summary: 'Support grants 100 points by hand',
      params: { id: 'ayu' },
      value: { id: 'adj-1', points: 100, reason: 'apology for a late call-back', at: '2026-02-22T09:00:00+07:00' },
    },
  },
  assignTier: {
    statusMatch: {
      summary: "Budi shows a competitor's gold card: gold by hand until the end of the year",
      params: { id: 'budi' },
      value: { tierId: 'gold', until: '2026-12-31T23:59:59+07:00', reason: 'status match: gold card of another shop', at: '2026-03-16T09:00:00+07:00' },
    },
  },
  importCustomers: {
    members: {
      summary: 'Two members of the shop\'s old program arrive with their balances (keeping their expiry dates) and a tier held until the end of 2027',
      value: [
        JSON.stringify({ id: 'siti', enrolledAt: '2024-05-01T10:00:00+07:00', birthDate: '1992-08-17', lots: [{ points: 1200, expiresAt: '2028-12-31T23:59:59+07:00', reason: 'migrated balance' }], tier: { id: 'gold', until: '2027-12-31T23:59:59+07:00' } }),
        JSON.stringify({ id: 'joko', enrolledAt: '2025-02-11T09:00:00+07:00', lots: [{ points: 250, availableAt: '2026-03-01T00:00:00+07:00', expiresAt: '2028-03-01T00:00:00+07:00' }] }),
      ].join('\n'),
    },
  },
  recordEvent: {
    review: { summary: 'Ayu publishes a review', value: { id: 'ev-1', customerId: 'ayu', type: 'review.published', at: '2026-03-12T09:00:00+07:00' } },
  },
  createRedemption: {
    atCheckout: {
      summary: 'Ayu pays part of an order with 500 points',
      value: { id: 'rd-1', customerId: 'ayu', orderId: 'o-1003', orderTotal: '2000000', points: 500, at: '2026-03-10T10:00:00+07:00' },
    },
  },
  cancelRedemption: {
    unpaid: { summary: 'The order was never paid: the points go back', params: { id: 'rd-1' }, value: { reason: 'order o-1003 not paid', at: '2026-03-10T12:00:00+07:00' } },
  },
  runBirthdayRewards: {
    march: { summary: "The birthday sweep on 1 March (Ayu's birthday month)", value: { at: '2026-03-01T00:05:00+07:00' } },
  },
  runAnniversaryRewards: {
    march: { summary: 'The purchase-anniversary sweep on 1 March', value: { at: '2026-03-01T00:05:00+07:00' } },
  },
  runExpiry: {
    march: { summary: 'Expire what is due on 1 March', value: { at: '2026-03-01T00:10:00+07:00' } },
  },
  reconcile: {
    march: { summary: 'Check every balance against its entries on 1 March', value: { at: '2026-03-01T00:15:00+07:00' } },
  },
  runMoments: {
    march: { summary: 'Emit the time-based moments due by 1 March', value: { at: '2026-03-01T00:20:00+07:00' } },
  },
  checkWarranty: {
    goldTv: {
      summary: 'Which plans a Gold member may buy for a TV bought on 10 December',
      value: { customerTier: 'gold', product: TV_55, at: '2027-01-15T10:00:00+07:00' },
    },
  },
  registerWarrantyContract: {
    laptop: {
      summary: 'Ayu buys Toko Care +2 years for the laptop',
      value: {
        id: 'wc-1',
        customerId: 'ayu',
        planId: 'care-2y',
        orderId: 'o-1001',
        product: { sku: 'LP-14', category: 'laptop', price: '12000000', purchasedOn: '2026-02-01', manufacturerWarranty: { months: 12 }, serialNumber: 'LP14-0001' },
        at: '2026-02-10T10:00:00+07:00',
      },
    },
  },
  transferWarrantyContract: {
    toBudi: {
      summary: 'Ayu gives the laptop, and its plan, to Budi',
      params: { id: 'wc-1' },
      value: { id: 'tr-1', toCustomerId: 'budi', reason: 'gift', at: '2026-04-01T10:00:00+07:00' },
    },
  },
  claimWarrantyContract: {
    screen: {
      summary: "A claim on the laptop's screen once the manufacturer's year is over: the plan covers it",
      params: { id: 'wc-1' },
      value: { id: 'cl-1', at: '2027-06-01T10:00:00+07:00', component: 'screen', problem: 'dead pixels' },
    },
  },
  openCase: {
    fanNoise: {
      summary: 'Ayu phones about the laptop',
      value: {
        id: 'case-1',
        customerId: 'ayu',
        orderId: 'o-1001',
        sku: 'LP-14',
        channel: 'phone',
        receivedAt: '2026-03-02T09:00:00+07:00',
        receivedBy: 'rina',
        department: 'service',
        summary: 'Laptop fan is loud',
        callbackBy: '2026-03-03T17:00:00+07:00',
      },
    },
  },
  changeCase: {
    assigned: {
      summary: 'The case is taken by a technician',
      params: { id: 'case-1' },
      value: { by: 'rina', status: 'in-progress', assignedTo: 'dewi', action: 'called Ayu back', callbackDone: true, at: '2026-03-02T15:00:00+07:00' },
    },
  },
  resolveCase: {
    fixed: { summary: 'The fan is replaced', params: { id: 'case-1' }, value: { resolvedBy: 'dewi', outcome: 'fan replaced', at: '2026-03-04T11:00:00+07:00' } },
  },
  grantGoodwill: {
    lateDelivery: {
      summary: 'Points for a late delivery, tied to the case',
      value: { id: 'gw-1', customerId: 'ayu', caseId: 'case-1', reason: 'late-delivery', points: 200, at: '2026-03-04T12:00:00+07:00' },
    },
  },
  redeemReward: {
    voucher: { summary: 'Ayu spends 500 points on a Rp50.000 voucher', params: { rewardId: 'voucher-50k' }, value: { id: 'rr-1', customerId: 'ayu', at: '2026-03-05T10:00:00+07:00' } },
  },
  useVoucher: {
    atCheckout: {
      summary: 'The voucher pays part of an order (put the code the reward redemption answered in the path)',
      params: { code: 'K7QM-2XPA-9RHD-TWCE' },
      value: { orderId: 'o-1004', customerId: 'ayu', at: '2026-03-06T10:00:00+07:00' },
    },
  },
  createWebhookEndpoint: {
    crm: {
      summary: 'Send points and tier moments to a CRM',
      value: { url: 'https://hooks.example.com/purna', types: ['points.awarded', 'tier.changed'], description: 'CRM sync' },
    },
  },
  updateWebhookEndpoint: {
    pause: {
      summary: 'Pause an endpoint (put the id its creation answered in the path)',
      params: { id: 'we_paste-the-id-its-creation-answered' },
      value: { enabled: false, description: 'CRM sync, paused during the migration' },
    },
  },
  createApiKey: {
    till: { summary: 'A key for a checkout till', value: { name: 'till 1, Jakarta store', scopes: ['checkout'] } },
  },
  // Last: the story's customer is erased once everything else has been told of her.
  eraseCustomer: {
    request: { summary: 'Ayu asks the shop to erase her data', params: { id: 'ayu' }, value: { reason: 'erasure request 2026-114 (UU PDP art. 8)' } },
  },
};
