/**
 * Customers: creating and updating a profile, claiming its referral code, and deciding the referral it enrols with
 * (once, at the first profile that carries it).
 */
import { CustomerInputSchema, InputError, normalizeReferralCode, utcInstant, type CustomerInput } from '@purna/rules';
import { getAccountHead, replaceAccount, summarize } from '../account/account-store.js';
import type { UpsertedCustomer } from '../contract/answers.js';
import { Conflict } from '../errors.js';
import { withDueAt } from '../moments/moments-due.js';
import { readAccount } from '../write-protocol.js';
import { customerOf } from './account-view.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, ReadOptions } from './ledger-context.js';
import { checkReferralEnrolment } from './rules-port.js';

/**
 * Creates or updates a customer's profile. A referral (`referredBy`) is decided once, at the first profile that
 * carries it; a referral code is claimed for this customer only (another customer's code is a Conflict).
 */
export async function upsertCustomer(ctx: LedgerContext, tenantId: string, input: unknown, options: ReadOptions = {}): Promise<UpsertedCustomer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  const profile = checkInput(CustomerInputSchema, input, '', 'customer');
  checkId(profile.id, '/id', 'customer id');
  const at = ctx.at(options);
  if (profile.enrolledAt) utcInstant(profile.enrolledAt, '/enrolledAt');
  if (profile.referralCode) {
    const key = codeKey(profile.referralCode);
    if (key === undefined) {
      throw new InputError([{ pointer: '/referralCode', code: 'invalid-referral-code', message: `a referral code is 1 to 64 letters and digits (spaces and hyphens are ignored), got ${JSON.stringify(profile.referralCode)}` }]);
    }
    const claim = await ctx.store.insert<{ customerId: string }>('referralCodes', tenantId, key, { customerId: profile.id });
    if (claim.record.doc.customerId !== profile.id) throw new Conflict(`referral code "${profile.referralCode}" belongs to another customer`);
  }
  // A referral needs the program; without one the profile is still kept (the due index waits for a program).
  const loaded = profile.referredBy ? await ctx.programs.load(tenantId) : await ctx.programInForce(tenantId);
  for (;;) {
    const account = await readAccount(ctx.store, tenantId, profile.id, true);
    if (!account) throw new Error('ledger: account could not be created');
    const doc = account.doc;
    const merged: CustomerInput = { ...(doc.profile ?? {}), ...profile, enrolledAt: doc.profile?.enrolledAt ?? profile.enrolledAt ?? at };
    let referral = doc.referral;
    if (!referral && profile.referredBy && loaded) {
      const presented = codeKey(profile.referredBy.code);
      const referrerId = presented ? (await ctx.store.get<{ customerId: string }>('referralCodes', tenantId, presented))?.doc.customerId : undefined;
      const referrerAccount = referrerId ? await getAccountHead(ctx.store, tenantId, referrerId) : undefined;
      const decision = checkReferralEnrolment(loaded.compiled, {
        referee: merged,
        referrer: referrerAccount ? customerOf(referrerAccount.doc) : undefined,
        refereeHasOrdered: doc.firstOrderId !== undefined,
      });
      referral = {
        code: profile.referredBy.code,
        status: decision.status,
        ...(decision.status === 'rejected' ? { reason: decision.reason } : {}),
        ...(decision.status === 'pending' && referrerId ? { referrerId } : {}),
      };
    }
    // A birth date or zone moves the next birthday: the account is filed again in the due index.
    const next = await withDueAt(ctx.store, tenantId, doc, { ...doc, profile: merged, ...(referral ? { referral } : {}) }, loaded, at);
    if (await replaceAccount(ctx.store, tenantId, account.version, next, summarize(next, doc))) {
      return { ...merged, ...(referral ? { referral: { status: referral.status, ...(referral.reason ? { reason: referral.reason } : {}) } } : {}) };
    }
  }
}

/** A referral code in the rules' canonical form ("ayu-2026" and "AYU 2026" are one code), or undefined if unusable. */
export function codeKey(code: string): string | undefined {
  try {
    return normalizeReferralCode(code);
  } catch {
    return undefined;
  }
}
