/**
 * The app on a real ledger for route suites: keys of every scope for tenant shop-a, an admin key of shop-b, and a
 * `call` that checks every response against the OpenAPI document.
 */
import { expect } from 'chai';
import request from 'supertest';
import { openLedger, type Ledger, type StoreConfig } from '@purna/ledger';
import { createApp, type AppOptions, type PurnaApp } from '../../src/app.js';
import { generateApiKey } from '../../src/auth/api-key.js';
import { expectConforms } from './conformance.js';

/** Expects a write or read the suite sets up with to have succeeded (200 or 201), showing the body when it did not. */
export function expectOk(res: request.Response): void {
  expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteWorld {
  app: PurnaApp;
  ledger: Ledger;
  admin: string;
  checkout: string;
  crm: string;
  otherAdmin: string;
  /** One request; the response is checked against the document before it is returned. */
  call(method: Method, path: string, key: string | undefined, body?: unknown, headers?: Record<string, string>): Promise<request.Response>;
}

/**
 * Opens the ledger on `store` and the app over it; `clock` is the app's now (ms), for writes and reads without `at`;
 * `wallClock` the ledger's wall clock (the moments feed's stamps and horizon); `webhooks` how endpoint URLs are checked.
 */
export async function openRouteWorld(store: StoreConfig, options: { clock?: () => number; wallClock?: () => number; webhooks?: AppOptions['webhooks'] } = {}): Promise<RouteWorld> {
  const ledger = await openLedger({ store, ...(options.wallClock ? { wallClock: options.wallClock } : {}) });
  const app = createApp({ ledger, rateLimit: { perMinute: 100_000, burst: 10_000 }, ...(options.clock ? { clock: options.clock } : {}), ...(options.webhooks ? { webhooks: options.webhooks } : {}) });
  const insertKey = async (tenantId: string, scopes: string[]): Promise<string> => {
    const generated = generateApiKey();
    await ledger.apiKeys.insert({ tenantId, keyId: generated.keyId, hash: generated.hash, scopes, name: 'test', createdAt: '2026-01-01T00:00:00.000Z' });
    return generated.key;
  };
  const call: RouteWorld['call'] = async (method, path, key, body, headers = {}) => {
    let req = request(app)[method](path);
    const sentHeaders: Record<string, string> = { ...headers };
    if (key) sentHeaders.Authorization = `Bearer ${key}`;
    // supertest sends an object body as JSON.
    if (typeof body === 'object' && body !== null) sentHeaders['Content-Type'] ??= 'application/json';
    for (const [name, value] of Object.entries(sentHeaders)) req = req.set(name, value);
    const res = body === undefined ? await req : await req.send(body as object);
    expectConforms(app, res, { body, headers: sentHeaders });
    return res;
  };
  return {
    app,
    ledger,
    admin: await insertKey('shop-a', ['admin']),
    checkout: await insertKey('shop-a', ['checkout']),
    crm: await insertKey('shop-a', ['crm']),
    otherAdmin: await insertKey('shop-b', ['admin']),
    call,
  };
}
