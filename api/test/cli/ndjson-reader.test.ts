import { expect } from 'chai';
import { NdjsonLineError, readNdjson } from '../../src/cli/ndjson-reader.js';
import { scratchFolder } from './support/run-purna.js';

async function collect(path: string): Promise<Array<{ line: number; value: unknown; offset: number }>> {
  const out: Array<{ line: number; value: unknown; offset: number }> = [];
  for await (const record of readNdjson(path, 'orders.ndjson')) out.push(record);
  return out;
}

describe('cli: NDJSON reader', () => {
  it('yields each value with its line number, skipping blank lines and CRLF endings', async () => {
    const scratch = await scratchFolder('ndjson');
    try {
      const path = await scratch.file('orders.ndjson', '{"id":"a"}\r\n\r\n{"id":"b"}\n   \n[1,2]');
      // Byte offsets: line 1 is 12 bytes with its CRLF, line 2 two more; line 3 is 11 bytes, line 4 four.
      expect(await collect(path)).to.deep.equal([
        { line: 1, value: { id: 'a' }, offset: 0 },
        { line: 3, value: { id: 'b' }, offset: 14 },
        { line: 5, value: [1, 2], offset: 29 },
      ]);
    } finally {
      await scratch.remove();
    }
  });

  it('gives the byte offset of every line across read chunks and multi-byte characters', async () => {
    const scratch = await scratchFolder('ndjson');
    try {
      // 3,000 lines of 30 to 90 bytes (well past one 64 KiB read), with two-byte characters.
      const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `c-${i}`, name: 'é'.repeat(i % 30) }));
      const path = await scratch.file('names.ndjson', `${lines.join('\n')}\n`);
      let offset = 0;
      const expected = lines.map((text, i) => {
        const record = { line: i + 1, value: JSON.parse(text) as unknown, offset };
        offset += Buffer.byteLength(text) + 1;
        return record;
      });
      expect(await collect(path)).to.deep.equal(expected);
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
