/**
 * The OpenAPI exchange validator (api/src/openapi/exchange-validator.ts), the check the scenario runner sends every
 * step through: real exchanges with the app conform, and each way a request or a response can depart from the
 * document is reported with its operation, request, place and reason.
 */
import { expect } from 'chai';
import { ExchangeValidator, formatViolation, type Exchange, type Violation } from '../src/openapi/exchange-validator.js';
import { exchangeOf } from './support/conformance.js';
import { openRouteWorld, type RouteWorld } from './support/route-world.js';

const ORDER = {
  id: 'o-1',
  customerId: 'ayu',
  placedAt: '2026-02-01T10:00:00+07:00',
  currency: 'IDR',
  lines: [{ sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '12000000' }],
};

/** The parts of a violation a reader acts on. */
function where(violations: Violation[]): Array<Pick<Violation, 'operation' | 'in' | 'pointer'>> {
  return violations.map(({ operation, in: part, pointer }) => ({ operation, in: part, pointer }));
}

describe('OpenAPI exchange validator', function () {
  this.timeout(30_000);
  let world: RouteWorld;
  let validator: ExchangeValidator;
  let auth: Record<string, string>;
  /** A real, conforming exchange: Ayu's order recorded. */
  let recorded: Exchange;

  before(async () => {
    world = await openRouteWorld({ kind: 'memory' }, { clock: () => Date.parse('2026-06-01T00:00:00Z') });
    // Built from the document the app serves, as the scenario runner builds it.
    const served = await world.call('get', '/openapi.json', undefined);
    validator = new ExchangeValidator(served.body as never);
    auth = { authorization: `Bearer ${world.admin}`, 'content-type': 'application/json' };
    const program = (await import('../../examples/toko-aftercare.program.json', { with: { type: 'json' } })).default;
    expect((await world.call('put', '/v1/program', world.admin, program)).status).to.equal(201);
    const customer = { enrolledAt: '2026-01-05T09:00:00+07:00' };
    expect((await world.call('put', '/v1/customers/ayu', world.admin, customer)).status).to.equal(200);
    recorded = exchangeOf(await world.call('post', '/v1/orders', world.admin, ORDER), ORDER, auth);
    expect(recorded.status).to.equal(201);
  });

  it('passes real exchanges: an order recorded, a customer read with ?at, a customer put without the id in the body', async () => {
    const customer = { enrolledAt: '2026-01-05T09:00:00+07:00', birthDate: '1990-03-14' };
    const put = exchangeOf(await world.call('put', '/v1/customers/budi', world.admin, customer), customer, auth);
    const get = exchangeOf(await world.call('get', '/v1/customers/ayu?at=2026-03-01T00%3A00%3A00Z', world.admin), undefined, auth);
    expect(put.status).to.equal(200);
    expect(get.status).to.equal(200);
    expect([recorded, put, get].flatMap((exchange) => validator.check(exchange)).map(formatViolation)).to.deep.equal([]);
  });

  it('finds the operation by method and path template, a literal segment before a parameter', () => {
    expect(validator.match('POST', '/v1/orders/quote')?.operationId).to.equal('quoteOrder');
    expect(validator.match('POST', '/v1/orders/o-1/returns')).to.deep.include({ operationId: 'returnOrder', template: '/v1/orders/{orderId}/returns', params: { orderId: 'o-1' } });
    expect(validator.match('GET', '/v1/nothing-here')).to.equal(undefined);
  });

  it('reports a response missing a required field, at its pointer', () => {
    const { awarded: _awarded, ...body } = recorded.responseBody as Record<string, unknown>;
    const violations = validator.check({ ...recorded, responseBody: body });
    expect(where(violations)).to.deep.equal([{ operation: 'recordOrder', in: 'response-body', pointer: '/awarded' }]);
    expect(formatViolation(violations[0] as Violation)).to.equal('recordOrder POST /v1/orders → 201: response-body /awarded is required');
  });

  it('reports an undocumented status, a body where none is documented, and an undocumented content type', () => {
    expect(where(validator.check({ ...recorded, status: 418 }))).to.deep.equal([{ operation: 'recordOrder', in: 'status', pointer: '' }]);
    const html = { ...recorded, responseHeaders: { ...recorded.responseHeaders, 'content-type': 'text/html' } };
    expect(where(validator.check(html))).to.deep.equal([{ operation: 'recordOrder', in: 'response-header', pointer: '/Content-Type' }]);
    const health: Exchange = { method: 'GET', url: '/healthz', requestHeaders: {}, status: 200, responseHeaders: { 'content-type': 'application/json' }, responseBody: { status: 'ok' } };
    expect(validator.check(health)).to.deep.equal([]);
    const etag = validator.match('GET', '/openapi.json');
    expect(etag?.operationId).to.equal('openApiDocument');
    const notModified: Exchange = { method: 'GET', url: '/openapi.json', requestHeaders: {}, status: 304, responseHeaders: {}, responseBody: { stale: true } };
    expect(where(validator.check(notModified))).to.deep.equal([{ operation: 'openApiDocument', in: 'response-body', pointer: '' }]);
  });

  it('reports a request body the document refuses: an unknown field, a wrong type, a missing body', () => {
    const sent = { ...ORDER, lines: [{ ...ORDER.lines[0], quantity: 'one' }], colour: 'red' };
    expect(where(validator.check({ ...recorded, requestBody: sent }))).to.deep.equal([
      { operation: 'recordOrder', in: 'request-body', pointer: '/colour' },
      { operation: 'recordOrder', in: 'request-body', pointer: '/lines/0/quantity' },
    ]);
    const { requestBody: _body, ...bodiless } = recorded;
    expect(where(validator.check(bodiless))).to.deep.equal([{ operation: 'recordOrder', in: 'request-body', pointer: '' }]);
  });

  it('reports path and query parameters, request headers and missing credentials the document refuses', () => {
    const get: Exchange = { method: 'GET', url: '/v1/customers/ayu', requestHeaders: auth, status: 200, responseHeaders: {}, responseBody: undefined };
    const request = (url: string, headers = auth): Violation[] => validator.checkRequest({ ...get, url, requestHeaders: headers });
    expect(request('/v1/customers/ayu?at=2026-03-01T00%3A00%3A00Z')).to.deep.equal([]);
    expect(where(request('/v1/customers/ayu?at=yesterday'))).to.deep.equal([{ operation: 'getCustomer', in: 'query', pointer: '/at' }]);
    expect(where(request('/v1/customers/ayu?colour=red'))).to.deep.equal([{ operation: 'getCustomer', in: 'query', pointer: '/colour' }]);
    expect(where(request('/v1/customers/a%20b'))).to.deep.equal([{ operation: 'getCustomer', in: 'path', pointer: '/id' }]);
    expect(where(request('/v1/customers/ayu', { 'content-type': 'application/json' }))).to.deep.equal([
      { operation: 'getCustomer', in: 'request-header', pointer: '/Authorization' },
    ]);
    const replayKey = { ...recorded, requestHeaders: { ...auth, 'Idempotency-Key': 'two words' } };
    expect(where(validator.checkRequest(replayKey))).to.deep.equal([{ operation: 'recordOrder', in: 'request-header', pointer: '/Idempotency-Key' }]);
  });

  it('refuses, as the API does, a simulated order without customerId or placedAt and a replayed reward at no instant', () => {
    const simulate = (body: unknown): Exchange => ({ method: 'POST', url: '/v1/program/simulate', requestHeaders: auth, requestBody: body, status: 200, responseHeaders: {} });
    const { placedAt: _placedAt, customerId: _customerId, ...undated } = ORDER;
    const reward = { id: 'rr-1', customerId: 'ayu', rewardId: 'voucher-50k', at: 'yesterday' };
    expect(where(validator.checkRequest(simulate({ orders: [ORDER, undated], rewards: [reward] })))).to.deep.equal([
      { operation: 'simulateProgram', in: 'request-body', pointer: '/orders/1/customerId' },
      { operation: 'simulateProgram', in: 'request-body', pointer: '/orders/1/placedAt' },
      { operation: 'simulateProgram', in: 'request-body', pointer: '/rewards/0/at' },
    ]);
    expect(validator.checkRequest(simulate({ orders: [ORDER], rewards: [{ ...reward, at: '2026-03-01T10:00:00+07:00' }] }))).to.deep.equal([]);
  });

  it('reports a request on no documented operation', () => {
    const violations = validator.check({ ...recorded, method: 'DELETE' });
    expect(where(violations)).to.deep.equal([{ operation: '(none)', in: 'route', pointer: '' }]);
    expect(violations[0]?.message).to.equal('the document gives /v1/orders no DELETE operation');
  });

  it('checks response headers: a required one missing, a documented one with a value its schema refuses', () => {
    // The API's document marks no response header required; a small document shows the check does its part.
    const document = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            responses: {
              '200': {
                description: 'ok',
                headers: { 'X-Total': { required: true, schema: { type: 'string', pattern: '^[0-9]+$' } } },
                content: { 'application/json': { schema: { type: 'array' } } },
              },
            },
          },
        },
      },
    };
    const things = new ExchangeValidator(document);
    const exchange: Exchange = { method: 'GET', url: '/things', requestHeaders: {}, status: 200, responseHeaders: { 'content-type': 'application/json', 'x-total': '3' }, responseBody: [] };
    expect(things.check(exchange)).to.deep.equal([]);
    expect(where(things.check({ ...exchange, responseHeaders: { 'content-type': 'application/json' } }))).to.deep.equal([
      { operation: 'listThings', in: 'response-header', pointer: '/X-Total' },
    ]);
    expect(where(things.check({ ...exchange, responseHeaders: { 'content-type': 'application/json', 'x-total': 'many' } }))).to.deep.equal([
      { operation: 'listThings', in: 'response-header', pointer: '/X-Total' },
    ]);
  });
});
