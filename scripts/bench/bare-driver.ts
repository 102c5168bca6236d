/**
 * The MongoDB anchors of the API section: a bare Express app on the `mongodb` driver that does the least a correct
 * answer needs, on the same server as Purna's MongoDB rows, so that those rows can be read as a ratio to it.
 *
 * - `POST /orders` records an order: it inserts the order under a unique id (a repeated id is answered as a
 *   replay, as Purna answers one) and then applies the points with one conditional update of the customer's
 *   balance. Two commands.
 * - `POST /orders/quote` and `GET /customers/:id` each read the customer with a single `findOne`. One command.
 *
 * Points are the order's total divided by 1,000, rounded down: the anchor measures the store, not the rules.
 */
import express from 'express';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { benchCustomerId } from './bench-data.js';

const TENANT = 'default';
const DUPLICATE_KEY = 11000;

interface CustomerRow {
  _id: string;
  tenantId: string;
  customerId: string;
  balance: number;
  version: number;
}

interface OrderRow {
  _id: string;
  tenantId: string;
  orderId: string;
  customerId: string;
  awarded: number;
  lines: unknown;
}

interface OrderBody {
  id?: unknown;
  customerId?: unknown;
  lines?: Array<{ quantity?: unknown; unitPrice?: unknown }>;
}

/** The points of the anchor: the order total over 1,000, rounded down. */
function pointsOf(body: OrderBody): number {
  let total = 0;
  for (const line of body.lines ?? []) total += Number(line.quantity ?? 0) * Number(line.unitPrice ?? 0);
  return Math.floor(total / 1000);
}

/** Ids join tenant and id with a colon: PostgreSQL (FerretDB's backend) refuses NUL in a string. */
const customerKey = (customerId: string): string => `${TENANT}:${customerId}`;

/** The app and what it holds open; `customers` are created before it answers. */
export async function bareDriverApp(uri: string, dbName: string, customers: number): Promise<{ app: express.Express; customerIds: string[]; close: () => Promise<void> }> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  const db = client.db(dbName);
  const customerRows: Collection<CustomerRow> = db.collection<CustomerRow>('bare_customers');
  const orderRows: Collection<OrderRow> = db.collection<OrderRow>('bare_orders');
  const customerIds = Array.from({ length: customers }, (_, n) => benchCustomerId(n));
  await customerRows.insertMany(customerIds.map((customerId) => ({ _id: customerKey(customerId), tenantId: TENANT, customerId, balance: 0, version: 0 })));

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.post('/orders', async (req, res) => {
    const body = req.body as OrderBody;
    if (typeof body.id !== 'string' || typeof body.customerId !== 'string') {
      res.status(400).json({ detail: 'id and customerId must be strings' });
      return;
    }
    const awarded = pointsOf(body);
    try {
      await orderRows.insertOne({ _id: `${TENANT}:${body.id}`, tenantId: TENANT, orderId: body.id, customerId: body.customerId, awarded, lines: body.lines ?? [] });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
        res.status(201).json({ orderId: body.id, awarded, replayed: true });
        return;
      }
      throw error;
    }
    // Conditional: only an enrolled customer's balance moves, and never below zero.
    const updated = await customerRows.updateOne({ _id: customerKey(body.customerId), balance: { $gte: 0 } }, { $inc: { balance: awarded, version: 1 } });
    if (updated.matchedCount !== 1) {
      res.status(404).json({ detail: `customer ${body.customerId} is not enrolled` });
      return;
    }
    res.status(201).json({ orderId: body.id, awarded, replayed: false });
  });
  app.post('/orders/quote', async (req, res) => {
    const body = req.body as OrderBody;
    const customer = typeof body.customerId === 'string' ? await customerRows.findOne({ _id: customerKey(body.customerId) }) : null;
    res.json({ points: pointsOf(body), balance: customer?.balance ?? 0 });
  });
  app.get('/customers/:id', async (req, res) => {
    const customer = await customerRows.findOne({ _id: customerKey(req.params.id) });
    if (!customer) {
      res.status(404).json({ detail: `customer ${req.params.id} is not enrolled` });
      return;
    }
    res.json({ id: customer.customerId, points: { balance: customer.balance } });
  });
  return {
    app,
    customerIds,
    close: async () => {
      await db.dropDatabase();
      await client.close();
    },
  };
}
