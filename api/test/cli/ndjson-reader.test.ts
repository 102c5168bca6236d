import { expect } from 'chai';
import { NdjsonLineError, readNdjson } from '../../src/cli/ndjson-reader.js';
import { scratchFolder } from './support/run-purna.js';

async function collect(path: string): Promise<Array<{ line: number; value: unknown }>> {
  const out: Array<{ line: number; value: unknown }> = [];
  for await (const record of readNdjson(path, 'orders.ndjson')) out.push(record);
  return out;
}

describe('cli: NDJSON reader', () => {
  it('yields each value with its line number, skipping blank lines and CRLF endings', async () => {
    const scratch = await scratchFolder('ndjson');
    try {
      const path = await scratch.file('orders.ndjson', '{"id":"a"}\r\n\r\n{"id":"b"}\n   \n[1,2]');
      expect(await collect(path)).to.deep.equal([
        { line: 1, value: { id: 'a' } },
        { line: 3, value: { id: 'b' } },
        { line: 5, value: [1, 2] },
      ]);
    } finally {
      await scratch.remove();
    }
  });

  it('names the file, line and column of a bad line', async () => {
    const scratch = await scratchFolder('ndjson');
    try {
      // Line 2 is missing the colon after "id": found at column 7, where the value starts.
      const path = await scratch.file('orders.ndjson', '{"id":"a"}\n{"id" "b"}\n{"id":"c"}\n');
      let error: unknown;
      try {
        await collect(path);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(NdjsonLineError);
      expect((error as NdjsonLineError).message).to.equal('orders.ndjson:2:7: expected ":" after the property name (each line must be one JSON value)');
    } finally {
      await scratch.remove();
    }
  });

  it('says when the file does not exist', async () => {
    let error: unknown;
    try {
      await collect('/nonexistent/orders.ndjson');
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.equal('cannot read orders.ndjson: no such file');
  });
});
