/**
 * The `library` target: `@purna/rules` alone. It keeps, in memory, exactly the history summary the rules ask the
 * caller for (orders net of returns, usage counters, granted birthday and anniversary years, the first order,
 * referral links) — the part of a ledger the rules need to decide. It has no lots, so balances are reported as not
 * checked and redemptions as not run: never as passed.
 */
import {
  emptyAccountState,
  findReward,
  checkReturnWindow,
  decideDelivery,
  linesLeft,
  NEVER,
  pendingUntilDelivery,
  utcInstant,
  caseTransitionRefusal,
  checkReferralEnrolment,
  checkWarrantyEligibility,
  compileProgram,
  decideGoodwill,
  decideWarrantyClaim,
  evaluateAnniversary,
  evaluateBirthday,
  evaluateEvent,
  evaluateReferralOrder,
  evaluateReturn,
  evaluateTier,
  goodwillBudgetPeriod,
  orderPerks,
  parseProgram,
  quoteOrder,
  tierPerks,
  sameReferralCode,
  type CaseStatus,
  type CompiledProgram,
  type CustomerHistory,
  type CustomerInput,
  type OrderInput,
  type OrderSnapshot,
  type ReturnLineInput,
  type WarrantyProduct,
} from '@purna/rules';
import { observe, type Answer } from '../observe.js';
import type { ScenarioStep, StepOutcome, Target } from '../scenario.js';

interface CustomerState {
  profile: CustomerInput & { referralCode?: string; referredBy?: { code: string } };
  history: { orders: Array<{ id: string; placedAt: string; tierSpend: string; points: number }>; usage: Record<string, number> };
  birthdayYears: number[];
  anniversaryYears: number[];
  /** When the customer's first recorded order was placed: the date of their purchase anniversaries. */
  firstOrderAt?: string;
  referrerId?: string;
  ordered: boolean;
}

interface RecordedOrder {
  content: string;
  answer: Record<string, unknown>;
  order: OrderInput;
  snapshot: OrderSnapshot;
  awardedSoFar: number;
  returned: ReturnLineInput[];
  referral?: { referrerId: string; usage: Array<{ key: string; count: number }> };
  /** UTC ISO: when it was placed. */
  placedAt: string;
  deliveries: Array<{ deliveryId: string; at: string; followUpAt: string | null }>;
  cancelled?: string;
}

/** A warranty contract as the library target keeps it: what a claim is decided on. */
interface LibraryContract {
  planId: string;
  product: WarrantyProduct;
  tier: string | undefined;
  customerId: string;
  orderId?: string;
  /** A transfer was asked for: the owners are the ledger's to know. */
  transferred: boolean;
}

const LEDGER_ONLY = 'needs the ledger (lots and balances); run the memory, lmdb, mongo or http target';

function addUsage(usage: Record<string, number>, deltas: ReadonlyArray<{ key: string; count: number }>): void {
  for (const { key, count } of deltas) usage[key] = (usage[key] ?? 0) + count;
}

export function libraryTarget(): Target {
  let compiled: CompiledProgram | undefined;
  const customers = new Map<string, CustomerState>();
  const orders = new Map<string, RecordedOrder>();
  const answers = new Map<string, { content: string; answer: Record<string, unknown> }>();
  const campaignUsage: Record<string, number> = {};
  /** Goodwill points granted to all customers per budget period (the ledger's shared budget counter). */
  const goodwillBudget = new Map<string, number>();
  const contracts = new Map<string, LibraryContract>();

  function program(): CompiledProgram {
    if (!compiled) throw new Error('the target was not started');
    return compiled;
  }

  function customer(id: string | undefined): CustomerState {
    const state = id === undefined ? undefined : customers.get(id);
    if (!state) throw new Error(`customer ${id} is unknown to the library target`);
    return state;
  }

  function history(state: CustomerState): CustomerHistory {
    return { orders: state.history.orders, usage: state.history.usage, campaignUsage };
  }

  /** Natural-id replay: the same id and content answers the first answer; other content is a conflict. */
  function replay(kind: string, id: string, input: unknown): Answer | undefined {
    const previous = answers.get(`${kind}:${id}`);
    if (!previous) return undefined;
    if (previous.content !== JSON.stringify(input)) throw new Error(`${kind} ${id} was sent again with other content`);
    return { status: 200, body: previous.answer, replayed: true };
  }

  function remember(kind: string, id: string, input: unknown, answer: Record<string, unknown>): Answer {
    answers.set(`${kind}:${id}`, { content: JSON.stringify(input), answer });
    return { status: 200, body: answer, replayed: false };
  }

  function recordedOrder(orderId: string): RecordedOrder {
    const recorded = orders.get(orderId);
    if (!recorded) throw new Error(`order ${orderId} is unknown to the library target`);
    return recorded;
  }

  /** Applies a return of `lines` to the order and its customer's history; answers the clawback. */
  function takeBack(recorded: RecordedOrder, lines: ReturnLineInput[], at: string): number {
    const orderId = recorded.order.id;
    const state = customer(recorded.order.customerId);
    const decision = evaluateReturn(
      program(),
      { order: recorded.order, snapshot: recorded.snapshot, returnedBefore: recorded.returned, lines, awardedSoFar: recorded.awardedSoFar, customer: state.profile },
      { at },
    );
    recorded.awardedSoFar -= decision.clawback;
    recorded.returned.push(...lines);
    addUsage(state.history.usage, decision.usage);
    for (const { ruleId, points } of decision.campaignUsage) campaignUsage[ruleId] = (campaignUsage[ruleId] ?? 0) + points;
    const summary = state.history.orders.find((o) => o.id === orderId);
    if (summary) {
      summary.tierSpend = decision.tierSpendAfter;
      summary.points = decision.pointsAfter;
    }
    if (decision.reverseReferral && recorded.referral) {
      const referrer = customer(recorded.referral.referrerId);
      addUsage(referrer.history.usage, recorded.referral.usage.map(({ key, count }) => ({ key, count: -count })));
    }
    return decision.clawback;
  }
  /** Complaint cases by id: their status, moved by the rules' status flow. */
  const cases = new Map<string, CaseStatus>();

  const run: Record<ScenarioStep['op'], (step: ScenarioStep) => StepOutcome> = {
    'case.open'(step) {
      const id = String(step.input.id);
      const replayed = replay('case', id, step.input);
      if (replayed) return { kind: 'ran', values: observe('case.open', replayed) };
      cases.set(id, 'open');
      return { kind: 'ran', values: observe('case.open', remember('case', id, step.input, { caseId: id, status: 'open' })) };
    },
    'case.resolve'(step) {
      const id = String(step.input.id);
      const status = cases.get(id);
      if (status === undefined) throw new Error(`case ${id} was never opened`);
      // A resolution is the same request only with the same content at the same instant.
      const request = { ...step.input, at: step.at };
      const requestId = `${id}@${JSON.stringify(request)}`;
      const replayed = replay('case-resolution', requestId, request);
      if (replayed) return { kind: 'ran', values: observe('case.resolve', replayed) };
      const refused = caseTransitionRefusal(id, status, 'resolved');
      if (refused !== undefined) {
        return { kind: 'ran', values: observe('case.resolve', { status: 409, body: { reasons: [refused] }, replayed: false }) };
      }
      cases.set(id, 'resolved');
      return { kind: 'ran', values: observe('case.resolve', remember('case-resolution', requestId, request, { caseId: id, status: 'resolved' })) };
    },
    'customer.upsert'(step) {
      const profile = step.input as unknown as CustomerState['profile'];
      const state: CustomerState = customers.get(profile.id) ?? {
        profile,
        history: { orders: [], usage: {} },
        birthdayYears: [],
        anniversaryYears: [],
        ordered: false,
      };
      state.profile = profile;
      customers.set(profile.id, state);
      const body: Record<string, unknown> = { id: profile.id };
      if (profile.referredBy) {
        const referrer = [...customers.values()].find(
          (c) => c.profile.id !== profile.id && c.profile.referralCode !== undefined && sameReferralCode(c.profile.referralCode, profile.referredBy?.code ?? ''),
        );
        const decision = checkReferralEnrolment(program(), {
          referee: profile,
          referrer: referrer?.profile,
          refereeHasOrdered: state.ordered,
        });
        if (decision.status === 'pending') state.referrerId = decision.referrerId;
        body.referral = decision.status === 'pending' ? { status: 'pending' } : { status: 'rejected', reason: decision.reason };
      }
      return { kind: 'ran', values: observe('customer.upsert', { status: 200, body, replayed: false }) };
    },
    'customer.get'(step) {
      const state = customer(String(step.input.id));
      const tier = evaluateTier(program(), state.history, { at: step.at });
      const values = observe('customer.get', { status: 200, body: { tier: { id: tier.tierId }, perks: tierPerks(program(), tier.tierId) }, replayed: false });
      const unchecked = Object.fromEntries(['available', 'pending', 'expired', 'redeemed', 'balance'].map((k) => [k, LEDGER_ONLY]));
      return { kind: 'ran', values, unchecked };
    },
    'order.quote'(step) {
      const order = step.input as unknown as OrderInput;
      const state = customer(order.customerId);
      const quote = quoteOrder(program(), { customer: state.profile, order, history: history(state) }, { at: step.at });
      const perks = orderPerks(program(), quote.tierBefore, order);
      return { kind: 'ran', values: observe('order.quote', { status: 200, body: { points: quote.points, perks }, replayed: false }) };
    },
    'order.record'(step) {
      const order = step.input as unknown as OrderInput;
      const replayed = replay('order', order.id, order);
      if (replayed) return { kind: 'ran', values: observe('order.record', replayed) };
      const state = customer(order.customerId);
      const quote = quoteOrder(program(), { customer: state.profile, order, history: history(state) }, { at: order.placedAt ?? step.at });
      const body: Record<string, unknown> = { orderId: order.id, awarded: quote.points, tierBefore: quote.tierBefore, tierAfter: quote.tierAfter };
      const recorded: RecordedOrder = {
        content: JSON.stringify(order), answer: body, order, snapshot: quote.snapshot, awardedSoFar: quote.points, returned: [],
        placedAt: utcInstant(order.placedAt ?? step.at, '/placedAt'), deliveries: [],
      };
      if (state.referrerId) {
        const referrer = customer(state.referrerId);
        const decision = evaluateReferralOrder(
          program(),
          { referee: state.profile, referrer: referrer.profile, order, isFirstOrder: !state.ordered, history: { usage: referrer.history.usage } },
          { at: order.placedAt ?? step.at },
        );
        if (decision.qualifies) {
          addUsage(referrer.history.usage, decision.usage);
          body.referral = { referrer: decision.referrerPoints, referee: decision.refereePoints };
          recorded.referral = { referrerId: state.referrerId, usage: [...decision.usage] };
        }
        state.referrerId = undefined;
      }
      state.ordered = true;
      state.firstOrderAt ??= order.placedAt ?? step.at;
      addUsage(state.history.usage, quote.usage);
      for (const { ruleId, points } of quote.campaignUsage) campaignUsage[ruleId] = (campaignUsage[ruleId] ?? 0) + points;
      state.history.orders.push({ id: order.id, placedAt: order.placedAt ?? step.at, tierSpend: quote.tierSpend, points: quote.points });
      orders.set(order.id, recorded);
      return { kind: 'ran', values: observe('order.record', remember('order', order.id, order, body)) };
    },
    'order.return'(step) {
      const { orderId, id, lines, override } = step.input as { orderId: string; id: string; lines: ReturnLineInput[]; override?: { reason: string } };
      const replayed = replay('return', id, step.input);
      if (replayed) return { kind: 'ran', values: observe('order.return', replayed) };
      const recorded = recordedOrder(orderId);
      const at = utcInstant(step.at, '/at');
      const reasons = override ? [] : checkReturnWindow(program(), recorded, at);
      if (reasons.length > 0) {
        const values = observe('order.return', { status: 422, body: { reasons: reasons.map((r) => ({ code: r.code, message: r.message })) }, replayed: false });
        return { kind: 'ran', values };
      }
      const body = { returnId: id, clawedBack: takeBack(recorded, lines, step.at) };
      const values = observe('order.return', remember('return', id, step.input, body));
      return { kind: 'ran', values, unchecked: { balance: LEDGER_ONLY } };
    },
    'order.deliver'(step) {
      const { orderId, id } = step.input as { orderId: string; id: string };
      const replayed = replay('delivery', id, { orderId });
      if (replayed) return { kind: 'ran', values: observe('order.deliver', replayed) };
      const recorded = recordedOrder(orderId);
      const decision = decideDelivery(
        { current: program(), order: program() },
        { orderId, deliveries: recorded.deliveries, availableAt: pendingUntilDelivery(program()) ? NEVER : recorded.placedAt, ...(recorded.cancelled ? { cancellation: { cancellationId: recorded.cancelled, at: step.at, reason: '' } } : {}) },
        { deliveryId: id, at: utcInstant(step.at, '/at') },
      );
      if (!decision.accepted) throw new Error(decision.reason.message);
      recorded.deliveries.push({ deliveryId: id, at: decision.record.at, followUpAt: decision.record.followUpAt });
      const body = { deliveryId: id, orderId, followUpAt: decision.record.followUpAt, ...(decision.record.schedule ? { pointsAvailableAt: decision.record.schedule.availableAt } : {}) };
      return { kind: 'ran', values: observe('order.deliver', remember('delivery', id, { orderId }, body)) };
    },
    'order.cancel'(step) {
      const { orderId, id, reason } = step.input as { orderId: string; id: string; reason: string };
      const replayed = replay('cancellation', id, { orderId, reason });
      if (replayed) return { kind: 'ran', values: observe('order.cancel', replayed), unchecked: { redemptionsReleased: LEDGER_ONLY, vouchersReleased: LEDGER_ONLY } };
      const recorded = recordedOrder(orderId);
      if (recorded.deliveries.length > 0 || recorded.cancelled !== undefined) {
        return { kind: 'ran', values: observe('order.cancel', { status: 409, body: {}, replayed: false }) };
      }
      // Exactly a full return of every line left (decideOrderCancellation decides the same with the ledger's order).
      const lines = linesLeft({ order: recorded.order, returns: [{ lines: recorded.returned }] });
      const clawedBack = lines.length > 0 ? takeBack(recorded, lines, step.at) : 0;
      recorded.cancelled = id;
      const body = { cancellationId: id, orderId, clawedBack };
      return { kind: 'ran', values: observe('order.cancel', remember('cancellation', id, { orderId, reason }, body)), unchecked: { redemptionsReleased: LEDGER_ONLY, vouchersReleased: LEDGER_ONLY } };
    },
    'redemption.cancel'() {
      return { kind: 'not-run', reason: LEDGER_ONLY };
    },
    'event.record'(step) {
      const event = { ...(step.input as { id: string; customerId: string; type: string }), at: step.at };
      const replayed = replay('event', event.id, step.input);
      if (replayed) return { kind: 'ran', values: observe('event.record', replayed) };
      const state = customer(event.customerId);
      const decision = evaluateEvent(program(), { customer: state.profile, event, history: history(state) }, { at: step.at });
      addUsage(state.history.usage, decision.usage);
      const body = { eventId: event.id, awarded: decision.points, reason: decision.reason };
      return { kind: 'ran', values: observe('event.record', remember('event', event.id, step.input, body)) };
    },
    'redemption.create'() {
      return { kind: 'not-run', reason: LEDGER_ONLY };
    },
    // A reward is paid from the customer's lots, which this target does not keep, and a voucher is a reward's.
    'reward.redeem'() {
      return { kind: 'not-run', reason: LEDGER_ONLY };
    },
    'voucher.use'() {
      return { kind: 'not-run', reason: LEDGER_ONLY };
    },
    'goodwill.grant'(step) {
      const input = step.input as { id: string; customerId: string; reason: string; points?: number; rewardId?: string; caseId?: string; override?: { reason: string } };
      const replayed = replay('goodwill', input.id, step.input);
      // A refusal is stored as its reasons: its replay refuses again.
      if (replayed) return { kind: 'ran', values: observe('goodwill.grant', { ...replayed, status: 'reasons' in replayed.body ? 422 : 200 }) };
      // A reward's tiers, stock and voucher live with the account, which only the ledger keeps (a reward the program
      // does not have is refused without them).
      if (input.rewardId !== undefined && findReward(program(), input.rewardId)) return { kind: 'not-run', reason: LEDGER_ONLY };
      const state = customer(input.customerId);
      const period = goodwillBudgetPeriod(program(), step.at);
      const usage = Object.entries(state.history.usage).map(([key, count]) => ({ key, count, at: step.at }));
      // The scenario speaks as the shop's admin (the http target's key), so an override is honoured.
      const { id: goodwillId, customerId: _customerId, ...request } = input;
      const decision = decideGoodwill(program(), { ...emptyAccountState(), usage }, { goodwillId, ...request, actor: 'scenario' }, { mayOverride: true, budgetUsed: period === undefined ? 0 : (goodwillBudget.get(period) ?? 0) }, { at: step.at });
      if (!decision.granted) {
        const body = { reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) };
        answers.set(`goodwill:${input.id}`, { content: JSON.stringify(step.input), answer: body });
        return { kind: 'ran', values: observe('goodwill.grant', { status: 422, body, replayed: false }) };
      }
      for (const action of decision.actions) if (action.type === 'counters') addUsage(state.history.usage, action.deltas);
      if (period !== undefined) goodwillBudget.set(period, (goodwillBudget.get(period) ?? 0) + decision.points);
      const body = { goodwillId, granted: decision.points };
      return { kind: 'ran', values: observe('goodwill.grant', remember('goodwill', input.id, step.input, body)) };
    },
    'jobs.moments'() {
      return { kind: 'not-run', reason: LEDGER_ONLY };
    },
    'warranty.register'(step) {
      // The plan checked as the ledger checks it: the customer's tier on the day of the sale prices it.
      const input = step.input as { id: string; customerId: string; planId: string; product: WarrantyProduct & { serialNumber?: string }; orderId?: string };
      const replayed = replay('warranty', input.id, input);
      if (replayed) return { kind: 'ran', values: observe('warranty.register', replayed) };
      const tier = evaluateTier(program(), customer(input.customerId).history, { at: step.at }).tierId ?? undefined;
      const { serialNumber: _serial, ...product } = input.product;
      const plan = checkWarrantyEligibility(program(), { product, tier }, { at: step.at }).plans.find((p) => p.planId === input.planId);
      if (!plan) throw new Error(`plan ${input.planId} is not a warranty plan of the program`);
      if (!plan.eligible) return { kind: 'ran', values: observe('warranty.register', { status: 422, body: { reasons: plan.reasons }, replayed: false }) };
      contracts.set(input.id, { planId: input.planId, product, tier, customerId: input.customerId, ...(input.orderId !== undefined ? { orderId: input.orderId } : {}), transferred: false });
      return { kind: 'ran', values: observe('warranty.register', remember('warranty', input.id, input, { id: input.id, price: plan.price })) };
    },
    'warranty.transfer'(step) {
      const contract = contracts.get(String(step.input.contractId));
      if (contract) contract.transferred = true;
      return { kind: 'not-run', reason: LEDGER_ONLY };
    },
    'warranty.claim'(step) {
      const { contractId, ...claim } = step.input as { contractId: string; id: string; component: string; problem: string; customerId?: string };
      const replayed = replay('claim', claim.id, step.input);
      if (replayed) return { kind: 'ran', values: observe('warranty.claim', replayed) };
      const contract = contracts.get(contractId);
      if (!contract) return { kind: 'not-run', reason: `contract ${contractId} was not registered on this target` };
      // Who holds a transferred contract, and which contracts a return cancelled, are the ledger's records.
      if (contract.orderId !== undefined && (orders.get(contract.orderId)?.returned.length ?? 0) > 0) {
        return { kind: 'not-run', reason: 'a return of its order may have cancelled the contract: run the memory, lmdb, mongo or http target' };
      }
      if (claim.customerId !== undefined && contract.transferred) return { kind: 'not-run', reason: LEDGER_ONLY };
      const claimant = claim.customerId === undefined ? undefined : claim.customerId === contract.customerId ? ('owner' as const) : ('not-owner' as const);
      const decision = decideWarrantyClaim(
        program(),
        { planId: contract.planId, product: contract.product, ...(contract.tier !== undefined ? { tier: contract.tier } : {}), component: claim.component, ...(claimant ? { claimant } : {}) },
        { at: step.at },
      );
      const body = { claimId: claim.id, covered: decision.covered, coveredBy: decision.coveredBy, coveredUntil: decision.coveredUntil, reasons: decision.reasons };
      return { kind: 'ran', values: observe('warranty.claim', remember('claim', claim.id, step.input, body)) };
    },
    'moments.count'() {
      return { kind: 'not-run', reason: LEDGER_ONLY };
    },
    'jobs.birthdays'(step) {
      let granted = 0;
      let skipped = 0;
      for (const state of customers.values()) {
        const tier = evaluateTier(program(), state.history, { at: step.at }).tierId ?? undefined;
        const decision = evaluateBirthday(program(), state.profile, { at: step.at, alreadyGranted: state.birthdayYears, tier });
        if (decision.due && decision.year !== undefined) {
          state.birthdayYears.push(decision.year);
          granted += 1;
        } else skipped += 1;
      }
      return { kind: 'ran', values: observe('jobs.birthdays', { status: 200, body: { granted, skipped }, replayed: false }) };
    },
    'jobs.anniversaries'(step) {
      let granted = 0;
      let skipped = 0;
      for (const state of customers.values()) {
        const tier = evaluateTier(program(), state.history, { at: step.at }).tierId ?? undefined;
        const decision = evaluateAnniversary(program(), state.profile, {
          at: step.at,
          alreadyGranted: state.anniversaryYears,
          tier,
          ...(state.firstOrderAt ? { firstPurchaseAt: state.firstOrderAt } : {}),
        });
        if (decision.due && decision.year !== undefined) {
          state.anniversaryYears.push(decision.year);
          granted += 1;
        } else skipped += 1;
      }
      return { kind: 'ran', values: observe('jobs.anniversaries', { status: 200, body: { granted, skipped }, replayed: false }) };
    },
    'warranty.check'(step) {
      const input = step.input as { customerTier?: string; customerId?: string; product: never };
      const tier = input.customerTier ?? (input.customerId ? evaluateTier(program(), customer(input.customerId).history, { at: step.at }).tierId ?? undefined : undefined);
      const answer = checkWarrantyEligibility(program(), { product: input.product, tier }, { at: step.at });
      return { kind: 'ran', values: observe('warranty.check', { status: 200, body: { plans: answer.plans }, replayed: false }) };
    },
  };

  return {
    name: 'library',
    start(json) {
      compiled = compileProgram(parseProgram(json), { version: 1 });
      return Promise.resolve();
    },
    run(step) {
      return Promise.resolve(run[step.op](step));
    },
    close() {
      return Promise.resolve();
    },
  };
}
