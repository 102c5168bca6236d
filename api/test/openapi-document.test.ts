import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { AdjustmentRequestSchema, CustomerViewSchema, MOMENT_DATA_SCHEMAS, OrderAnswerSchema, ReturnRequestSchema } from '@purna/ledger';
import { MOMENT_TYPES, ProgramSchema, type MomentType } from '@purna/rules';
import { buildOpenApiDocument, type JsonObject } from '../src/openapi/document.js';
import { momentDataComponentName, momentWebhooks } from '../src/openapi/moment-webhooks.js';
import { DocumentValidators, documentRef } from '../src/openapi/validator.js';
import { apiOperations } from '../src/routes/api-operations.js';
import { systemOperations } from '../src/routes/system-operations.js';
import { COMPONENT_SCHEMAS } from '../src/schemas/components.js';
import { ProblemSchema } from '../src/schemas/problem-schema.js';

const INFO = { title: 't', version: '1', description: 'd' };

function document(): JsonObject {
  return buildOpenApiDocument([...systemOperations(() => ({})), ...apiOperations()], COMPONENT_SCHEMAS, INFO, ProblemSchema, momentWebhooks());
}

function collectRefs(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => collectRefs(child, into));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') into.push(value);
      else collectRefs(value, into);
    }
  }
  return into;
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with the draft 2020-12 dialect', () => {
    const doc = document();
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.jsonSchemaDialect).to.equal('https://json-schema.org/draft/2020-12/schema');
  });

  it("holds the rules' program schema once, as the library defines it, and every $ref resolves inside", () => {
    const doc = document();
    const schemas = (doc.components as { schemas: Record<string, { properties?: Record<string, unknown> }> }).schemas;
    expect(Object.keys(schemas.Program?.properties ?? {})).to.deep.equal(Object.keys(ProgramSchema.properties));
    const refs = collectRefs(doc);
    expect(refs.length).to.be.greaterThan(0);
    for (const ref of refs) {
      // Internal pointers only: the published $ids of the rules' schemas are rewritten to their place here.
      expect(ref, ref).to.match(/^#\/components\/schemas\//);
      const target = ref
        .slice(2)
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
      expect(target, ref).to.be.an('object');
    }
  });

  it("references the ledger's contract: its schemas once, as the library defines them, and bodies and answers derived from them", () => {
    const doc = document();
    type Schema = { properties: Record<string, unknown> };
    const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
    const body = (path: string): unknown =>
      (doc.paths as Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>)[path]?.post.requestBody.content['application/json']?.schema;
    const names = (schema: Schema | undefined): string[] => Object.keys(schema?.properties ?? {});
    expect(names(schemas.Customer)).to.deep.equal(Object.keys(CustomerViewSchema.properties));
    expect(schemas.Customer?.properties.profile).to.deep.equal({ $ref: '#/components/schemas/CustomerInput' });
    expect(body('/v1/orders')).to.deep.equal({ $ref: '#/components/schemas/OrderRequest' });
    // A body is the ledger's request without what the path and the key fill, plus the write's `at`.
    expect(body('/v1/customers/{id}/adjustments')).to.deep.equal({ $ref: '#/components/schemas/AdjustmentRequest' });
    expect(names(schemas.AdjustmentRequest)).to.deep.equal([...Object.keys(AdjustmentRequestSchema.properties).filter((name) => name !== 'customerId' && name !== 'actor'), 'at']);
    expect(names(schemas.ReturnRequest)).to.deep.equal([...Object.keys(ReturnRequestSchema.properties), 'at']);
    expect(schemas.ReturnRequest?.properties.lines).to.deep.include({ items: { $ref: '#/components/schemas/ReturnLine' } });
    // A write's answer is the ledger's without `replayed`, which travels as the Idempotency-Replayed header.
    expect(names(schemas.OrderRecorded)).to.deep.equal(Object.keys(OrderAnswerSchema.properties).filter((name) => name !== 'replayed'));
  });

  it('validates the example program through the document, and refuses an unknown field with its pointer', () => {
    const validators = new DocumentValidators(document());
    const program: unknown = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8'));
    const check = validators.schema(documentRef('components', 'schemas', 'Program'));
    expect(check(program)).to.deep.equal([]);
    const errors = check({ ...(program as object), bonus: 1 });
    expect(errors).to.deep.include({
      in: 'body',
      pointer: '/bonus',
      message: 'is not a known field (unknown fields are refused, not ignored)',
      code: 'additionalProperties',
    });
  });

  it('documents every webhook Purna sends: one per moment type, a moment of that type as its body, the Standard Webhooks headers', () => {
    const doc = document();
    const hooks = doc.webhooks as Record<string, { post: { parameters: Array<{ name: string }>; requestBody: { content: Record<string, { schema: unknown }> } } }>;
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    expect(Object.keys(hooks)).to.deep.equal([...MOMENT_TYPES]);
    for (const [type, hook] of Object.entries(hooks)) {
      expect(hook.post.parameters.map((p) => p.name), type).to.deep.equal(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
      // A Moment whose type is this one and whose data is this type's schema: a component of its own, derived from
      // the ledger's map, or the generic MomentData for a type the engine does not emit yet.
      const data = MOMENT_DATA_SCHEMAS[type as MomentType] ? momentDataComponentName(type as MomentType) : 'MomentData';
      expect(hook.post.requestBody.content['application/json']?.schema, type).to.deep.include({
        allOf: [{ $ref: '#/components/schemas/Moment' }, { type: 'object', required: ['type', 'data'], properties: { type: { const: type, type: 'string' }, data: { $ref: `#/components/schemas/${data}` } } }],
      });
      expect(schemas[data], data).to.be.an('object');
    }
    expect(Object.keys(schemas).filter((name) => name.endsWith('MomentData'))).to.have.length(Object.keys(MOMENT_DATA_SCHEMAS).length + 1);
    expect(schemas.TierChangedMomentData).to.deep.include({ additionalProperties: false, required: ['from', 'to', 'cause', 'balanceAfter'] });
    // The feed's Moment keeps the open data, valid for every type.
    expect((schemas.Moment as { properties: { data: unknown } }).properties.data).to.deep.equal({ $ref: '#/components/schemas/MomentData' });
  });

  it('checks a moment type as one enum: a bad one is one problem naming every type once', () => {
    const check = new DocumentValidators(document()).schema(documentRef('components', 'schemas', 'MomentType'));
    expect(check('tier.changed')).to.deep.equal([]);
    const errors = check('nope');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.deep.include({ pointer: '', code: 'enum' });
    for (const type of MOMENT_TYPES) expect(errors[0]?.message.split(type).length, type).to.equal(2);
  });

  it('documents the problem answers of every operation', () => {
    const doc = document();
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const keys = paths['/v1/keys']?.post;
    expect(Object.keys(keys?.responses ?? {})).to.include.members(['201', '400', '401', '403', '413', '415', '429']);
  });

  it('declares the RateLimit-* headers on every answer of an authenticated operation once its key is known, and none on public ones', () => {
    const doc = document();
    const paths = doc.paths as Record<string, Record<string, { 'x-purna-scopes': string[]; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    const names = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'];
    let authenticated = 0;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const declared = Object.keys(response.headers ?? {});
          const where = `${method.toUpperCase()} ${path} ${status}`;
          if (op['x-purna-scopes'].length === 0 || status === '401' || status === '403') expect(declared, where).not.to.include.members(['RateLimit-Limit']);
          else expect(declared, where).to.include.members(names);
        }
        if (op['x-purna-scopes'].length > 0) authenticated += 1;
      }
    }
    expect(authenticated).to.be.above(30);
    // The replay header and Retry-After stay beside them.
    expect(Object.keys(paths['/v1/orders']?.post?.responses['201']?.headers ?? {})).to.include('Idempotency-Replayed');
    expect(Object.keys(paths['/v1/orders']?.post?.responses['429']?.headers ?? {})).to.include('Retry-After');
  });

  it('catches a response outside the document: a missing field, an undocumented status, another content type', () => {
    const validators = new DocumentValidators(document());
    const ok = { orderId: 'o-1', awarded: 10, availableAt: '2026-02-15T03:00:00.000Z', tierBefore: null, tierAfter: null, trace: {} };
    expect(validators.response('/v1/orders', 'post', 201, 'application/json; charset=utf-8', ok)).to.deep.equal([]);
    const { awarded: _awarded, ...missing } = ok;
    expect(validators.response('/v1/orders', 'post', 201, 'application/json', missing)).to.deep.equal(['/awarded: is required']);
    expect(validators.response('/v1/orders', 'post', 418, 'application/json', ok)[0]).to.contain('418 is not documented');
    expect(validators.response('/v1/orders', 'post', 201, 'text/html', ok)[0]).to.contain('text/html is not documented');
    expect(validators.response('/v1/orders', 'post', 404, 'application/problem+json', { title: 'x' })).to.not.deep.equal([]);
  });
});
