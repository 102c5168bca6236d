import { join } from 'node:path';
import { expect } from 'chai';
import { CustomerFile } from '../../src/cli/customer-file.js';
import { generateCustomers, SHOPS, writeNdjson, type GenerateOptions } from '../../../scripts/generate-orders.js';
import { scratchFolder } from './support/run-purna.js';

describe('cli: customers file read on demand', function () {
  this.timeout(60_000);

  it('finds every profile of a sorted file, and none that is not in it', async () => {
    const scratch = await scratchFolder('customer-file');
    try {
      const options: GenerateOptions = { shop: SHOPS.id!, orders: 0, customers: 3000, seed: 4, from: '2026-01-01T00:00:00+07:00', until: '2027-01-01T00:00:00+07:00', activity: true };
      const expected = [...generateCustomers(options)];
      await writeNdjson(join(scratch.dir, 'customers.ndjson'), expected);
      const file = await CustomerFile.open('customers.ndjson', scratch.dir);
      try {
        expect(file.count).to.equal(3000);
        // In reverse, so that each lookup reads the file rather than the cache of recent ones.
        for (const customer of [...expected].reverse()) expect(file.customer(customer.id)).to.deep.equal(customer);
        for (const missing of ['c-000000', 'c-0015000', 'c-999999', 'a', 'zzz']) expect(file.customer(missing)).to.equal(undefined);
        // Referrers by code, in any spacing or case, as the ledger compares codes.
        const referee = expected.find((c) => c.referredBy !== undefined)!;
        const referrerId = referee.referredBy!.code.replace(/^REF-/, '').toLowerCase();
        expect(file.referrer(referee.referredBy!.code)?.id).to.equal(referrerId);
        expect(file.referrer(` ${referee.referredBy!.code.toLowerCase().replace(/-/g, ' ')} `)?.id).to.equal(referrerId);
        expect(file.referrer('NOBODY-1')).to.equal(undefined);
      } finally {
        file.close();
      }
    } finally {
      await scratch.remove();
    }
  });

  it('reads a file with a byte order mark and CRLF line ends', async () => {
    const scratch = await scratchFolder('customer-file');
    try {
      await scratch.file('customers.ndjson', '\uFEFF{"id":"ayu","tags":["vip"]}\r\n\r\n{"id":"budi"}\r\n');
      const file = await CustomerFile.open('customers.ndjson', scratch.dir);
      try {
        expect(file.customer('ayu')).to.deep.equal({ id: 'ayu', tags: ['vip'] });
        expect(file.customer('budi')).to.deep.equal({ id: 'budi' });
      } finally {
        file.close();
      }
    } finally {
      await scratch.remove();
    }
  });

  it('refuses a duplicate id with both lines', async () => {
    const scratch = await scratchFolder('customer-file');
    try {
      await scratch.file('customers.ndjson', '{"id":"ayu"}\n{"id":"ayu"}\n');
      let error: unknown;
      try {
        await CustomerFile.open('customers.ndjson', scratch.dir);
      } catch (e) {
        error = e;
      }
      expect((error as Error).message).to.match(/^customers\.ndjson:2: the customers file must be sorted by id: customer "ayu" appears twice \(lines 1 and 2\)/);
    } finally {
      await scratch.remove();
    }
  });
});
