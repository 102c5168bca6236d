/**
 * Accept-Language over HTTP: quotes, returns, redemptions and warranty claims answer their reasons and traces in
 * English (the default), Indonesian or Filipino, say which in Content-Language, and vary on the header; a stored
 * claim is written in the language of whoever reads it. Expected sentences are the catalogs' messages filled in by
 * hand from the case (the program is shared/examples/toko-rewards with a 30-day return window). Every response is
 * checked against the OpenAPI document by the route world.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import type { StoreConfig } from '@purna/ledger';
import { describeMongo } from '../../test/support/mongo.js';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

const toko = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const program = { ...toko, returns: { windowDays: 30 } };

/** The app's "now": 1 June 2028, long after every purchase below. */
const NOW = Date.parse('2028-06-01T00:00:00.000Z');
const laptop = { sku: 'LP-14', category: 'laptop', price: '12000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 }, serialNumber: 'SN-LP-1' };
/** A small order in January 2027: tv-double ended on 1 January 2027, big-basket needs Rp5.000.000. */
const smallOrder = { id: 'o-case', customerId: 'ayu', placedAt: '2027-01-10T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'CASE-1', category: 'accessory', quantity: 1, unitPrice: '1000000' }] };

interface RuleTraceBody {
  ruleId: string;
  detail?: string;
}
const ruleDetail = (res: request.Response, ruleId: string): string | undefined => (res.body as { trace: { rules: RuleTraceBody[] } }).trace.rules.find((r) => r.ruleId === ruleId)?.detail;
const messages = (res: request.Response): string[] => (res.body as { reasons: Array<{ message: string }> }).reasons.map((r) => r.message);

function suite(storeConfig: () => StoreConfig): void {
  let w: RouteWorld;
  const lang = (value: string) => ({ 'Accept-Language': value });

  before(async () => {
    w = await openRouteWorld(storeConfig(), { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    expectOk(await w.call('put', '/v1/customers/ayu', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/orders', w.checkout, { id: 'o-lp', customerId: 'ayu', placedAt: '2026-12-10T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '12000000' }] }));
    expectOk(await w.call('post', '/v1/warranty/contracts', w.checkout, { id: 'wc-lp', customerId: 'ayu', planId: 'care-2y', product: laptop, orderId: 'o-lp', at: '2026-12-15T10:00:00+07:00' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('quotes with the trace in English by default, and says so', async () => {
    const res = await w.call('post', '/v1/orders/quote', w.checkout, smallOrder);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.headers['content-language']).to.equal('en');
    expect(res.headers.vary).to.match(/Accept-Language/i);
    expect(ruleDetail(res, 'tv-double')).to.equal('the order was placed after valid.until');
    expect(ruleDetail(res, 'big-basket')).to.equal('order.total is at least 5000000 was false (order.total is 1000000)');
  });

  it('quotes with the trace in Indonesian and Filipino', async () => {
    const id = await w.call('post', '/v1/orders/quote', w.checkout, smallOrder, lang('id-ID,id;q=0.9,en;q=0.5'));
    expect(id.headers['content-language']).to.equal('id');
    expect(ruleDetail(id, 'tv-double')).to.equal('pesanan dibuat setelah valid.until');
    expect(ruleDetail(id, 'big-basket')).to.equal('order.total paling sedikit 5000000 tidak terpenuhi (order.total bernilai 1000000)');
    const fil = await w.call('post', '/v1/orders/quote', w.checkout, smallOrder, lang('fil-PH'));
    expect(fil.headers['content-language']).to.equal('fil');
    expect(ruleDetail(fil, 'tv-double')).to.equal('ginawa ang order pagkatapos ng valid.until');
    expect(ruleDetail(fil, 'big-basket')).to.equal('hindi totoo na ang order.total ay hindi bababa sa 5000000 (ang order.total ay 1000000)');
    // The points are the same whatever the language.
    const en = await w.call('post', '/v1/orders/quote', w.checkout, smallOrder);
    expect([id.body.points, fil.body.points]).to.deep.equal([en.body.points, en.body.points]);
  });

  it('refuses a redemption with every reason, and the problem detail, in the language asked', async () => {
    // The laptop order of 10 December earned 12 000 000 / 10 000 = 1200 + big-basket 200 = 1400 (Bronze x1), pending
    // for 14 days: on 11 December the balance is 1400 and 0 are available. 50 is below the minimum of 100; the
    // discount 50 x 100 = 5000 is within half of 100000.
    const body = { id: 'rd-lang', customerId: 'ayu', orderId: 'o-next', orderTotal: '100000', points: 50, at: '2026-12-11T10:00:00+07:00' };
    const en = await w.call('post', '/v1/redemptions', w.checkout, body);
    expect(en.status, JSON.stringify(en.body)).to.equal(422);
    expect(messages(en)).to.deep.equal(['at least 100 points must be redeemed at once, got 50', 'only 0 points can be spent (available 0, balance 1400), 50 were asked for']);
    const fil = await w.call('post', '/v1/redemptions', w.checkout, body, lang('tl'));
    expect([fil.status, fil.headers['content-language']]).to.deep.equal([422, 'fil']);
    expect(messages(fil)).to.deep.equal(['hindi bababa sa 100 points ang dapat i-redeem nang sabay, 50 ang hiniling', '0 points lang ang magagamit (available 0, balanse 1,400), 50 ang hiniling']);
    expect(fil.body.detail).to.equal(messages(fil).join('; '));
    expect(fil.body.code).to.equal('redemption-refused');
    // 1500 points: more than the 0 available, and 1500 x 100 = 150 000 is more than half of 100 000 (50 000).
    const id = await w.call('post', '/v1/redemptions', w.checkout, { ...body, id: 'rd-lang-2', points: 1500 }, lang('id'));
    expect(messages(id)).to.deep.equal(['hanya 0 poin yang dapat dipakai (tersedia 0, saldo 1.400), yang diminta 1.500', 'diskon 150.000 melebihi 50% dari total pesanan (50.000)']);
  });

  it('refuses a return after its window in the language asked', async () => {
    expectOk(await w.call('post', '/v1/orders', w.checkout, { ...smallOrder, id: 'o-ret' }));
    // Placed 10 January 2027 10:00 +07:00 (03:00Z); 30 days later: 9 February 2027 03:00Z. NOW is June 2028.
    const body = { id: 'r-late', lines: [{ sku: 'CASE-1', quantity: 1 }] };
    const en = await w.call('post', '/v1/orders/o-ret/returns', w.checkout, body);
    expect(en.status, JSON.stringify(en.body)).to.equal(422);
    expect(messages(en)).to.deep.equal(['the return window ended 2027-02-09T03:00:00.000Z, 30 days after its purchase']);
    const id = await w.call('post', '/v1/orders/o-ret/returns', w.checkout, body, lang('id'));
    expect(messages(id)).to.deep.equal(['batas waktu retur berakhir 2027-02-09T03:00:00.000Z, 30 hari setelah pembeliannya']);
    const fil = await w.call('post', '/v1/orders/o-ret/returns', w.checkout, body, lang('fil'));
    expect(messages(fil)).to.deep.equal(['natapos ang panahon ng pagbabalik noong 2027-02-09T03:00:00.000Z, 30 araw pagkatapos ng pagbili']);
  });

  it('answers a warranty claim, and reads it back later, in the reader\'s language', async () => {
    const claim = { id: 'cl-remote', at: '2028-03-01T11:00:00+07:00', component: 'remote', problem: 'buttons stuck' };
    const id = await w.call('post', '/v1/warranty/contracts/wc-lp/claims', w.checkout, claim, lang('id'));
    expect(id.status, JSON.stringify(id.body)).to.equal(201);
    expect(messages(id)).to.deep.equal([
      'paket "care-2y" mengecualikan remote; perlindungan pabrikannya berakhir pada 2027-12-10',
      'perlindungan remote berakhir pada 2027-12-10; klaim bertanggal 2028-03-01',
    ]);
    expect(id.body.trace).to.deep.equal([
      'remote: pabrikan dari 2026-12-10 sampai 2027-12-10; dikecualikan oleh paket "care-2y"',
      'tidak dilindungi: paket "care-2y" mengecualikan remote; perlindungan pabrikannya berakhir pada 2027-12-10',
      'tidak dilindungi: perlindungan remote berakhir pada 2027-12-10; klaim bertanggal 2028-03-01',
    ]);
    const listed = await w.call('get', '/v1/warranty/contracts/wc-lp/claims', w.crm, undefined, lang('fil'));
    const stored = (listed.body as { items: Array<{ claimId: string; trace: string[]; reasons: Array<{ message: string }> }> }).items.find((c) => c.claimId === 'cl-remote');
    expect(stored?.reasons.map((r) => r.message)).to.deep.equal([
      'hindi kasama sa plan na "care-2y" ang remote; natapos ang saklaw ng manufacturer noong 2027-12-10',
      'natapos ang saklaw ng remote noong 2027-12-10; ang claim ay may petsang 2028-03-01',
    ]);
    expect(stored?.trace[0]).to.equal('remote: manufacturer mula 2026-12-10 hanggang 2027-12-10; hindi kasama sa plan na "care-2y"');
    const english = await w.call('get', '/v1/warranty/contracts/wc-lp/claims', w.crm, undefined, lang('fr, de;q=0.5'));
    expect(english.headers['content-language']).to.equal('en');
    expect((english.body as { items: Array<{ claimId: string; trace: string[] }> }).items.find((c) => c.claimId === 'cl-remote')?.trace[0]).to.equal(
      'remote: manufacturer from 2026-12-10 to 2027-12-10; excluded by plan "care-2y"',
    );
  });

  it('answers a problem without reasons in English words but says the language it chose', async () => {
    const res = await w.call('get', '/v1/customers/nobody', w.crm, undefined, lang('id'));
    expect([res.status, res.headers['content-language']]).to.deep.equal([404, 'id']);
    expect(res.body.detail).to.equal('customer "nobody" was not found');
  });
}

describe('languages over HTTP (memory store)', () => suite(() => 'memory'));

describe('languages over HTTP (embedded LMDB store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'purna-api-languages-'));
  suite(() => ({ kind: 'lmdb', path: dir }));
  after(() => rmSync(dir, { recursive: true, force: true }));
});

describeMongo('languages over HTTP (MongoDB store)', (ctx) => suite(() => ({ kind: 'mongo', uri: ctx().uri, dbName: ctx().dbName })));
