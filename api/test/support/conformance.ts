/**
 * Checks that a supertest response conforms to the OpenAPI document: its route and status are documented and
 * its body validates against the document's schema for them.
 */
import { expect } from 'chai';
import type { Response } from 'supertest';
import type { PurnaApp } from '../../src/app.js';
import { DocumentValidators } from '../../src/openapi/validator.js';

const validatorsByApp = new WeakMap<PurnaApp, DocumentValidators>();

function templateFor(app: PurnaApp, method: string, path: string): string | undefined {
  const paths = Object.keys(app.openApiDocument.paths as object);
  return paths.find((template) => {
    const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const item = (app.openApiDocument.paths as Record<string, Record<string, unknown>>)[template];
    return pattern.test(path) && item?.[method] !== undefined;
  });
}

/**
 * Asserts that `res` is what the document says `app` answers.
 *
 * @example
 * expectConforms(app, await request(app).get('/healthz'));
 */
export function expectConforms(app: PurnaApp, res: Response): void {
  let validators = validatorsByApp.get(app);
  if (!validators) {
    validators = DocumentValidators.for(app.openApiDocument);
    validatorsByApp.set(app, validators);
  }
  const req = (res as unknown as { req: { method: string; path: string } }).req;
  const method = req.method.toLowerCase();
  const path = req.path.split('?')[0] ?? '';
  const template = templateFor(app, method, path);
  if (!template) {
    // Only the app's own 404/405 answers may come from undocumented routes; they are problems.
    expect(res.status, `${req.method} ${path} is not in the document`).to.be.oneOf([404, 405]);
    expect(res.type).to.equal('application/problem+json');
    return;
  }
  const problems = validators.response(template, method, res.status, res.headers['content-type'], res.body);
  expect(problems, `${req.method} ${path} → ${res.status} ${JSON.stringify(res.body)}`).to.deep.equal([]);
}
