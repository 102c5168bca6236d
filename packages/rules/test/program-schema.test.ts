import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { OrderInputSchema, ProgramSchema, PROGRAM_SCHEMA_ID, programSchemaDocument } from '../src/index.js';

const example: unknown = JSON.parse(readFileSync(new URL('../../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8'));

function compile(schema: object) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe('program JSON Schema', () => {
  it('has the published $id and draft 2020-12', () => {
    expect(ProgramSchema.$id).to.equal(PROGRAM_SCHEMA_ID);
    expect(ProgramSchema.$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
  });

  it('accepts the shipped example program as it is', () => {
    const validate = compile(ProgramSchema);
    expect(validate(example), JSON.stringify(validate.errors)).to.equal(true);
  });

  it('rejects a negative pointsPer amount', () => {
    const validate = compile(ProgramSchema);
    const bad = structuredClone(example) as { earning: Array<{ award: { pointsPer?: { amount: unknown } } }> };
    bad.earning[0]!.award.pointsPer!.amount = '-5';
    expect(validate(bad)).to.equal(false);
    expect(validate.errors?.map((e) => e.instancePath)).to.include('/earning/0/award/pointsPer/amount');
  });

  it('stands alone as a document: every reference stays inside it, and it judges programs as the library does', () => {
    const document = programSchemaDocument();
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).to.be.greaterThan(0);
    expect(refs.filter((ref) => !ref.startsWith('"$ref":"#/')), 'references that leave the document').to.deep.equal([]);
    expect(document.$id).to.equal(PROGRAM_SCHEMA_ID);
    const validate = compile(document);
    expect(validate(example), JSON.stringify(validate.errors)).to.equal(true);
    const bad = structuredClone(example) as { earning: Array<{ when?: unknown }> };
    bad.earning[0]!.when = { all: [{ fact: 'order.total', op: 'no-such-op', value: '1' }] };
    expect(validate(bad)).to.equal(false);
    expect(compile(ProgramSchema)(bad)).to.equal(false);
  });

  it('gives editors the defaults the engine takes for a field left out', () => {
    const points = (programSchemaDocument().properties as Record<string, { properties: Record<string, { default?: unknown }> }>).points!;
    expect(points.properties.rounding?.default).to.equal('floor');
    expect(points.properties.pendingDays?.default).to.equal(0);
    expect(points.properties.pendingFrom?.default).to.equal('purchase');
  });

  it('describes an order', () => {
    const validate = compile(OrderInputSchema);
    expect(validate({ id: 'o-1', currency: 'IDR', lines: [{ sku: 'A', quantity: 1, unitPrice: '10' }] })).to.equal(true);
    expect(validate({ id: 'o-1', currency: 'IDR', lines: [] })).to.equal(false);
  });
});
