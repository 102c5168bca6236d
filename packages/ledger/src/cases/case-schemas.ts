/**
 * What complaint cases take and answer: one TypeBox schema each, checked at the ledger's boundary (input-check.ts)
 * and referenced by the API's OpenAPI document. The fields are those of a shop's complaint form: when it came in,
 * through which channel, who took it, which department has it, what was done, the callback deadline, who resolved
 * it and who signed it off.
 */
import { CASE_STATUSES } from '@purna/rules';
import { Type, type Static } from '@sinclair/typebox';
import { idSchema, instantSchema, textSchema } from '../contract/primitives.js';

/** The channels a complaint comes in through. */
export const CASE_CHANNELS = ['phone', 'email', 'chat', 'messaging', 'social', 'web-form', 'in-store', 'letter', 'other'] as const;

/** A channel. */
export type CaseChannel = (typeof CASE_CHANNELS)[number];

const requestInstant = (what: string) => Type.String({ format: 'date-time', maxLength: 40, description: `${what}: an ISO 8601 instant with an offset like "2026-12-02T09:30:00+07:00"` });

const person = (what: string) => textSchema(what, 200);
const departmentSchema = textSchema('the department that handles the case, like "logistics"', 100);

/**
 * A complaint to open as a case.
 *
 * @example
 * { id: 'c-1', customerId: 'ayu', orderId: 'o-1', channel: 'phone', receivedAt: '2026-12-02T09:30:00+07:00', receivedBy: 'dewi', department: 'logistics', summary: 'TV delivered 5 days late', callbackBy: '2026-12-03T17:00:00+07:00' }
 */
export const CaseOpenRequestSchema = Type.Object(
  {
    id: idSchema('a case id (its natural idempotency key)'),
    customerId: idSchema('the id of the customer who complains'),
    orderId: Type.Optional(idSchema('the order the complaint is about')),
    sku: Type.Optional(idSchema('the product the complaint is about')),
    channel: Type.Unsafe<CaseChannel>(Type.String({ enum: [...CASE_CHANNELS], description: `the channel it came in through, one of ${CASE_CHANNELS.join(', ')}` })),
    receivedAt: requestInstant('when the complaint came in'),
    receivedBy: person('who took it (a support agent)'),
    department: departmentSchema,
    summary: textSchema('the complaint in a line', 200),
    details: Type.Optional(textSchema('what the customer said, in full', 4000)),
    callbackBy: Type.Optional(requestInstant('the callback promised to the customer, by this instant')),
  },
  { additionalProperties: false, description: 'a case {"id", "customerId", "channel", "receivedAt", "receivedBy", "department", "summary"}' },
);
/** A complaint to open. */
export type CaseOpenRequest = Static<typeof CaseOpenRequestSchema>;

/**
 * A change to a case and who makes it: at least one field besides `by`. A `status` of `resolved` is made by a
 * resolution (it needs its outcome), never here.
 *
 * @example
 * { by: 'dewi', status: 'in-progress', action: 'asked the courier for the delivery log' }
 */
export const CaseChangeRequestSchema = Type.Object(
  {
    by: person('who makes the change'),
    status: Type.Optional(Type.Unsafe<'in-progress' | 'closed'>(Type.String({ enum: ['in-progress', 'closed'], description: 'the new status, in-progress or closed (a resolution resolves a case)' }))),
    department: Type.Optional(departmentSchema),
    assignedTo: Type.Optional(person('who handles the case now')),
    action: Type.Optional(textSchema('what was done, added to the case\'s actions', 2000)),
    callbackBy: Type.Optional(requestInstant('a callback promised by this instant (replaces the one promised before)')),
    callbackDone: Type.Optional(Type.Literal(true, { description: 'true: the promised callback was made' })),
    signedOffBy: Type.Optional(person('who signed the case off (with status closed)')),
  },
  { additionalProperties: false, minProperties: 2, description: 'a change {"by", and "status", "department", "assignedTo", "action", "callbackBy", "callbackDone" or "signedOffBy"}' },
);
/** A change to a case. */
export type CaseChangeRequest = Static<typeof CaseChangeRequestSchema>;

/**
 * A case's resolution.
 *
 * @example
 * { resolvedBy: 'rudi', outcome: 'shipping refunded and goodwill points granted', signedOffBy: 'sari' }
 */
export const CaseResolutionRequestSchema = Type.Object(
  {
    resolvedBy: person('who resolved the case'),
    outcome: textSchema('what was done to resolve it', 2000),
    signedOffBy: Type.Optional(person('who signed the resolution off')),
  },
  { additionalProperties: false, description: 'a resolution {"resolvedBy", "outcome"}' },
);
/** A case's resolution. */
export type CaseResolutionRequest = Static<typeof CaseResolutionRequestSchema>;

const statusSchema = Type.Unsafe<(typeof CASE_STATUSES)[number]>(Type.String({ enum: [...CASE_STATUSES], description: `a case status, one of ${CASE_STATUSES.join(', ')}` }));

/** One entry of a case's history: who changed what, when. */
export const CaseHistoryEntrySchema = Type.Object({
  at: instantSchema('when the change was made (UTC)'),
  by: Type.String({ description: 'who made it' }),
  change: Type.Unsafe<'opened' | 'updated' | 'resolved'>(Type.String({ enum: ['opened', 'updated', 'resolved'], description: 'what kind of change: opened, updated or resolved' })),
  status: statusSchema,
  previousStatus: Type.Optional(statusSchema),
  fields: Type.Array(Type.String(), { description: 'the fields the change set' }),
});

/** A case as the ledger answers it: the form, its status, what was done and its whole history. */
export const CaseSchema = Type.Object({
  caseId: Type.String(),
  customerId: Type.String(),
  orderId: Type.Optional(Type.String()),
  sku: Type.Optional(Type.String()),
  channel: Type.String(),
  receivedAt: instantSchema('when the complaint came in (UTC)'),
  receivedBy: Type.String(),
  department: Type.String(),
  assignedTo: Type.Optional(Type.String()),
  summary: Type.String(),
  details: Type.Optional(Type.String()),
  status: statusSchema,
  callback: Type.Optional(
    Type.Object({
      by: instantSchema('the callback was promised by this instant (UTC)'),
      done: Type.Boolean(),
      doneAt: Type.Optional(instantSchema('when it was marked done')),
      doneBy: Type.Optional(Type.String()),
    }),
  ),
  actions: Type.Array(Type.Object({ at: instantSchema('when'), by: Type.String(), action: Type.String() }), { description: 'what was done, oldest first' }),
  resolution: Type.Optional(
    Type.Object({
      at: instantSchema('when the case was resolved (UTC)'),
      resolvedBy: Type.String(),
      outcome: Type.String(),
      signedOffBy: Type.Optional(Type.String()),
      followUpAt: instantSchema('when `case.follow-up-due` is due'),
    }),
  ),
  closed: Type.Optional(Type.Object({ at: instantSchema('when the case was closed (UTC)'), by: Type.String(), signedOffBy: Type.Optional(Type.String()) })),
  history: Type.Array(CaseHistoryEntrySchema, { minItems: 1, description: 'every change, oldest first; the first is the opening' }),
});
/** A case as the ledger answers it. */
export type CaseView = Static<typeof CaseSchema>;

/** One page of cases. */
export const CasePageSchema = Type.Object({
  items: Type.Array(CaseSchema),
  nextCursor: Type.Optional(Type.String({ description: 'pass as cursor for the next page' })),
});
/** One page of cases. */
export type CasePage = Static<typeof CasePageSchema>;
