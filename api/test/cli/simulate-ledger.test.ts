import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { openLedger, RedemptionRefused } from '@purna/ledger';
import { generateCustomers, generateHistory, SHOPS, writeNdjson, type GenerateOptions } from '../../../scripts/generate-orders.js';
import { runPurna, scratchFolder } from './support/run-purna.js';

const TOKO = new URL('../../../../shared/examples/toko-rewards.program.json', import.meta.url);
const TENANT = 'sim';

/**
 * The simulation keeps its own lots (it must run a million records in bounded memory, so it cannot be the ledger);
 * this checks them against the real thing: the same history recorded through `@purna/ledger` on the memory store,
 * then every customer's balance read at the end.
 */
describe('cli: purna simulate agrees with the ledger on where the points went', function () {
  this.timeout(600_000);

  it('redeemed, expired, held and owed points equal the sums of the ledger\'s balances over a generated history', async () => {
    const scratch = await scratchFolder('simulate-ledger');
    try {
      // The ledger's birthday job grants everyone due at its instant; with a one-day window, a sweep at 00:05 on a
      // customer's birthday grants exactly the customers born that day, each of whom has a record at that instant.
      const program = JSON.parse(await readFile(TOKO, 'utf8')) as { birthday: { window: string } };
      program.birthday.window = 'day';
      await scratch.file('program.json', JSON.stringify(program));
      // 15 months: the first lots expire (12 months after they became available) before the end.
      const options: GenerateOptions = { shop: SHOPS.id!, orders: 500, customers: 60, seed: 24, from: '2025-07-01T00:00:00+07:00', until: '2026-10-01T00:00:00+07:00', activity: true };
      const records = [...generateHistory(options)];
      const customers = [...generateCustomers(options)];
      await writeNdjson(join(scratch.dir, 'history.ndjson'), records);
      await writeNdjson(join(scratch.dir, 'customers.ndjson'), customers);
      const run = await runPurna(['simulate', 'program.json', '--orders', 'history.ndjson', '--customers', 'customers.ndjson', '--json'], { cwd: scratch.dir });
      expect(run.code, run.stderr).to.equal(0);
      const report = JSON.parse(run.stdout).program;

      const ledger = await openLedger({ store: 'memory' });
      try {
        await ledger.publishProgram(TENANT, program);
        for (const customer of customers) await ledger.upsertCustomer(TENANT, customer, { at: options.from });
        let refused = 0;
        let lastSweep = '';
        for (const record of records) {
          if (!('type' in record)) await ledger.recordOrder(TENANT, record, { at: record.placedAt });
          else if (record.type === 'return') await ledger.returnOrder(TENANT, record.orderId, { id: record.id, lines: record.lines }, { at: record.at });
          else if (record.type === 'event') await ledger.recordEvent(TENANT, { id: record.id, customerId: record.customerId, type: record.event, attributes: record.attributes }, { at: record.at });
          else if (record.type === 'adjustment') await ledger.adjust(TENANT, { id: record.id, customerId: record.customerId, points: record.points, reason: record.reason, actor: 'support' }, { at: record.at });
          else if (record.type === 'birthday') {
            if (record.at !== lastSweep) await ledger.runBirthdaySweep(TENANT, { at: record.at });
            lastSweep = record.at;
          } else {
            try {
              await ledger.redeem(TENANT, { id: record.id, customerId: record.customerId, orderId: record.orderId, orderTotal: record.orderTotal, points: record.points }, { at: record.at });
            } catch (error) {
              if (!(error instanceof RedemptionRefused)) throw error;
              refused++;
            }
          }
        }
        const totals = { redeemed: 0, expired: 0, outstanding: 0, debt: 0 };
        for (const customer of customers) {
          const { points } = await ledger.getCustomer(TENANT, customer.id, { at: report.until });
          totals.redeemed += points.redeemed;
          totals.expired += points.expired;
          if (points.balance > 0) totals.outstanding += points.balance;
          else totals.debt -= points.balance;
        }
        expect(report.redemptions.refused).to.equal(refused);
        expect({ redeemed: report.flow.redeemed, expired: report.flow.expired, outstanding: report.flow.outstanding, debt: report.flow.debt }).to.deep.equal(totals);
        // The history exercised each part.
        expect(totals.expired).to.be.greaterThan(0);
        expect(totals.redeemed).to.be.greaterThan(0);
        expect(report.returns.count).to.be.greaterThan(10);
        expect(report.birthdays.granted).to.be.greaterThan(10);
        expect(report.referrals.reversed).to.be.greaterThan(0);
        expect(report.adjustments.removed).to.be.greaterThan(0);
      } finally {
        await ledger.close();
      }
    } finally {
      await scratch.remove();
    }
  });
});
