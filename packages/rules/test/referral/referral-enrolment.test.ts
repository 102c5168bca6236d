import { expect } from 'chai';
import { checkReferralEnrolment, type ReferralEnrolmentInput } from '../../src/index.js';
import type { CustomerInput } from '../../src/input/customer-input.js';
import { tokoCompiled, tokoVariant } from '../warranty/toko-program.js';

const toko = tokoCompiled();
const ayu: CustomerInput = { id: 'ayu', enrolledAt: '2026-01-05T09:00:00+07:00', emailHash: 'sha256:ayu', referralCode: 'AYU-2026' };
const budi: CustomerInput = { id: 'budi', enrolledAt: '2026-03-15T09:00:00+07:00', referredBy: { code: 'AYU-2026' }, emailHash: 'sha256:budi' };

describe('checkReferralEnrolment', () => {
  const cases: Array<{ name: string; input: ReferralEnrolmentInput; status: 'pending' | 'rejected'; reasons?: string[] }> = [
    // toko-basic: Budi enrols with Ayu's code -> pending.
    { name: 'toko-basic: Budi with Ayu\u2019s code', input: { referee: budi, referrer: ayu }, status: 'pending' },
    { name: 'the code in another spelling', input: { referee: { ...budi, referredBy: { code: 'ayu 2026' } }, referrer: ayu }, status: 'pending' },
    // toko-basic: ayu-alt shares Ayu's e-mail hash -> self-referral.
    {
      name: 'toko-basic: ayu-alt with the same e-mail hash',
      input: { referee: { id: 'ayu-alt', enrolledAt: '2026-03-15T09:30:00+07:00', referredBy: { code: 'AYU-2026' }, emailHash: 'sha256:ayu' }, referrer: ayu },
      status: 'rejected',
      reasons: ['self-referral'],
    },
    { name: 'the same customer', input: { referee: { ...ayu, referredBy: { code: 'AYU-2026' } }, referrer: ayu }, status: 'rejected', reasons: ['self-referral'] },
    { name: 'the same phone hash', input: { referee: { ...budi, phoneHash: 'sha256:0812' }, referrer: { ...ayu, phoneHash: 'sha256:0812' } }, status: 'rejected', reasons: ['self-referral'] },
    { name: 'no customer has the code', input: { referee: { ...budi, referredBy: { code: 'NOPE-1' } }, referrer: undefined }, status: 'rejected', reasons: ['unknown-code'] },
    { name: 'the referrer found does not own the code', input: { referee: { ...budi, referredBy: { code: 'NOPE-1' } }, referrer: ayu }, status: 'rejected', reasons: ['unknown-code'] },
    { name: 'a referee who already ordered', input: { referee: budi, referrer: ayu, refereeHasOrdered: true }, status: 'rejected', reasons: ['referee-already-ordered'] },
    { name: 'every reason at once', input: { referee: { ...budi, emailHash: 'sha256:ayu' }, referrer: ayu, refereeHasOrdered: true }, status: 'rejected', reasons: ['self-referral', 'referee-already-ordered'] },
    // Missing hashes on both sides are not "the same hash".
    { name: 'no hashes on either side', input: { referee: { id: 'x', referredBy: { code: 'AYU-2026' } }, referrer: { id: 'ayu', referralCode: 'AYU-2026' } }, status: 'pending' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = checkReferralEnrolment(toko, c.input);
      expect(d.status).to.equal(c.status);
      expect(d.reasons.map((r) => r.code)).to.deep.equal(c.reasons ?? []);
      if (d.status === 'rejected') expect(d.reason).to.equal(c.reasons?.[0]);
      else expect(d.referrerId).to.equal('ayu');
    });
  }

  it('rejects every referral when the program has none', () => {
    const program = tokoVariant((p) => {
      delete p.referral;
    });
    const d = checkReferralEnrolment(program, { referee: budi, referrer: ayu });
    expect(d.status === 'rejected' ? d.reason : d.status).to.equal('referral-disabled');
  });
});
