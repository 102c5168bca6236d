/**
 * Every request example of /openapi.json, sent as the document gives it (body, and the path parameters of the same
 * example name) to a fresh tenant in the order of the story they tell: the API takes each one (2xx), and every
 * answer conforms to the document. Two path parameters name what the API generates (a voucher code, a webhook
 * endpoint id); a client pastes them from an earlier answer, and so does this test.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { REQUEST_EXAMPLES } from '../src/openapi/request-examples.js';
import { DocumentValidators } from '../src/openapi/validator.js';
import { openRouteWorld, type Method, type RouteWorld } from './support/route-world.js';

interface SentExample {
  readonly operationId: string;
  readonly template: string;
  readonly name: string;
  readonly method: Method;
  readonly path: string;
  readonly body: unknown;
  readonly contentType: string;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every body example of the document, with its path filled from the parameters' examples of the same name. */
function examplesOf(document: JsonRecord): SentExample[] {
  const out: SentExample[] = [];
  for (const [template, item] of Object.entries(document.paths as Record<string, JsonRecord>)) {
    for (const [method, op] of Object.entries(item as Record<string, JsonRecord>)) {
      const content = (op.requestBody as JsonRecord | undefined)?.content as Record<string, JsonRecord> | undefined;
      if (!content) continue;
      const [contentType, body] = Object.entries(content)[0] ?? ['application/json', {}];
      const examples = (body.examples ?? {}) as Record<string, { value: unknown }>;
      const parameters = (op.parameters ?? []) as Array<{ name: string; in: string; examples?: Record<string, { value: string }> }>;
      for (const [name, example] of Object.entries(examples)) {
        const path = template.replace(/\{([^}]+)\}/g, (_, param: string) => {
          const value = parameters.find((p) => p.in === 'path' && p.name === param)?.examples?.[name]?.value;
          if (value === undefined) throw new Error(`${method.toUpperCase()} ${template}: example "${name}" gives no ${param}`);
          return encodeURIComponent(value);
        });
        out.push({ operationId: String(op.operationId), template, name, method: method as Method, path, body: example.value, contentType });
      }
    }
  }
  return out;
}

describe('request examples of /openapi.json', function () {
  this.timeout(30_000);
  let world: RouteWorld;
  let document: JsonRecord;

  before(async () => {
    // The story's instants are in 2026 and 2027; the app's now is after the last of them.
    world = await openRouteWorld({ kind: 'memory' }, {
      clock: () => Date.parse('2027-07-01T00:00:00Z'),
      webhooks: { resolve: () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]) },
    });
    document = (await world.call('get', '/openapi.json', undefined)).body as JsonRecord;
  });

  it('gives every request body at least one example, and every path parameter of it a value', () => {
    const sent = examplesOf(document);
    const withBody = Object.values(document.paths as Record<string, JsonRecord>).flatMap((item) =>
      Object.values(item as Record<string, JsonRecord>).filter((op) => op.requestBody !== undefined).map((op) => String(op.operationId)),
    );
    expect(withBody.length).to.be.greaterThan(25);
    expect([...new Set(sent.map((example) => example.operationId))].sort()).to.deep.equal([...withBody].sort());
  });

  it('has every example valid against the body schema the document gives, as a validating proxy would check it', () => {
    const validators = DocumentValidators.for(document as never);
    const invalid = examplesOf(document).flatMap((example) =>
      (validators.body(example.template, example.method)?.(example.body) ?? []).map((error) => `${example.operationId}/${example.name} ${error.pointer}: ${error.message}`),
    );
    expect(invalid).to.deep.equal([]);
  });

  it('publishes the example program of the repository', () => {
    const program: unknown = JSON.parse(readFileSync(new URL('../../examples/toko-aftercare.program.json', import.meta.url), 'utf8'));
    const published = examplesOf(document).find((example) => example.operationId === 'publishProgram');
    expect(published?.body).to.deep.equal(program);
  });

  it('has the API take every example as sent, in the order of the story, on a fresh tenant', async () => {
    const story = Object.keys(REQUEST_EXAMPLES);
    const sent = examplesOf(document).sort((a, b) => story.indexOf(a.operationId) - story.indexOf(b.operationId));
    expect(story.indexOf(sent[0]?.operationId ?? '')).to.equal(0);
    const answers = new Map<string, JsonRecord>();
    const outcomes: string[] = [];
    for (const example of sent) {
      let path = example.path;
      if (example.operationId === 'useVoucher') {
        const voucher = answers.get('redeemReward')?.voucher;
        const code = isRecord(voucher) ? voucher.code : undefined;
        path = path.replace(/[^/]+\/use$/, `${encodeURIComponent(typeof code === 'string' ? code : '')}/use`);
      }
      if (example.operationId === 'updateWebhookEndpoint') {
        const id = answers.get('createWebhookEndpoint')?.id;
        path = path.replace(/[^/]+$/, encodeURIComponent(typeof id === 'string' ? id : ''));
      }
      const res = await world.call(example.method, path, world.admin, example.body, { 'Content-Type': example.contentType });
      if (isRecord(res.body)) answers.set(example.operationId, res.body);
      outcomes.push(`${example.operationId}/${example.name} ${example.method.toUpperCase()} ${path} → ${res.status}${res.status >= 300 ? ` ${JSON.stringify(res.body)}` : ''}`);
    }
    expect(outcomes.filter((line) => !/ → 2\d\d$/.test(line)), outcomes.join('\n')).to.deep.equal([]);
  });

  it('lets Swagger UI keep the API key across reloads', async () => {
    // Swagger UI's own files are not API operations, so they are not in the document.
    const init = await request(world.app).get('/docs/swagger-ui-init.js');
    expect(init.status).to.equal(200);
    expect(init.text).to.match(/"persistAuthorization":\s*true/);
  });
});
