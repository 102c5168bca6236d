/**
 * Checks that a supertest response conforms to the OpenAPI document: its route and status are documented and its
 * headers and body validate against the document, with the same `ExchangeValidator` the scenario runner sends
 * every step through. Only the response is checked: route tests send bad requests on purpose.
 */
import { expect } from 'chai';
import type { Response } from 'supertest';
import type { PurnaApp } from '../../src/app.js';
import { ExchangeValidator, formatViolation, type Exchange } from '../../src/openapi/exchange-validator.js';

const validatorsByApp = new WeakMap<PurnaApp, ExchangeValidator>();

/** The validator of `app`'s own document, built once per app. */
export function exchangeValidatorOf(app: PurnaApp): ExchangeValidator {
  let validator = validatorsByApp.get(app);
  if (!validator) {
    validator = new ExchangeValidator(app.openApiDocument);
    validatorsByApp.set(app, validator);
  }
  return validator;
}

/**
 * The exchange a supertest response records: its request line, headers and body, and what was answered.
 *
 * @example
 * const exchange = exchangeOf(await request(app).get('/healthz'));
 */
export function exchangeOf(res: Response, requestBody?: unknown, requestHeaders: Record<string, string> = {}): Exchange {
  const req = (res as unknown as { req: { method: string; path: string } }).req;
  return {
    method: req.method,
    url: req.path,
    requestHeaders,
    // What went on the wire: supertest sends an object as JSON, which drops undefined fields.
    ...(requestBody === undefined ? {} : { requestBody: typeof requestBody === 'string' ? requestBody : (JSON.parse(JSON.stringify(requestBody)) as unknown) }),
    status: res.status,
    responseHeaders: res.headers,
    // supertest parses an empty body as {}; the wire had none.
    ...(res.text === '' || res.text === undefined ? {} : { responseBody: res.body }),
  };
}

/** What a test sent with a request, for {@link expectConforms} to check the request too. */
export interface Sent {
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Asserts that `res` is what the document says `app` answers; given what was `sent`, also that a request the API
 * took (2xx) is one the document accepts: a validating proxy in front of the API would refuse it otherwise.
 *
 * @example
 * expectConforms(app, await request(app).get('/healthz'));
 */
export function expectConforms(app: PurnaApp, res: Response, sent?: Sent): void {
  const validator = exchangeValidatorOf(app);
  const exchange = exchangeOf(res, sent?.body, sent?.headers);
  const path = exchange.url.split('?')[0] ?? '';
  if (!validator.match(exchange.method, path)) {
    // Only the app's own 404/405 answers may come from undocumented routes; they are problems.
    expect(res.status, `${exchange.method} ${path} is not in the document`).to.be.oneOf([404, 405]);
    expect(res.type).to.equal('application/problem+json');
    return;
  }
  const taken = sent !== undefined && res.status >= 200 && res.status < 300;
  const problems = (taken ? validator.check(exchange) : validator.checkResponse(exchange)).map(formatViolation);
  expect(problems, `${exchange.method} ${path} → ${res.status} ${JSON.stringify(res.body)}`).to.deep.equal([]);
}
