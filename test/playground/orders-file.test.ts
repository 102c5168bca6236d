/** The playground's reading of an orders file: NDJSON as `purna simulate` reads it, or a JSON array. */
import { expect } from 'chai';
import { ordersFileRecords } from '../../playground/src/orders-file.js';

const read = (text: string) => [...ordersFileRecords(text, 'orders.ndjson')];

describe('playground: orders file', () => {
  it('reads NDJSON line by line, skipping blank lines, with CRLF endings and a byte order mark', () => {
    const records = read('\ufeff{"id":"a"}\r\n\r\n{"id":"b"}');
    expect(records.map((r) => [r.line, r.value])).to.deep.equal([
      [1, { id: 'a' }],
      [3, { id: 'b' }],
    ]);
    // The last record ends the text: progress reaches its end.
    expect(records.at(-1)!.end).to.equal('{"id":"a"}\r\n\r\n{"id":"b"}'.length);
  });

  it('reads a JSON array as records numbered from 1', () => {
    expect(read(' [{"id":"a"},{"id":"b"}]').map((r) => [r.line, r.value])).to.deep.equal([
      [1, { id: 'a' }],
      [2, { id: 'b' }],
    ]);
  });

  it('names the file and line of a line that is not JSON', () => {
    expect(() => read('{"id":"a"}\n{"id": }\n')).to.throw(/^orders\.ndjson:2: not valid JSON/);
  });
});
