/**
 * MongoDB as MongoDB (docs/mongodb.md): what the ledger stores reads as documents with named fields through the
 * bare driver, names MongoDB would misread are stored escaped and read back exactly, and every command a recorded
 * order, a quote and a balance read send names one document by its `_id`, the shard key (made of tenant and key).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { describeMongo } from '../../../test/support/mongo.js';
import { Ledger } from '../src/ledger/ledger.js';
import { fieldName, fromFields, nameOfField, toFields } from '../src/store/mongo-fields.js';
import { headId, MongoStore } from '../src/store/mongo-store.js';
import { tokoProgram } from './support/programs.js';

const T = 'toko';
const AT = '2026-03-02T10:00:00+07:00';

describe('mongo-fields: names MongoDB would misread, stored escaped', () => {
  it('escapes $, . and % in any place, and the empty name, and reads each back', () => {
    const names = ['$schema', 'a.b', '%', '%25', '100%', '', '$', '.', 'plain', 'x$y', '%2E'];
    const stored = names.map(fieldName);
    expect(stored.slice(0, 5)).to.deep.equal(['%24schema', 'a%2Eb', '%25', '%2525', '100%25']);
    expect(stored[5]).to.equal('%');
    for (const field of stored) expect(field, field).to.not.match(/^\$|\./);
    expect(new Set(stored).size, 'no two names share a field').to.equal(names.length);
    expect(stored.map(nameOfField)).to.deep.equal(names);
  });

  it('gives back any JSON value as JSON carries it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(fromFields(toFields(value))).to.deep.equal(JSON.parse(JSON.stringify(value)) as unknown);
      }),
      { numRuns: 300 },
    );
    expect(fromFields(toFields({ a: undefined, b: [undefined, -0], c: -0 }))).to.deep.equal({ b: [null, 0], c: 0 });
  });
});

describeMongo('MongoDB documents of the ledger', (ctx) => {
  let client: MongoClient;
  let store: MongoStore;
  let ledger: Ledger;
  let dbName: string;
  const commands: CommandStartedEvent[] = [];

  before(async function () {
    this.timeout(60_000);
    dbName = `${ctx().dbName}_docs`;
    client = await MongoClient.connect(ctx().uri);
    store = await MongoStore.open({ uri: ctx().uri, dbName, onCommandStarted: (event) => commands.push(event) });
    ledger = new Ledger(store);
    await ledger.publishProgram(T, tokoProgram);
    await ledger.upsertCustomer(T, { id: 'ayu', birthDate: '1990-04-12', attributes: { '$where': 'kept', 'city.name': 'Bandung' } }, { at: AT });
    await ledger.recordOrder(T, { id: 'o-1', customerId: 'ayu', placedAt: AT, currency: 'IDR', lines: [{ sku: 'TV-1', category: 'tv', quantity: 1, unitPrice: '4500000' }] }, { at: AT });
  });
  after(async () => {
    await ledger.close();
    await client.close();
  });

  it('keeps a customer\'s balance, tier and profile as fields a bare driver reads', async () => {
    const view = await ledger.getCustomer(T, 'ayu', { at: AT });
    const account = await client.db(dbName).collection<Document & { _id: string }>('accounts').findOne({ tenantId: T, key: 'ayu' });
    expect(account, 'the account document').to.not.equal(null);
    expect(account!._id).to.equal(headId(T, 'ayu'));
    const doc = account!.doc as {
      balances: { at: string; balance: number; pending: number; available: number };
      customerId: string;
      summary: string;
      profile: { birthDate: string; attributes: Record<string, string> };
    };
    expect(doc.customerId).to.equal('ayu');
    expect(view.points.balance + view.points.pending, 'the order earned points').to.be.greaterThan(0);
    // The balances as of the latest write (the order, at AT) are fields; the read summary is one string.
    expect(doc.balances).to.include({ balance: view.points.balance, pending: view.points.pending, available: view.points.available });
    expect(Date.parse(doc.balances.at)).to.equal(Date.parse(AT));
    expect(doc.summary).to.be.a('string');
    expect(doc.profile.birthDate).to.equal('1990-04-12');
    // User-supplied names are stored escaped and read back as given.
    expect(doc.profile.attributes).to.deep.equal({ '%24where': 'kept', 'city%2Ename': 'Bandung' });
    expect(view.profile?.attributes).to.deep.equal({ '$where': 'kept', 'city.name': 'Bandung' });
    const order = await client.db(dbName).collection('orders').findOne({ tenantId: T, key: 'o-1' });
    expect(order?.doc).to.deep.include({ orderId: 'o-1', customerId: 'ayu' });
  });

  it('sends only commands that name one document by its _id (the shard key) while recording an order, quoting and reading', async () => {
    const order = { customerId: 'ayu', placedAt: '2026-03-03T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'TV-2', category: 'tv', quantity: 1, unitPrice: '3000000' }] };
    commands.length = 0;
    await ledger.recordOrder(T, { ...order, id: 'o-2' }, { at: '2026-03-03T10:00:00+07:00' });
    await ledger.quoteOrder(T, { ...order, id: 'q-1' }, { at: '2026-03-03T10:00:00+07:00' });
    await ledger.getCustomer(T, 'ayu', { at: '2026-03-03T10:00:00+07:00' });
    const sent = commands.filter((c) => c.commandName !== 'endSessions' && c.commandName !== 'hello');
    expect(sent.length, 'commands were seen').to.be.greaterThan(5);
    const untargeted: string[] = [];
    for (const event of sent) {
      const c = event.command;
      const name = event.commandName;
      const targets: Document[] =
        name === 'insert' ? (c.documents as Document[])
        : name === 'find' ? [c.filter as Document]
        : name === 'update' ? (c.updates as Array<{ q: Document }>).map((u) => u.q)
        : name === 'delete' ? (c.deletes as Array<{ q: Document }>).map((d) => d.q)
        : [];
      // One document's `_id` (the shard key, made of tenant and key) in the filter or the inserted document; its
      // version rows' ids are the document's followed by `@<version>`.
      const documents = new Set(targets.map((t) => (typeof t._id === 'string' ? t._id.replace(/@\d+$/, '') : undefined)));
      const one = targets.length > 0 && documents.size === 1 && !documents.has(undefined);
      // A program's versions are listed by range (once per staleness period); everything else names one document.
      const programList = name === 'find' && c.find === 'programs' && typeof (c.filter as Document).key === 'object';
      if (!programList && !one) untargeted.push(`${name} ${String(c[name])} ${JSON.stringify(targets).slice(0, 160)}`);
    }
    expect(untargeted, untargeted.join('\n')).to.deep.equal([]);
  });
});
