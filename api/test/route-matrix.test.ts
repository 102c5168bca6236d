/**
 * Table-driven over the OpenAPI document itself, so a new route is covered the day it is added: every
 * authenticated operation refuses a request without a key (401) and a key without its scope (403), refuses an
 * unknown body field or query parameter (400, with the pointer), and answers within the document.
 */
import { expect } from 'chai';
import request from 'supertest';
import { openLedger, type Ledger } from '@purna/ledger';
import { createApp, type PurnaApp } from '../src/app.js';
import { generateApiKey } from '../src/auth/api-key.js';
import { SCOPES } from '../src/auth/scope.js';
import { expectConforms } from './support/conformance.js';

interface DocOperation {
  operationId: string;
  'x-purna-scopes': string[];
  requestBody?: unknown;
}

function operationsOf(app: PurnaApp): Array<{ method: string; template: string; op: DocOperation }> {
  const paths = app.openApiDocument.paths as unknown as Record<string, Record<string, DocOperation>>;
  return Object.entries(paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, template, op })),
  );
}

// A concrete path for a template: every parameter gets a well-formed id.
function pathOf(template: string): string {
  return template.replace(/\{[^}]+\}/g, 'abc123');
}

// Operations whose body is free-form by design: a draft program is judged by the answer, not refused.
const FREE_FORM_BODIES = new Set(['validateProgram']);

describe('every operation in the document', () => {
  let ledger: Ledger;
  let app: PurnaApp;
  const keys: Record<string, string> = {};

  before(async () => {
    ledger = await openLedger({ store: 'memory' });
    app = createApp({ ledger, rateLimit: { perMinute: 100_000, burst: 10_000 } });
    for (const scope of SCOPES) {
      const generated = generateApiKey();
      await ledger.apiKeys.insert({ tenantId: 'shop-a', keyId: generated.keyId, hash: generated.hash, scopes: [scope], name: scope, createdAt: '2026-01-01T00:00:00.000Z' });
      keys[scope] = generated.key;
    }
  });
  after(async () => {
    await ledger.close();
  });

  function send(method: string, path: string, key: string | undefined, body?: unknown): Promise<request.Response> {
    let req = request(app)[method as 'get' | 'post' | 'put' | 'delete'](path);
    if (key) req = req.set('Authorization', `Bearer ${key}`);
    return body === undefined ? req : req.send(body as object);
  }

  it('has more than twenty operations, each with an operationId', () => {
    const ops = operationsOf(app);
    expect(ops.length).to.be.greaterThan(20);
    for (const { op, template } of ops) expect(op.operationId, template).to.be.a('string');
  });

  it('answers 401 without a key and 403 with a key lacking the scope, on every authenticated operation', async () => {
    for (const { method, template, op } of operationsOf(app)) {
      const allowed = op['x-purna-scopes'];
      if (allowed.length === 0) continue;
      const path = pathOf(template);
      const body = op.requestBody ? {} : undefined;
      const anonymous = await send(method, path, undefined, body);
      expectConforms(app, anonymous);
      expect(anonymous.status, `${method} ${template} without a key`).to.equal(401);
      for (const scope of SCOPES.filter((s) => !allowed.includes(s))) {
        const res = await send(method, path, keys[scope], body);
        expectConforms(app, res);
        expect(res.status, `${method} ${template} with scope ${scope}`).to.equal(403);
      }
    }
  });

  it('refuses an unknown body field or query parameter with its pointer, on every operation', async () => {
    for (const { method, template, op } of operationsOf(app)) {
      const allowed = op['x-purna-scopes'];
      const key = allowed.length === 0 ? undefined : keys[allowed[0] ?? 'admin'];
      const path = pathOf(template);
      // An NDJSON body (POST /v1/imports) is checked line by line by its handler; its query is checked here.
      const jsonBody = (op.requestBody as { content?: Record<string, unknown> } | undefined)?.content?.['application/json'] !== undefined;
      if (jsonBody && !FREE_FORM_BODIES.has(op.operationId)) {
        const res = await send(method, path, key, { notAField: 1 });
        expectConforms(app, res);
        expect(res.status, `${method} ${template}`).to.equal(400);
        expect(res.body.errors, `${method} ${template}`).to.deep.include({
          in: 'body',
          pointer: '/notAField',
          message: 'is not a known field (unknown fields are refused, not ignored)',
          code: 'additionalProperties',
        });
      } else if (!jsonBody && allowed.length > 0) {
        const res = await send(method, `${path}?notAParameter=1`, key);
        expectConforms(app, res);
        expect(res.status, `${method} ${template}`).to.equal(400);
        expect(res.body.errors[0], `${method} ${template}`).to.include({ in: 'query', pointer: '/notAParameter' });
      }
    }
  });
});
