/**
 * What a checkout calls: quote a cart, record a paid order, record a return, redeem points, record an event.
 */
import { OrderRequestSchema, QuoteAnswerSchema } from '@purna/ledger';
import { OrderInputSchema } from '@purna/rules';
import { Type } from '@sinclair/typebox';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { ApiError } from '../http/problem.js';
import { IdParamsSchema, IdSchema } from '../schemas/id-schema.js';
import {
  CancellationBodySchema,
  CancellationRecordedSchema,
  DeliveryBodySchema,
  DeliveryRecordedSchema,
  RedemptionCancellationBodySchema,
  RedemptionCancellationRecordedSchema,
  EventBodySchema,
  EventRecordedSchema,
  OrderRecordedSchema,
  RedemptionBodySchema,
  RedemptionRecordedSchema,
  ReturnBodySchema,
  ReturnRecordedSchema,
} from '../schemas/ledger-schemas.js';
import { ledgerReply } from './ledger-reply.js';

const REPLAY_HEADER = { 'Idempotency-Replayed': '"true" when this answers a replay of the same id' };
const OrderIdParams = Type.Object({ orderId: IdSchema }, { additionalProperties: false });

/** The checkout operations. */
export function checkoutOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'quoteOrder',
      method: 'post',
      path: '/v1/orders/quote',
      tag: 'orders',
      summary: "Points an order would earn and what the tier's perks take off it (nothing is written)",
      scopes: ['checkout'],
      body: OrderInputSchema,
      responses: { 200: { description: 'The quote, with its explanation.', schema: QuoteAnswerSchema } },
      problems: [404],
      handler: async ({ body, ledger, principal, now }) =>
        ledgerReply(200, await ledger.quoteOrder(principal.tenantId, body, { at: body.placedAt ?? now() })),
    }),
    defineOperation({
      operationId: 'recordOrder',
      method: 'post',
      path: '/v1/orders',
      tag: 'orders',
      summary: 'Record a paid order and award its points',
      description: 'The order id is its idempotency key: the same order again answers the first answer and changes nothing.',
      scopes: ['checkout'],
      body: OrderRequestSchema,
      responses: { 201: { description: 'Recorded (or replayed).', schema: OrderRecordedSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ body, ledger, principal, now, idempotency }) =>
        // An order happened at its placedAt: the ledger applies it as of then (pending periods, debt repayment).
        ledgerReply(201, await ledger.recordOrder(principal.tenantId, body, { at: body.placedAt ?? now(), ...idempotency })),
    }),
    defineOperation({
      operationId: 'returnOrder',
      method: 'post',
      path: '/v1/orders/{orderId}/returns',
      tag: 'orders',
      summary: 'Record a return and claw back exactly what the returned quantities earned',
      description:
        "A return after the window of the program's `returns` section is refused with 422 and `return-window-ended`; " +
        'an admin key may send `override: { reason }` to take it all the same (the reason is recorded on the return).',
      scopes: ['checkout'],
      params: OrderIdParams,
      body: ReturnBodySchema,
      responses: { 201: { description: 'Recorded (or replayed).', schema: ReturnRecordedSchema, headers: REPLAY_HEADER } },
      problems: [403, 404, 409, 422],
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        const { at, ...request } = body;
        if (request.override && !principal.scopes.includes('admin')) throw new ApiError('forbidden', 'Only admin keys may override the return window.');
        return ledgerReply(201, await ledger.returnOrder(principal.tenantId, params.orderId, request, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'deliverOrder',
      method: 'post',
      path: '/v1/orders/{orderId}/deliveries',
      tag: 'orders',
      summary: 'Record a delivery of an order (its follow-up call, and points that wait for delivery)',
      description:
        'Emits `order.delivered`; `follow-up.due` comes `moments.followUp.daysAfterDelivery` later. With `points.pendingFrom: ' +
        '"delivery"` the first delivery starts the pending days of the order\'s points. A cancelled order cannot be delivered (409). ' +
        'The delivery id is the idempotency key.',
      scopes: ['checkout', 'crm'],
      params: OrderIdParams,
      body: DeliveryBodySchema,
      responses: { 201: { description: 'Recorded (or replayed).', schema: DeliveryRecordedSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        const { at, ...request } = body;
        return ledgerReply(201, await ledger.deliverOrder(principal.tenantId, params.orderId, request, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'cancelOrder',
      method: 'post',
      path: '/v1/orders/{orderId}/cancellation',
      tag: 'orders',
      summary: 'Cancel an order before delivery: take back what it earned and release its redemptions',
      description:
        'Takes back exactly what a full return of every line left would (caps, tier spend and referral included) and puts ' +
        'the points of every redemption tied to the order back into the lots they came from. After a delivery it is a 409: ' +
        'record a return instead. The cancellation id is the idempotency key.',
      scopes: ['checkout', 'crm'],
      params: OrderIdParams,
      body: CancellationBodySchema,
      responses: { 200: { description: 'Cancelled (or replayed).', schema: CancellationRecordedSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        const { at, ...request } = body;
        return ledgerReply(200, await ledger.cancelOrder(principal.tenantId, params.orderId, request, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'cancelRedemption',
      method: 'post',
      path: '/v1/redemptions/{id}/cancellation',
      tag: 'redemptions',
      summary: 'Cancel a redemption: its points go back into the lots they came from',
      description:
        'Each point goes back into its own lot with its original expiry; points whose lot has expired since come back expired ' +
        '(`expired`). One cancellation per redemption: a second one answers the first; a redemption its order\'s cancellation ' +
        'released answers that release.',
      scopes: ['checkout', 'crm'],
      params: IdParamsSchema,
      body: RedemptionCancellationBodySchema,
      responses: { 200: { description: 'Cancelled (or replayed).', schema: RedemptionCancellationRecordedSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        const { at, ...request } = body;
        return ledgerReply(200, await ledger.cancelRedemption(principal.tenantId, params.id, request, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'createRedemption',
      method: 'post',
      path: '/v1/redemptions',
      tag: 'redemptions',
      summary: 'Redeem points for a discount on an order',
      description: 'Refused with 422 and every reason (below the minimum, over the available balance, over the share of the order, ...).',
      scopes: ['checkout'],
      body: RedemptionBodySchema,
      responses: { 201: { description: 'Redeemed (or replayed).', schema: RedemptionRecordedSchema, headers: REPLAY_HEADER } },
      problems: [404, 409, 422],
      handler: async ({ body, ledger, principal, now, idempotency }) => {
        const { at, ...input } = body;
        return ledgerReply(201, await ledger.redeem(principal.tenantId, input, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'recordEvent',
      method: 'post',
      path: '/v1/events',
      tag: 'events',
      summary: 'Record a custom event (a review, a survey...) and award its points within their limits',
      scopes: ['checkout', 'crm'],
      body: EventBodySchema,
      responses: { 201: { description: 'Recorded (or replayed); `reason` says why when zero.', schema: EventRecordedSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ body, ledger, principal, now, idempotency }) => {
        const { at, ...event } = body;
        return ledgerReply(201, await ledger.recordEvent(principal.tenantId, event, { at: at ?? now(), ...idempotency }));
      },
    }),
  ];
}
