/**
 * One valid request for every operation of the OpenAPI document, against data seeded in tenant `shop-a`. The
 * route-walking suites (tenant isolation, append-only, mass assignment, injection) take the operations FROM
 * /openapi.json and look them up here, so an operation added to the API without a case here fails CI.
 */
import { expect } from 'chai';
import type { Method, World } from './world.js';
import { orderOf, reliabilityProgram } from './world.js';

/** Ids seeded in tenant `shop-a` by `seedTenantA`. */
export interface Seed {
  customerId: string;
  orderId: string;
  /** Key id of a spare shop-a key (for DELETE /v1/keys/{keyId}). */
  keyId: string;
  /** A shop-a webhook endpoint the walk reads, changes and rotates. */
  webhookId: string;
  /** Shop-a webhook endpoints the walk deletes, one per pass (the first pass is 1). */
  deletableWebhookIds: string[];
  /** A voucher of the second customer's (a sticker) the walk uses, always on the same order: a replay after the first. */
  voucherCode?: string;
  /** Shop-a customers the walk erases, one per pass (the first pass is 1). */
  erasableCustomerIds?: string[];
  /** An import of shop-a's (one customer) the walk reads. */
  importId?: string;
}

/** Strings only tenant shop-a's data contains: another tenant's answers must never carry them. */
export const TENANT_A_MARKERS = ['sha256:secret-of-shop-a', 'SECRET-SKU-A', 'Shop A secret program', 'SECRET-SERIAL-A', 'SECRET-WEBHOOK-A', 'SECRET-CASE-A'];

/** A public address as a literal: registering it needs no DNS, and nothing is ever sent to it here. */
const WEBHOOK_URL = 'https://93.184.216.34/purna';

/** The shop-a customer warranty contracts are transferred to. */
const TRANSFEREE = 'budi-a';

/** The warranty contract `seedTenantA` registers for the seed's customer (derived, so a missing customer names none). */
function contractOf(seed: Seed): string {
  return `wc-${seed.customerId}`;
}

/** The contract the walk's `n`-th transfer moves: one per pass, since the plan allows a single transfer. */
function transferredContractOf(seed: Seed, n: number): string {
  return `${contractOf(seed)}-t${n}`;
}

/** The undelivered order the walk's `n`-th cancellation cancels (one per pass; seeded for the second customer). */
function cancellableOrderOf(seed: Seed, n: number): string {
  return `${seed.orderId}-c${n}`;
}

/** The redemption the walk's `n`-th redemption cancellation cancels (tied to the `n`-th cancellable order). */
function cancellableRedemptionOf(seed: Seed, n: number): string {
  return `rd-${seed.orderId}-${n}`;
}

/** The complaint case `seedTenantA` opens for the seed's customer (the walk reads and changes it). */
function complaintOf(seed: Seed): string {
  return `case-${seed.customerId}`;
}

/** The case the walk's `n`-th resolution resolves: one per pass, since a case is resolved once. */
function resolvableComplaintOf(seed: Seed, n: number): string {
  return `${complaintOf(seed)}-r${n}`;
}

/** A complaint of the seed's customer taken by phone at the clock's instant. */
function complaintBody(world: World, id: string, customerId: string, details: string): Record<string, unknown> {
  return { id, customerId, channel: 'phone', receivedAt: world.clock.iso(), receivedBy: 'agent-a', department: 'logistics', summary: 'delivery late', details };
}

/** A TV bought on the clock's day with a 12-month manufacturer warranty (6 for the remote): Toko Care covers it. */
function tvOf(world: World, serialNumber: string): Record<string, unknown> {
  return { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: world.clock.iso().slice(0, 10), manufacturerWarranty: { months: 12, components: { remote: 6 } }, serialNumber };
}

/** What another tenant's key must get for the same request. */
export type OtherTenant =
  /** The request names a shop-a resource by id: 404, as if it did not exist. */
  | 'not-found'
  /** The request creates or reads the caller's own data (an upsert, a new order, a sweep): never shop-a's. */
  | 'own-data'
  /** A public route (health, document). */
  | 'public'
  /** The request names a shop-a voucher code: refused as `voucher-unknown` (422), as a code issued nowhere is. */
  | 'unknown-voucher';

/** One operation's valid request. */
export interface RouteCase {
  scope: 'admin' | 'checkout' | 'crm' | 'public';
  otherTenant: OtherTenant;
  /** A valid request; `n` makes ids unique when the case runs more than once; `headers` a body other than JSON needs. */
  request(seed: Seed, n: number, world: World): { path: string; body?: unknown; headers?: Record<string, string> };
  /** Statuses a valid request answers. */
  ok: number[];
}

const enc = encodeURIComponent;

/** The cases, keyed by `METHOD path-template` as in the OpenAPI document. */
export const ROUTE_CASES: Record<string, RouteCase> = {
  'GET /healthz': { scope: 'public', otherTenant: 'public', ok: [200], request: () => ({ path: '/healthz' }) },
  'GET /readyz': { scope: 'public', otherTenant: 'public', ok: [200], request: () => ({ path: '/readyz' }) },
  'GET /openapi.json': { scope: 'public', otherTenant: 'public', ok: [200], request: () => ({ path: '/openapi.json' }) },
  'GET /schemas/program.v1.json': { scope: 'public', otherTenant: 'public', ok: [200], request: () => ({ path: '/schemas/program.v1.json' }) },
  'PUT /v1/program': {
    scope: 'admin',
    otherTenant: 'own-data',
    ok: [201],
    request: () => ({ path: '/v1/program', body: reliabilityProgram() }),
  },
  'GET /v1/program': { scope: 'checkout', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/program' }) },
  'GET /v1/program/versions': { scope: 'checkout', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/program/versions' }) },
  'POST /v1/program/validate': { scope: 'admin', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/program/validate', body: reliabilityProgram() }) },
  'POST /v1/program/simulate': {
    scope: 'admin',
    otherTenant: 'own-data',
    ok: [200],
    request: (seed, n, world) => ({
      path: '/v1/program/simulate',
      body: { orders: [orderOf(`sim-${n}`, seed.customerId, world.clock.iso(), [{ sku: 'PH-1', quantity: 1, unitPrice: '100000' }])] },
    }),
  },
  'PUT /v1/customers/{id}': {
    scope: 'crm',
    otherTenant: 'own-data',
    ok: [200, 201],
    request: (seed) => ({ path: `/v1/customers/${enc(seed.customerId)}`, body: { tags: ['vip'] } }),
  },
  'GET /v1/customers/{id}': { scope: 'crm', otherTenant: 'not-found', ok: [200], request: (seed) => ({ path: `/v1/customers/${enc(seed.customerId)}` }) },
  'GET /v1/customers/{id}/transactions': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed) => ({ path: `/v1/customers/${enc(seed.customerId)}/transactions` }),
  },
  'POST /v1/customers/{id}/adjustments': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({ path: `/v1/customers/${enc(seed.customerId)}/adjustments`, body: { id: `adj-${n}`, points: 7, reason: 'goodwill' } }),
  },
  'PUT /v1/customers/{id}/tier': {
    scope: 'admin',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed, n, world) => ({
      path: `/v1/customers/${enc(seed.customerId)}/tier`,
      body: { tierId: 'member', until: new Date(world.clock.ms + ((n + 365) * 24 * 3600 * 1000)).toISOString(), reason: `status match ${n}` },
    }),
  },
  'POST /v1/imports': {
    scope: 'admin',
    otherTenant: 'own-data',
    ok: [202],
    request: (_seed, n) => ({ path: '/v1/imports', body: `${JSON.stringify({ id: `imported-${n}`, lots: [{ points: 10 }] })}\n`, headers: { 'Content-Type': 'application/x-ndjson' } }),
  },
  'GET /v1/imports/{id}': { scope: 'admin', otherTenant: 'not-found', ok: [200], request: (seed) => ({ path: `/v1/imports/${enc(seed.importId ?? 'imp_none')}` }) },
  'POST /v1/goodwill': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({ path: '/v1/goodwill', body: { id: `gw-${n}`, customerId: seed.customerId, caseId: complaintOf(seed), reason: 'late-delivery', points: 5 } }),
  },
  'GET /v1/rewards': { scope: 'crm', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/rewards' }) },
  'POST /v1/rewards/{rewardId}/redemptions': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({ path: '/v1/rewards/sticker/redemptions', body: { id: `rr-${n}`, customerId: seed.customerId === 'ayu-a' ? TRANSFEREE : seed.customerId } }),
  },
  'POST /v1/vouchers/{code}/use': {
    scope: 'checkout',
    otherTenant: 'unknown-voucher',
    ok: [200],
    request: (seed) => ({ path: `/v1/vouchers/${enc(seed.voucherCode ?? 'K7QM-2XPA-9RHD-TWCE')}/use`, body: { orderId: 'voucher-order', customerId: TRANSFEREE } }),
  },
  'GET /v1/customers/{id}/vouchers': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed) => ({ path: `/v1/customers/${enc(seed.customerId)}/vouchers` }),
  },
  'GET /v1/customers/{id}/referral-code': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed) => ({ path: `/v1/customers/${enc(seed.customerId)}/referral-code` }),
  },
  'POST /v1/customers/{id}/referral-code': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [200, 201],
    request: (seed) => ({ path: `/v1/customers/${enc(seed.customerId)}/referral-code` }),
  },
  'POST /v1/orders/quote': {
    scope: 'checkout',
    otherTenant: 'own-data',
    ok: [200],
    request: (seed, n, world) => ({ path: '/v1/orders/quote', body: orderOf(`quote-${n}`, seed.customerId, world.clock.iso(), [{ sku: 'PH-1', quantity: 1, unitPrice: '100000' }]) }),
  },
  'POST /v1/orders': {
    scope: 'checkout',
    otherTenant: 'own-data',
    ok: [201],
    request: (seed, n, world) => ({ path: '/v1/orders', body: orderOf(`walk-o${n}`, seed.customerId, world.clock.iso(), [{ sku: 'PH-1', quantity: 2, unitPrice: '100000' }]) }),
  },
  'POST /v1/orders/{orderId}/returns': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({ path: `/v1/orders/${enc(seed.orderId)}/returns`, body: { id: `ret-${n}`, lines: [{ sku: 'PH-1', quantity: 1 }] } }),
  },
  'POST /v1/orders/{orderId}/deliveries': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({ path: `/v1/orders/${enc(seed.orderId)}/deliveries`, body: { id: `dl-${n}` } }),
  },
  'POST /v1/orders/{orderId}/cancellation': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed, n) => ({ path: `/v1/orders/${enc(cancellableOrderOf(seed, n))}/cancellation`, body: { id: `can-${n}`, reason: 'out-of-stock' } }),
  },
  'POST /v1/redemptions/{id}/cancellation': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed, n) => ({ path: `/v1/redemptions/${enc(cancellableRedemptionOf(seed, n))}/cancellation`, body: { reason: 'payment-failed' } }),
  },
  'POST /v1/redemptions': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({ path: '/v1/redemptions', body: { id: `red-${n}`, customerId: seed.customerId, orderId: `basket-${n}`, orderTotal: '100000', points: 5 } }),
  },
  'POST /v1/events': {
    scope: 'checkout',
    otherTenant: 'own-data',
    ok: [201],
    request: (seed, n) => ({ path: '/v1/events', body: { id: `ev-${n}`, customerId: seed.customerId, type: 'review.published', attributes: { stars: 5 } } }),
  },
  'POST /v1/jobs/birthday-rewards': { scope: 'admin', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/jobs/birthday-rewards', body: {} }) },
  'POST /v1/jobs/anniversary-rewards': { scope: 'admin', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/jobs/anniversary-rewards', body: {} }) },
  'POST /v1/jobs/moments': { scope: 'crm', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/jobs/moments', body: {} }) },
  'GET /v1/moments': { scope: 'crm', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/moments' }) },
  'POST /v1/jobs/expiry': { scope: 'admin', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/jobs/expiry', body: {} }) },
  'POST /v1/jobs/reconcile': { scope: 'admin', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/jobs/reconcile', body: {} }) },
  'POST /v1/warranty/eligibility': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed, _n, world) => ({
      path: '/v1/warranty/eligibility',
      body: {
        customerId: seed.customerId,
        product: { sku: 'LP-14', category: 'laptop', price: '12000000', purchasedOn: world.clock.iso().slice(0, 10), manufacturerWarranty: { months: 12 } },
      },
    }),
  },
  'POST /v1/warranty/contracts': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n, world) => ({
      path: '/v1/warranty/contracts',
      body: { id: `wc-walk-${n}`, customerId: seed.customerId, planId: 'care-2y', product: tvOf(world, `SN-WALK-${n}`), orderId: seed.orderId },
    }),
  },
  'GET /v1/warranty/contracts/{id}': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed) => ({ path: `/v1/warranty/contracts/${enc(contractOf(seed))}` }),
  },
  'POST /v1/warranty/contracts/{id}/transfers': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({
      path: `/v1/warranty/contracts/${enc(transferredContractOf(seed, n))}/transfers`,
      body: { id: `tr-walk-${n}`, toCustomerId: TRANSFEREE, fromCustomerId: seed.customerId, reason: 'sold with the TV' },
    }),
  },
  'GET /v1/customers/{id}/warranty-contracts': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed) => ({ path: `/v1/customers/${enc(seed.customerId)}/warranty-contracts` }),
  },
  'POST /v1/cases': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n, world) => ({ path: '/v1/cases', body: complaintBody(world, `case-walk-${n}`, seed.customerId, `walk ${n}`) }),
  },
  'GET /v1/cases': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed) => ({ path: `/v1/cases?customerId=${enc(seed.customerId)}&status=open` }),
  },
  'GET /v1/cases/{id}': { scope: 'crm', otherTenant: 'not-found', ok: [200], request: (seed) => ({ path: `/v1/cases/${enc(complaintOf(seed))}` }) },
  'PATCH /v1/cases/{id}': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed, n) => ({ path: `/v1/cases/${enc(complaintOf(seed))}`, body: { by: 'agent-a', status: 'in-progress', action: `walk ${n}` } }),
  },
  'POST /v1/cases/{id}/resolution': {
    scope: 'crm',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({ path: `/v1/cases/${enc(resolvableComplaintOf(seed, n))}/resolution`, body: { resolvedBy: 'agent-a', outcome: `refunded (walk ${n})`, signedOffBy: 'lead-a' } }),
  },
  'POST /v1/warranty/contracts/{id}/claims': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [201],
    request: (seed, n) => ({
      path: `/v1/warranty/contracts/${enc(contractOf(seed))}/claims`,
      body: { id: `cl-walk-${n}`, component: 'screen', problem: `lines across the picture ${n}`, customerId: seed.customerId },
    }),
  },
  'GET /v1/warranty/contracts/{id}/claims': {
    scope: 'checkout',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed) => ({ path: `/v1/warranty/contracts/${enc(contractOf(seed))}/claims` }),
  },
  'POST /v1/webhooks': {
    scope: 'admin',
    otherTenant: 'own-data',
    ok: [201],
    request: (_seed, n) => ({ path: '/v1/webhooks', body: { url: `${WEBHOOK_URL}/walk-${n}`, types: ['points.expiring'], description: `walk ${n}` } }),
  },
  'GET /v1/webhooks': { scope: 'admin', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/webhooks' }) },
  'GET /v1/webhooks/{id}': { scope: 'admin', otherTenant: 'not-found', ok: [200], request: (seed) => ({ path: `/v1/webhooks/${enc(seed.webhookId)}` }) },
  'PATCH /v1/webhooks/{id}': {
    scope: 'admin',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed, n) => ({ path: `/v1/webhooks/${enc(seed.webhookId)}`, body: { types: ['tier.changed'], description: `SECRET-WEBHOOK-A ${n}` } }),
  },
  'DELETE /v1/webhooks/{id}': {
    scope: 'admin',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed, n) => ({ path: `/v1/webhooks/${enc(seed.deletableWebhookIds[n - 1] ?? `we_none-${n}`)}` }),
  },
  'POST /v1/webhooks/{id}/secret': { scope: 'admin', otherTenant: 'not-found', ok: [200], request: (seed) => ({ path: `/v1/webhooks/${enc(seed.webhookId)}/secret` }) },
  'GET /v1/webhooks/{id}/deliveries': { scope: 'admin', otherTenant: 'not-found', ok: [200], request: (seed) => ({ path: `/v1/webhooks/${enc(seed.webhookId)}/deliveries` }) },
  // The walk runs no delivery worker, so the endpoint has no delivery to retry: the route answers 404 for the moment.
  'POST /v1/webhooks/{id}/deliveries/{momentId}/retry': {
    scope: 'admin',
    otherTenant: 'not-found',
    ok: [404],
    request: (seed) => ({ path: `/v1/webhooks/${enc(seed.webhookId)}/deliveries/mo_walk/retry` }),
  },
  'POST /v1/keys': { scope: 'admin', otherTenant: 'own-data', ok: [201], request: (_seed, n) => ({ path: '/v1/keys', body: { name: `walk-${n}`, scopes: ['crm'] } }) },
  'GET /v1/keys': { scope: 'admin', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/keys' }) },
  'DELETE /v1/keys/{keyId}': { scope: 'admin', otherTenant: 'not-found', ok: [200], request: (seed) => ({ path: `/v1/keys/${enc(seed.keyId)}` }) },
  'GET /v1/customers/{id}/export': { scope: 'crm', otherTenant: 'not-found', ok: [200], request: (seed) => ({ path: `/v1/customers/${enc(seed.customerId)}/export` }) },
  'DELETE /v1/customers/{id}': {
    scope: 'admin',
    otherTenant: 'not-found',
    ok: [200],
    request: (seed, n) => ({ path: `/v1/customers/${enc(seed.erasableCustomerIds?.[n - 1] ?? `erasable-none-${n}`)}`, body: { reason: `erasure request walk-${n}` } }),
  },
  'GET /v1/audit': { scope: 'admin', otherTenant: 'own-data', ok: [200], request: () => ({ path: '/v1/audit?limit=500' }) },
};

/** One operation of the served document. */
export interface DocumentOperation {
  /** `METHOD template`, e.g. `GET /v1/customers/{id}`. */
  id: string;
  method: Method;
  template: string;
  hasBody: boolean;
  /** Names of the query parameters it declares. */
  queryParameters: string[];
}

/** Every operation of the served document. */
export async function documentOperations(world: World): Promise<DocumentOperation[]> {
  const res = await world.call('get', '/openapi.json', undefined);
  expect(res.status).to.equal(200);
  const paths = (res.body as { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ in: string; name: string }> }>> }).paths;
  const out: DocumentOperation[] = [];
  for (const [template, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const queryParameters = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      // A JSON body: what the body attacks change (an NDJSON import checks each line on its own: imports.test.ts).
      const hasBody = op.requestBody !== undefined && (op.requestBody as { content?: Record<string, unknown> }).content?.['application/json'] !== undefined;
      out.push({ id: `${method.toUpperCase()} ${template}`, method: method as Method, template, hasBody, queryParameters });
    }
  }
  return out;
}

/** The case of an operation, or a failure naming the operation that has none. */
export function caseOf(id: string): RouteCase {
  const found = ROUTE_CASES[id];
  if (!found) expect.fail(`operation ${id} is in /openapi.json but has no case in test/reliability/support/route-catalog.ts: add one so every suite covers it`);
  return found;
}

/** The key of tenant shop-a (or shop-b with `other`) for a scope. */
export function keyFor(world: World, scope: RouteCase['scope'], other = false): string | undefined {
  if (scope === 'public') return undefined;
  const keys = world.keys;
  if (scope === 'admin') return other ? keys.otherAdmin : keys.admin;
  if (scope === 'checkout') return other ? keys.otherCheckout : keys.checkout;
  return other ? keys.otherCrm : keys.crm;
}

/**
 * Seeds tenant shop-a: the program under a secret name, customer `ayu-a` with a secret email hash and a referral
 * code, an order `o-a1` with the secret sku (6 × Rp100.000 = 600 points, pending 3 days), 1,000 goodwill points, a
 * second customer `budi-a` (500 points, two orders the walk cancels each with a redemption tied to it, a sticker
 * whose voucher the walk uses), three
 * warranty contracts of ayu-a's (one with a secret serial number, two for the walk's transfers), three complaint cases
 * of ayu-a's with secret details (one the walk changes, two it resolves), three webhook endpoints (one the walk
 * changes, two it deletes) and a spare API key.
 */
export async function seedTenantA(world: World): Promise<Seed> {
  const ok = (res: { status: number; body: unknown }, what: string): void => {
    expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.be.oneOf([200, 201]);
  };
  ok(await world.call('put', '/v1/program', world.keys.admin, { ...reliabilityProgram(), name: 'Shop A secret program' }), 'program');
  ok(
    await world.call('put', '/v1/customers/ayu-a', world.keys.crm, {
      enrolledAt: world.clock.iso(),
      emailHash: 'sha256:secret-of-shop-a',
      referralCode: 'AYUA-2031',
      birthDate: '1990-01-06',
      timezone: 'Asia/Jakarta',
    }),
    'customer',
  );
  ok(
    await world.call('post', '/v1/orders', world.keys.checkout, orderOf('o-a1', 'ayu-a', world.clock.iso(), [
      { sku: 'SECRET-SKU-A', quantity: 1, unitPrice: '100000' },
      { sku: 'PH-1', quantity: 5, unitPrice: '100000' },
    ])),
    'order',
  );
  ok(await world.call('post', '/v1/customers/ayu-a/adjustments', world.keys.crm, { id: 'seed-adj', points: 1000, reason: 'seed' }), 'adjustment');
  ok(await world.call('put', `/v1/customers/${TRANSFEREE}`, world.keys.crm, { enrolledAt: world.clock.iso() }), 'second customer');
  const seedIds = { customerId: 'ayu-a', orderId: 'o-a1', keyId: '', webhookId: '', deletableWebhookIds: [] };
  // The second customer's orders the walk cancels, each with a redemption tied to it, one per pass.
  ok(await world.call('post', `/v1/customers/${TRANSFEREE}/adjustments`, world.keys.crm, { id: 'seed-adj-b', points: 500, reason: 'seed' }), 'adjustment of the second customer');
  for (const n of [1, 2]) {
    const orderId = cancellableOrderOf(seedIds, n);
    ok(await world.call('post', '/v1/orders', world.keys.checkout, orderOf(orderId, TRANSFEREE, world.clock.iso(), [{ sku: 'PH-1', quantity: 1, unitPrice: '100000' }])), `order ${orderId}`);
    const redemption = { id: cancellableRedemptionOf(seedIds, n), customerId: TRANSFEREE, orderId, orderTotal: '100000', points: 10 };
    ok(await world.call('post', '/v1/redemptions', world.keys.checkout, redemption), `redemption ${redemption.id}`);
  }
  // The second customer's sticker, whose voucher the walk uses.
  const sticker = await world.call('post', '/v1/rewards/sticker/redemptions', world.keys.checkout, { id: 'seed-rr', customerId: TRANSFEREE });
  ok(sticker, 'reward redemption');
  const voucherCode = (sticker.body as { voucher?: { code?: string } }).voucher?.code;
  if (typeof voucherCode !== 'string') expect.fail(`the reward redemption answered no voucher code: ${JSON.stringify(sticker.body)}`);
  for (const [i, id] of [contractOf(seedIds), transferredContractOf(seedIds, 1), transferredContractOf(seedIds, 2)].entries()) {
    const body = { id, customerId: 'ayu-a', planId: 'care-2y', product: tvOf(world, i === 0 ? 'SECRET-SERIAL-A' : `SN-SEED-${i}`) };
    ok(await world.call('post', '/v1/warranty/contracts', world.keys.checkout, body), `warranty contract ${id}`);
  }
  for (const id of [complaintOf(seedIds), resolvableComplaintOf(seedIds, 1), resolvableComplaintOf(seedIds, 2)]) {
    ok(await world.call('post', '/v1/cases', world.keys.crm, complaintBody(world, id, 'ayu-a', 'SECRET-CASE-A')), `case ${id}`);
  }
  const spare = await world.call('post', '/v1/keys', world.keys.admin, { name: 'spare', scopes: ['crm'] });
  ok(spare, 'spare key');
  const keyId = (spare.body as { keyId?: string }).keyId;
  if (typeof keyId !== 'string') expect.fail(`POST /v1/keys answered no keyId: ${JSON.stringify(spare.body)}`);
  const webhookIds: string[] = [];
  for (const name of ['walk', 'delete-1', 'delete-2']) {
    const created = await world.call('post', '/v1/webhooks', world.keys.admin, { url: `${WEBHOOK_URL}/${name}`, description: `SECRET-WEBHOOK-A ${name}` });
    ok(created, `webhook endpoint ${name}`);
    webhookIds.push((created.body as { id: string }).id);
  }
  const [webhookId = '', ...deletableWebhookIds] = webhookIds;
  // Profiles only: an erasure moves the customer's entries to the pseudonym, which the append-only walk would
  // rightly report as entries changed (the ledger's erasure tests cover a customer with every kind of record).
  const erasableCustomerIds = ['erasable-a-1', 'erasable-a-2'];
  for (const id of erasableCustomerIds) ok(await world.call('put', `/v1/customers/${id}`, world.keys.crm, { enrolledAt: world.clock.iso(), emailHash: `sha256:${id}`, tags: ['walk'] }), `erasable customer ${id}`);
  const imported = await world.call('post', '/v1/imports', world.keys.admin, `${JSON.stringify({ id: 'imported-a', emailHash: 'sha256:secret-of-shop-a', lots: [{ points: 5 }] })}\n`, { 'Content-Type': 'application/x-ndjson' });
  expect(imported.status, `import: ${JSON.stringify(imported.body)}`).to.equal(202);
  const importId = (imported.body as { importId: string }).importId;
  return { customerId: 'ayu-a', orderId: 'o-a1', keyId, webhookId, deletableWebhookIds, voucherCode, erasableCustomerIds, importId };
}
