/**
 * Errors the ledger throws, each with a stable `code` the API maps to an HTTP status in one table. Bad input is the
 * rules' `InputError` (re-exported), so a request is judged the same way by the library and by the ledger.
 * "Not eligible" answers are not errors, except a refused redemption, which the API answers with 422 and reasons.
 */
export { InputError, ProgramError, type Problem } from '@purna/rules';
import type { Sentence } from '@purna/rules';

/** Something that does not exist in this tenant (a customer, an order, a program). */
export class NotFound extends Error {
  readonly code = 'not-found';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} "${id}" was not found`);
    this.name = 'NotFound';
  }
}

/** A request that contradicts what is stored (a referral code held by another customer, ...). */
export class Conflict extends Error {
  readonly code = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'Conflict';
  }
}

/**
 * A write that reached an account marked by an erasure (erasure.ts): the customer is being erased, or the account is
 * the pseudonymous one an erasure left. A Conflict (409): once the erasure is done the old id may be enrolled again.
 */
export class CustomerErased extends Conflict {
  constructor(readonly customerId: string) {
    super(`customer "${customerId}" is being erased; once the erasure is done the id may be enrolled again as a new customer`);
    this.name = 'CustomerErased';
  }
}

/** The same natural id or `Idempotency-Key` sent again with different content. */
export class IdempotencyMismatch extends Error {
  readonly code = 'idempotency-mismatch';
  constructor(readonly operationId: string) {
    super(`"${operationId}" was already used for a different request; send the same content to replay it, or use a new id`);
    this.name = 'IdempotencyMismatch';
  }
}

/** One reason a request is refused: its code, its English message, and the sentence to write it in another language. */
export interface RefusalReason {
  code: string;
  message: string;
  messageSentence?: Sentence;
}

/**
 * The reasons of a decision as a refusal keeps them: code, message and sentence, none of a decision's other fields.
 *
 * @example refusalReasons(decision.reasons) // [{ code: 'insufficient-points', message: '...', messageSentence: {...} }]
 */
export function refusalReasons(reasons: readonly RefusalReason[]): RefusalReason[] {
  return reasons.map((r) => ({ code: r.code, message: r.message, ...(r.messageSentence ? { messageSentence: r.messageSentence } : {}) }));
}

/**
 * A request refused with every reason: an answer (the API's 422 lists `reasons`), not malformed input, since the
 * same request may succeed another day, for another product or with an override. `what` names the request.
 */
export abstract class Refused extends Error {
  abstract readonly code: string;
  protected constructor(
    what: string,
    readonly reasons: RefusalReason[],
  ) {
    super(`${what}: ${reasons.map((r) => r.message).join('; ')}`);
  }
}

/** A redemption that cannot be made, with every reason. */
export class RedemptionRefused extends Refused {
  readonly code = 'redemption-refused';
  constructor(
    readonly redemptionId: string,
    reasons: RefusalReason[],
    readonly replayed = false,
  ) {
    super(`redemption "${redemptionId}" refused`, reasons);
    this.name = 'RedemptionRefused';
  }
}

/** A return the program's return window refuses, with every reason (an admin may override it with a reason). */
export class ReturnRefused extends Refused {
  readonly code = 'return-refused';
  constructor(
    readonly returnId: string,
    reasons: RefusalReason[],
  ) {
    super(`return "${returnId}" refused`, reasons);
    this.name = 'ReturnRefused';
  }
}

/** A goodwill gesture that cannot be granted, with every reason (`unknown-reason`, `budget-exhausted`, ...). */
export class GoodwillRefused extends Refused {
  readonly code = 'goodwill-refused';
  constructor(
    readonly goodwillId: string,
    reasons: RefusalReason[],
    readonly replayed = false,
  ) {
    super(`goodwill "${goodwillId}" refused`, reasons);
    this.name = 'GoodwillRefused';
  }
}

/** A reward redemption that cannot be made, with every reason (`insufficient-points`, `out-of-stock`, ...). */
export class RewardRefused extends Refused {
  readonly code = 'reward-refused';
  constructor(
    readonly redemptionId: string,
    reasons: RefusalReason[],
    readonly replayed = false,
  ) {
    super(`reward redemption "${redemptionId}" refused`, reasons);
    this.name = 'RewardRefused';
  }
}

/** A voucher that cannot be used (`voucher-used`, `voucher-expired`, `voucher-unknown`, `voucher-other-customer`). */
export class VoucherRefused extends Refused {
  readonly code = 'voucher-refused';
  constructor(
    readonly voucherCode: string,
    reasons: RefusalReason[],
    readonly replayed = false,
  ) {
    super(`voucher "${voucherCode}" refused`, reasons);
    this.name = 'VoucherRefused';
  }
}

/** A write that kept losing the race for its customer's account (extreme contention); retrying is safe. */
export class ContentionError extends Error {
  readonly code = 'contention';
  constructor(readonly operationId: string) {
    super(`operation "${operationId}" could not update its account after many attempts; retry it`);
    this.name = 'ContentionError';
  }
}
