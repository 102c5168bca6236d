/**
 * Extended-warranty contracts: register one for a customer's product (the plan is checked again, as
 * `POST /v1/warranty/eligibility` would answer, and refused with every reason), read it, list a customer's, and
 * transfer one to another customer.
 */
import { defineOperation, type Operation } from '../openapi/operation.js';
import { AtQuerySchema } from '../schemas/common-schemas.js';
import { IdParamsSchema } from '../schemas/id-schema.js';
import {
  WarrantyClaimListQuerySchema,
  WarrantyClaimPageSchema,
  WarrantyClaimRequestSchema,
  WarrantyClaimSchema,
  WarrantyContractListQuerySchema,
  WarrantyContractPageSchema,
  WarrantyContractRequestSchema,
  WarrantyContractSchema,
  WarrantyTransferRequestSchema,
  WarrantyTransferSchema,
} from '../schemas/warranty-contract-schemas.js';
import { ledgerReply } from './ledger-reply.js';
import { readPage } from './page-cursor.js';

const REPLAY_HEADER = { 'Idempotency-Replayed': '"true" when this answers a replay of the same id' };

/** The warranty contract operations. */
export function warrantyContractOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'registerWarrantyContract',
      method: 'post',
      path: '/v1/warranty/contracts',
      tag: 'warranty',
      summary: "Register an extended-warranty contract for a customer's product under a plan",
      description:
        "The plan is checked again with the newest published program and the customer's tier at `at`; a plan not " +
        'offered is refused with 422 and every reason. The contract keeps the program version, the price and the ' +
        'cover of every component as computed then. The id is the idempotency key: the same request again answers ' +
        'the first answer, other content under the same id is a 409.',
      scopes: ['checkout', 'crm'],
      body: WarrantyContractRequestSchema,
      responses: { 201: { description: 'Registered (or replayed).', schema: WarrantyContractSchema, headers: REPLAY_HEADER } },
      problems: [404, 409, 422],
      handler: async ({ body, ledger, principal, now, idempotency }) => {
        const { at, ...input } = body;
        return ledgerReply(201, await ledger.warrantyContracts.register(principal.tenantId, input, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'getWarrantyContract',
      method: 'get',
      path: '/v1/warranty/contracts/{id}',
      tag: 'warranty',
      summary: 'A warranty contract: its cover, price, program version and every owner, as of an instant',
      description: 'With `?at=`, the owner and history as they were then; a contract registered after `at` is a 404.',
      scopes: ['checkout', 'crm'],
      params: IdParamsSchema,
      query: AtQuerySchema,
      responses: { 200: { description: 'The contract.', schema: WarrantyContractSchema } },
      problems: [404],
      handler: async ({ params, query, ledger, principal, now }) =>
        ledgerReply(200, await ledger.warrantyContracts.get(principal.tenantId, params.id, { at: query.at ?? now() })),
    }),
    defineOperation({
      operationId: 'listCustomerWarrantyContracts',
      method: 'get',
      path: '/v1/customers/{id}/warranty-contracts',
      tag: 'customers',
      summary: 'The warranty contracts a customer owns, the most recently acquired first',
      description: "Contracts transferred away are not listed; each contract's `owners` keeps every owner.",
      scopes: ['crm'],
      params: IdParamsSchema,
      query: WarrantyContractListQuerySchema,
      responses: { 200: { description: 'One page.', schema: WarrantyContractPageSchema } },
      problems: [404],
      handler: async ({ params, query, ledger, principal, now }) => {
        const at = query.at ?? now();
        const limit = query.limit ?? 50;
        const page = await readPage(query.cursor, (cursor) =>
          ledger.warrantyContracts.listForCustomer(principal.tenantId, params.id, { at, limit, ...(cursor !== undefined ? { cursor } : {}) }),
        );
        return { status: 200, body: page };
      },
    }),
    defineOperation({
      operationId: 'transferWarrantyContract',
      method: 'post',
      path: '/v1/warranty/contracts/{id}/transfers',
      tag: 'warranty',
      summary: 'Transfer a warranty contract to another customer of this tenant',
      description:
        'The new owner must exist. Refused with 422 and every reason when the plan allows no (more) transfers, the ' +
        'cover has ended or the customer already owns it. The previous owners stay in `owners`. The transfer id ' +
        'is the idempotency key. Of two transfers decided on the same owner only one is made; the other is a 409.',
      scopes: ['crm'],
      params: IdParamsSchema,
      body: WarrantyTransferRequestSchema,
      responses: { 201: { description: 'Transferred (or replayed).', schema: WarrantyTransferSchema, headers: REPLAY_HEADER } },
      problems: [404, 409, 422],
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        const { at, ...input } = body;
        return ledgerReply(201, await ledger.warrantyContracts.transfer(principal.tenantId, params.id, input, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'claimWarrantyContract',
      method: 'post',
      path: '/v1/warranty/contracts/{id}/claims',
      tag: 'warranty',
      summary: 'Make a claim on a warranty contract: is this component covered on the claim day, and by whom?',
      description:
        "Decided per component by the cover it has on the claim day (`at`, a calendar day in the program's zone): " +
        "the manufacturer's (the component's own months when the product's `manufacturerWarranty.components` gives " +
        'them, else the unit\'s) through its last day, then the plan\'s (unless the plan excludes the component). ' +
        'Not covered is an answer (201) with every reason: `component-excluded`, `before-cover-starts`, ' +
        '`cover-ended`, `contract-cancelled` (its unit was returned), `transferred-away` / `not-owner` (when ' +
        '`customerId` names a claimant who does not hold the contract). Every claim joins the contract\'s service ' +
        'history. The claim id is the idempotency key: the same claim again answers the first answer, other ' +
        'content under the same id is a 409.',
      scopes: ['checkout', 'crm'],
      params: IdParamsSchema,
      body: WarrantyClaimRequestSchema,
      responses: { 201: { description: 'Decided and recorded (or replayed).', schema: WarrantyClaimSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        const { at, ...input } = body;
        return ledgerReply(201, await ledger.warrantyContracts.claim(principal.tenantId, params.id, input, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'listWarrantyContractClaims',
      method: 'get',
      path: '/v1/warranty/contracts/{id}/claims',
      tag: 'warranty',
      summary: "A warranty contract's service history: every claim with its decision, oldest first",
      description: 'With `?at=`, the claims made at or before that instant.',
      scopes: ['checkout', 'crm'],
      params: IdParamsSchema,
      query: WarrantyClaimListQuerySchema,
      responses: { 200: { description: 'One page.', schema: WarrantyClaimPageSchema } },
      problems: [404],
      handler: async ({ params, query, ledger, principal, now }) => {
        const at = query.at ?? now();
        const limit = query.limit ?? 50;
        const page = await readPage(query.cursor, (cursor) =>
          ledger.warrantyContracts.claims(principal.tenantId, params.id, { at, limit, ...(cursor !== undefined ? { cursor } : {}) }),
        );
        return { status: 200, body: page };
      },
    }),
  ];
}
