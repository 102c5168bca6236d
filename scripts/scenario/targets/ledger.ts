/**
 * The `memory`, `lmdb` and `mongo` targets: drive `@purna/ledger` in-process on that store, with the same
 * API-shaped answers the REST API gives (see ../observe.ts), for tenant `default`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseTransitionRefused, Conflict, GoodwillRefused, openLedger, RedemptionRefused, ReturnRefused, RewardRefused, VoucherRefused, WarrantyPlanRefused, WarrantyTransferRefused, type Ledger } from '@purna/ledger';
import { countMoments, noVoucher, observe, VoucherCodes, type Answer } from '../observe.js';
import type { ScenarioStep, StepOutcome, Target } from '../scenario.js';

const TENANT = 'default';

export type StoreChoice = 'memory' | 'lmdb' | { kind: 'mongo'; uri: string; dbName: string };

/** A ledger target, and the ledger it drives (between `start` and `close`), for a caller that reads what it left. */
export interface LedgerTarget extends Target {
  ledger(): Ledger;
}

function refusal(error: unknown): Answer | undefined {
  if (error instanceof RedemptionRefused || error instanceof ReturnRefused || error instanceof WarrantyPlanRefused || error instanceof WarrantyTransferRefused || error instanceof GoodwillRefused || error instanceof RewardRefused || error instanceof VoucherRefused) {
    return { status: 422, body: { reasons: error.reasons }, replayed: false };
  }
  if (error instanceof CaseTransitionRefused) return { status: 409, body: { reasons: error.reasons }, replayed: false };
  return undefined;
}

/** A cancellation the order's state refuses (delivered, or cancelled before), as the API answers it: 409. */
function conflict(error: unknown): Answer | undefined {
  return error instanceof Conflict ? { status: 409, body: { detail: error.message }, replayed: false } : undefined;
}

function rethrow(error: unknown): never {
  throw error;
}

export function ledgerTarget(store: StoreChoice): LedgerTarget {
  let ledger: Ledger | undefined;
  let dataDir = '';
  const vouchers = new VoucherCodes();
  const name = typeof store === 'string' ? store : 'mongo';

  function open(): Ledger {
    if (!ledger) throw new Error('the target was not started');
    return ledger;
  }

  function asAnswer(body: unknown): Answer {
    const record = body as Record<string, unknown>;
    return { status: 200, body: record, replayed: record.replayed === true };
  }

  return {
    name,
    ledger: open,
    async start(program) {
      if (store === 'memory') ledger = await openLedger({ store: 'memory' });
      else if (store === 'lmdb') {
        dataDir = mkdtempSync(join(tmpdir(), 'purna-scenario-lmdb-'));
        ledger = await openLedger({ store: { kind: 'lmdb', path: dataDir } });
      } else ledger = await openLedger({ store });
      await ledger.publishProgram(TENANT, program);
    },
    async run(step: ScenarioStep): Promise<StepOutcome> {
      const l = open();
      const input = step.input as Record<string, never>;
      const at = step.at;
      let answer: Answer;
      switch (step.op) {
        case 'customer.upsert':
          answer = asAnswer(await l.upsertCustomer(TENANT, input, { at }));
          break;
        case 'customer.get':
          answer = asAnswer(await l.getCustomer(TENANT, String(step.input.id), { at }));
          break;
        case 'order.quote':
          answer = asAnswer(await l.quoteOrder(TENANT, input, { at }));
          break;
        case 'order.record':
          answer = asAnswer(await l.recordOrder(TENANT, input, { at }));
          break;
        case 'order.return': {
          const { orderId, ...body } = step.input;
          try {
            answer = asAnswer(await l.returnOrder(TENANT, String(orderId), body, { at }));
          } catch (error) {
            answer = refusal(error) ?? rethrow(error);
          }
          break;
        }
        case 'order.deliver': {
          const { orderId, ...body } = step.input;
          answer = asAnswer(await l.deliverOrder(TENANT, String(orderId), body, { at }));
          break;
        }
        case 'order.cancel': {
          const { orderId, ...body } = step.input;
          try {
            answer = asAnswer(await l.cancelOrder(TENANT, String(orderId), body, { at }));
          } catch (error) {
            answer = conflict(error) ?? rethrow(error);
          }
          break;
        }
        case 'redemption.cancel': {
          const { id, ...body } = step.input;
          answer = asAnswer(await l.cancelRedemption(TENANT, String(id), body, { at }));
          break;
        }
        case 'event.record':
          answer = asAnswer(await l.recordEvent(TENANT, input, { at }));
          break;
        case 'redemption.create':
          try {
            answer = asAnswer(await l.redeem(TENANT, input, { at }));
          } catch (error) {
            const refused = refusal(error);
            if (!refused) throw error;
            answer = refused;
          }
          break;
        case 'jobs.birthdays':
          answer = asAnswer(await l.runBirthdaySweep(TENANT, { at }));
          break;
        case 'jobs.anniversaries':
          answer = asAnswer(await l.runAnniversarySweep(TENANT, { at }));
          break;
        case 'warranty.check':
          answer = asAnswer(await l.checkWarranty(TENANT, input, { at }));
          break;
        case 'warranty.register':
          try {
            answer = asAnswer(await l.warrantyContracts.register(TENANT, input, { at }));
          } catch (error) {
            answer = refusal(error) ?? rethrow(error);
          }
          break;
        case 'warranty.transfer': {
          const { contractId, ...body } = step.input;
          try {
            answer = asAnswer(await l.warrantyContracts.transfer(TENANT, String(contractId), body, { at }));
          } catch (error) {
            answer = refusal(error) ?? rethrow(error);
          }
          break;
        }
        case 'case.open':
          // The complaint came in at the step's instant unless the case says when.
          answer = asAnswer(await l.cases.open(TENANT, { receivedAt: at, ...step.input }));
          break;
        case 'case.resolve': {
          const { id, ...body } = step.input;
          try {
            answer = asAnswer(await l.cases.resolve(TENANT, String(id), body, { at }));
          } catch (error) {
            answer = refusal(error) ?? rethrow(error);
          }
          break;
        }
        case 'goodwill.grant':
          // The scenario speaks as the shop's admin (the http target's key), so an override is honoured.
          try {
            answer = asAnswer(await l.grantGoodwill(TENANT, { ...input, actor: 'scenario' }, { at, mayOverride: true }));
          } catch (error) {
            answer = refusal(error) ?? rethrow(error);
          }
          break;
        case 'reward.redeem': {
          const { rewardId, ...body } = step.input;
          try {
            answer = asAnswer(await l.redeemReward(TENANT, { ...body, rewardId }, { at }));
          } catch (error) {
            answer = refusal(error) ?? rethrow(error);
          }
          vouchers.remember(String(body.id), answer);
          break;
        }
        case 'voucher.use': {
          const code = vouchers.codeFor(step.input);
          if (code === undefined) return { kind: 'not-run', reason: noVoucher(step.input) };
          const { orderId, customerId } = step.input;
          try {
            answer = asAnswer(await l.useVoucher(TENANT, code, { orderId, customerId }, { at }));
          } catch (error) {
            answer = refusal(error) ?? rethrow(error);
          }
          break;
        }
        case 'warranty.claim': {
          const { contractId, ...body } = step.input;
          answer = asAnswer(await l.warrantyContracts.claim(TENANT, String(contractId), body, { at }));
          break;
        }
        case 'jobs.moments':
          answer = asAnswer(await l.runMomentsJob(TENANT, { at }));
          break;
        case 'moments.count': {
          const customerId = String(step.input.customerId);
          answer = await countMoments((after) => l.listMoments(TENANT, { customerId, limit: 500, ...(after !== undefined ? { after } : {}) }));
          break;
        }
      }
      return { kind: 'ran', values: observe(step.op, answer) };
    },
    async close() {
      await ledger?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
