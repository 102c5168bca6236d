/**
 * GET /schemas/program.v1.json: the program JSON Schema for editors, without a key, cacheable, byte for byte the
 * document @purna/rules ships (packages/rules/schema/program.schema.json), at the path of its `$id`; and the 304 of
 * /openapi.json when the ETag is current.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { PROGRAM_SCHEMA_ID } from '@purna/rules';
import { openRouteWorld, type RouteWorld } from './support/route-world.js';

const shipped: unknown = JSON.parse(readFileSync(new URL('../../packages/rules/schema/program.schema.json', import.meta.url), 'utf8'));

describe('public documents: GET /schemas/program.v1.json and /openapi.json', () => {
  let world: RouteWorld;
  before(async () => {
    world = await openRouteWorld({ kind: 'memory' });
  });

  it('serves the shipped program schema at the path of its $id, without a key, as application/schema+json', async () => {
    expect(new URL(PROGRAM_SCHEMA_ID).pathname).to.equal('/schemas/program.v1.json');
    const res = await world.call('get', '/schemas/program.v1.json', undefined);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/schema\+json/);
    expect(JSON.parse(res.text)).to.deep.equal(shipped);
    expect((JSON.parse(res.text) as { $id: string }).$id).to.equal(PROGRAM_SCHEMA_ID);
  });

  it('is cacheable: Cache-Control public with a max-age, and an ETag that answers 304 when it is current', async () => {
    const first = await world.call('get', '/schemas/program.v1.json', undefined);
    expect(first.headers['cache-control']).to.match(/^public, max-age=\d+$/);
    const etag = String(first.headers.etag);
    expect(etag).to.not.equal('undefined');
    const again = await world.call('get', '/schemas/program.v1.json', undefined, undefined, { 'If-None-Match': etag });
    expect(again.status).to.equal(304);
    expect(again.text).to.equal('');
  });

  it('answers /openapi.json with an ETag too, and 304 when the document is unchanged, as the document says', async () => {
    const first = await world.call('get', '/openapi.json', undefined);
    const again = await world.call('get', '/openapi.json', undefined, undefined, { 'If-None-Match': String(first.headers.etag) });
    expect(again.status).to.equal(304);
  });
});
