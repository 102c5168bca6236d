/**
 * The rewards catalog and vouchers in the rules: the `rewards` section's checks (with pointers), the catalog's
 * reasons, a redemption's debits (soonest-expiring lots first, never while the balance is negative), voucher codes, a
 * voucher used once, released by its order's cancellation, and expired by the moments run (points back only when
 * the reward says so). The program is the after-sales example's (IDR, Asia/Jakarta, UTC+7 without daylight saving):
 * voucher-50k (500 points, Rp50.000, 30 days, 2 a month), free-shipping (150 points, 14 days), powerbank (2000
 * points, a gift, 100 in stock, gold only). Figures are worked by hand from it.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  applyActions,
  compileProgram,
  decideDueMoments,
  decideRewardRedemption,
  decideVoucherUse,
  emptyAccountState,
  formatVoucherCode,
  InputError,
  normalizeVoucherCode,
  parseProgram,
  ProgramError,
  rewardCatalog,
  viewPoints,
  voucherReleases,
  voucherStatus,
  VOUCHER_ALPHABET,
  type AccountState,
  type AccountAction,
} from '../../src/index.js';

const aftercare = JSON.parse(readFileSync(new URL('../../../../../shared/examples/toko-aftercare.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const compiled = compileProgram(parseProgram(aftercare));

/** 10 December 2026, 10:00 in Jakarta. */
const AT = '2026-12-10T03:00:00.000Z';
const CODE = 'K7QM-2XPA-9RHD-TWCE';

/** An account with two adjustment lots available at once: 300 points expiring in March, 1000 in June 2027. */
function account(): AccountState {
  const award = (id: string, points: number, expiresAt: string): AccountAction => ({
    type: 'award',
    entry: { type: 'adjustment', ruleIds: [], reason: id },
    source: 'adjustment',
    points,
    availableAt: '2026-12-01T03:00:00.000Z',
    expiresAt,
  });
  return applyActions(emptyAccountState(), [award('later', 1000, '2027-06-01T03:00:00.000Z'), award('sooner', 300, '2027-03-01T03:00:00.000Z')], { at: '2026-12-01T03:00:00.000Z', id: 'seed' }).state;
}

function problemsOf(program: Record<string, unknown>): Array<{ pointer: string; code: string }> {
  try {
    parseProgram(program);
  } catch (error) {
    if (error instanceof ProgramError) return error.errors.map((p) => ({ pointer: p.pointer, code: p.code }));
    throw error;
  }
  return [];
}

describe('rewards section', () => {
  it('accepts the after-sales example catalog', () => {
    expect(compiled.program.rewards?.map((r) => r.id)).to.deep.equal(['voucher-50k', 'free-shipping', 'powerbank']);
  });

  it('refuses what a kind lacks or has no use for, unknown tiers, duplicate ids and a window that never opens, each at its pointer', () => {
    const rewards = [
      { id: 'a', name: 'A', cost: 100, kind: 'voucher' },
      { id: 'b', name: 'B', cost: 100, kind: 'voucher', value: '10000', percent: '10' },
      { id: 'c', name: 'C', cost: 100, kind: 'gift' },
      { id: 'd', name: 'D', cost: 100, kind: 'free-shipping', value: '5', sku: 'X' },
      { id: 'a', name: 'E', cost: 100, kind: 'gift', sku: 'G', tiers: ['platinum'] },
      { id: 'f', name: 'F', cost: 100, kind: 'voucher', percent: '0', valid: { from: '2027-01-01T00:00:00Z', until: '2026-01-01T00:00:00Z' } },
      { id: 'g', name: 'G', cost: 0, kind: 'voucher', percent: '101' },
    ];
    expect(problemsOf({ ...aftercare, rewards })).to.deep.equal([
      { pointer: '/rewards/6/cost', code: 'out-of-range' },
      { pointer: '/rewards/6/percent', code: 'invalid-format' },
      { pointer: '/rewards/0/value', code: 'missing-field' },
      { pointer: '/rewards/1/percent', code: 'conflicting-fields' },
      { pointer: '/rewards/2/sku', code: 'missing-field' },
      { pointer: '/rewards/3/value', code: 'unexpected-field' },
      { pointer: '/rewards/3/sku', code: 'unexpected-field' },
      { pointer: '/rewards/4/id', code: 'duplicate-id' },
      { pointer: '/rewards/4/tiers/0', code: 'unknown-tier' },
      { pointer: '/rewards/5/percent', code: 'never-applies' },
      { pointer: '/rewards/5/valid/until', code: 'invalid-validity' },
    ]);
  });
});

describe('voucher codes', () => {
  it('prints 80 bits as 16 letters of an alphabet without 0, 1, I or O, in groups of four', () => {
    expect(VOUCHER_ALPHABET).to.have.length(32);
    for (const c of '01IO') expect(VOUCHER_ALPHABET).to.not.include(c);
    // All-zero bits are the alphabet's first letter, all-one bits its last.
    expect(formatVoucherCode(new Uint8Array(10))).to.equal('2222-2222-2222-2222');
    expect(formatVoucherCode(new Uint8Array(10).fill(255))).to.equal('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    // 0x08 0x86 0x00 are the bits 00001 00010 00011 00000 ...: letters 1, 2, 3, 0 of the alphabet.
    expect(formatVoucherCode(Uint8Array.from([0x08, 0x86, 0, 0, 0, 0, 0, 0, 0, 0])).slice(0, 4)).to.equal('3452');
    expect(() => formatVoucherCode(new Uint8Array(9))).to.throw(RangeError);
  });

  it('reads a typed code whatever its case, spaces and dashes; anything else is an input error at the pointer', () => {
    expect(normalizeVoucherCode(' k7qm 2xpa9rhd-twce ', '/code')).to.equal(CODE);
    for (const bad of ['K7QM-2XPA-9RHD-TWC', 'K7QM-2XPA-9RHD-TWC0', 'K7QM-2XPA-9RHD-TWCEX']) {
      try {
        normalizeVoucherCode(bad, '/code');
        expect.fail(`${bad} accepted`);
      } catch (error) {
        expect(error).to.be.instanceOf(InputError);
        expect((error as InputError).errors[0]).to.include({ pointer: '/code', code: 'invalid-voucher-code' });
      }
    }
  });
});

describe('the rewards catalog and a redemption', () => {
  it('answers every reason a reward is out of reach, and none for anyone but its window and stock', () => {
    const poor = { ...account(), points: { ...account().points } };
    const catalog = rewardCatalog(compiled, { state: poor }, (id) => (id === 'powerbank' ? { stockLeft: 0 } : {}), { at: AT });
    expect(catalog.map((r) => [r.rewardId, r.available, r.reasons.map((x) => x.code)])).to.deep.equal([
      ['voucher-50k', true, []],
      ['free-shipping', true, []],
      // 1300 points < 2000; the account has no orders, so it holds bronze, not gold; and none are left.
      ['powerbank', false, ['out-of-stock', 'tier-not-allowed', 'insufficient-points']],
    ]);
    const anyone = rewardCatalog(compiled, {}, () => ({}), { at: AT });
    expect(anyone.every((r) => r.available)).to.equal(true);
    expect(anyone[2]).to.include({ kind: 'gift', sku: 'PB-10K', voucherDays: 30 });
  });

  it('debits the soonest-expiring lot first, counts the month, and issues a voucher that lasts voucherDays', () => {
    const decision = decideRewardRedemption(compiled, account(), { redemptionId: 'rr-1', rewardId: 'voucher-50k', code: CODE }, {}, { at: AT });
    if (!decision.accepted) throw new Error(JSON.stringify(decision.reasons));
    // 500 points: the 300 expiring in March first, then 200 of the 1000.
    const debit = decision.actions[0];
    expect(debit?.type === 'debit' ? debit.debits : undefined).to.deep.equal([
      { lotId: 'seed#1', points: 300 },
      { lotId: 'seed#0', points: 200 },
    ]);
    expect(decision.actions[1]).to.deep.equal({ type: 'counters', deltas: [{ key: 'reward:voucher-50k:2026-12', count: 1 }] });
    // 30 days after 10 December 10:00 in Jakarta: 9 January 2027, 10:00.
    expect(decision.voucher).to.deep.include({ code: CODE, kind: 'voucher', value: '50000', issuedAt: AT, expiresAt: '2027-01-09T03:00:00.000Z', points: 500 });
    // No refundOnExpiry: the lots it came from are not kept.
    expect(decision.voucher.debits).to.equal(undefined);
    const applied = applyActions(account(), decision.actions, { at: AT, id: 'reward-redemption:rr-1', compiled });
    expect(viewPoints(applied.state.points, AT)).to.include({ available: 800, redeemed: 500 });
    expect(applied.moments.map((m) => [m.type, m.data.points])).to.deep.equal([['reward.redeemed', 500]]);
    expect(applied.entries[0]).to.include({ type: 'redeem', points: -500, rewardId: 'voucher-50k', redemptionId: 'rr-1' });
  });

  it('refuses while points are owed, and past the month limit', () => {
    const owing = applyActions(account(), [{ type: 'clawback', entry: { type: 'return', ruleIds: [] }, points: 1500, firstLotIds: [] }], { at: AT, id: 'r' }).state;
    const refused = decideRewardRedemption(compiled, owing, { redemptionId: 'rr-1', rewardId: 'free-shipping', code: CODE }, {}, { at: AT });
    expect(refused.accepted ? [] : refused.reasons.map((r) => r.code)).to.deep.equal(['negative-balance']);
    const twice = { ...account(), usage: [{ key: 'reward:voucher-50k:2026-12', count: 2, at: AT }] };
    const third = decideRewardRedemption(compiled, twice, { redemptionId: 'rr-3', rewardId: 'voucher-50k', code: CODE }, {}, { at: AT });
    expect(third.accepted ? [] : third.reasons.map((r) => r.code)).to.deep.equal(['limit-reached']);
    // 1 January 2027 00:00 in Jakarta is a new month.
    expect(decideRewardRedemption(compiled, twice, { redemptionId: 'rr-3', rewardId: 'voucher-50k', code: CODE }, {}, { at: '2026-12-31T17:00:00.000Z' }).accepted).to.equal(true);
  });
});

describe('a voucher on the account', () => {
  function withVoucher(rewardId = 'voucher-50k', refundOnExpiry = false): AccountState {
    const program = refundOnExpiry ? compileProgram(parseProgram({ ...aftercare, rewards: (aftercare.rewards as Array<Record<string, unknown>>).map((r) => ({ ...r, refundOnExpiry: true })) })) : compiled;
    const decision = decideRewardRedemption(program, account(), { redemptionId: 'rr-1', rewardId, code: CODE }, {}, { at: AT });
    if (!decision.accepted) throw new Error('refused');
    return applyActions(account(), decision.actions, { at: AT, id: 'reward-redemption:rr-1', compiled: program }).state;
  }

  it('is used once; its order cancelled while it is valid makes it usable again', () => {
    const state = withVoucher();
    const use = decideVoucherUse(state, { code: CODE, orderId: 'o-1' }, { at: AT });
    if (!use.accepted) throw new Error(use.reason.message);
    const used = applyActions(state, use.actions, { at: AT, id: 'voucher-use', compiled }).state;
    expect(voucherStatus(used.vouchers?.[0] ?? { expiresAt: '', used: undefined }, AT)).to.equal('used');
    const again = decideVoucherUse(used, { code: CODE, orderId: 'o-2' }, { at: AT });
    expect(again.accepted ? '' : again.reason.code).to.equal('voucher-used');
    const release = voucherReleases(used, 'o-1', '2026-12-11T03:00:00.000Z');
    expect(release.codes).to.deep.equal([CODE]);
    const back = applyActions(used, release.actions, { at: '2026-12-11T03:00:00.000Z', id: 'cancellation', compiled }).state;
    expect(decideVoucherUse(back, { code: CODE, orderId: 'o-2' }, { at: '2026-12-11T03:00:00.000Z' }).accepted).to.equal(true);
    // Past its expiry, a cancellation no longer brings it back.
    expect(voucherReleases(used, 'o-1', '2027-01-09T03:00:00.000Z').codes).to.deep.equal([]);
    expect(decideVoucherUse(state, { code: 'ABCD-EFGH-JKLM-NPQR', orderId: 'o-1' }, { at: AT })).to.deep.include({ accepted: false });
  });

  it('expires at the moments run once, and gives its points back only when the reward says so', () => {
    const after = '2027-01-10T03:00:00.000Z';
    for (const refund of [false, true]) {
      const state = withVoucher('voucher-50k', refund);
      const actions = decideDueMoments(compiled, state, after);
      const expired = actions.find((a) => a.type === 'moment' && a.moment === 'voucher.expired');
      expect(expired?.type === 'moment' ? [expired.data.refunded, expired.occurredAt] : undefined).to.deep.equal([refund ? 500 : 0, '2027-01-09T03:00:00.000Z']);
      const applied = applyActions(state, actions, { at: after, id: 'moments', compiled });
      // 800 left after the redemption; the 500 come back into their lots (300 + 200), both still alive in January.
      expect(viewPoints(applied.state.points, after).balance).to.equal(refund ? 1300 : 800);
      expect(applied.state.vouchers?.[0]?.expired).to.deep.equal({ at: after, refunded: refund ? 500 : 0 });
      expect(decideDueMoments(compiled, applied.state, '2027-01-11T03:00:00.000Z').filter((a) => a.type === 'moment' && a.moment === 'voucher.expired')).to.deep.equal([]);
    }
  });
});
