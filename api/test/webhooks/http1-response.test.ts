import { expect } from 'chai';
import { MAX_HEAD_BYTES, ResponseReader, type ResponseHead } from '../../src/webhooks/http1-response.js';

/** What a reader told, in order, fed `parts` one by one (then the connection's end, when `closed`). */
function read(parts: ReadonlyArray<string | Buffer>, closed = false): { heads: ResponseHead[]; body: string; ends: boolean[]; errors: string[]; cutShort: boolean[] } {
  const heads: ResponseHead[] = [];
  const body: Buffer[] = [];
  const ends: boolean[] = [];
  const errors: string[] = [];
  const cutShort: boolean[] = [];
  const reader = new ResponseReader({
    onHead: (head) => heads.push(head),
    // Copied: the view is only valid during the call.
    onBody: (chunk) => body.push(Buffer.from(chunk)),
    onEnd: (reusable) => ends.push(reusable),
    onError: (message, cut) => {
      errors.push(message);
      cutShort.push(cut);
    },
  });
  for (const part of parts) reader.push(typeof part === 'string' ? Buffer.from(part, 'latin1') : part);
  if (closed) reader.close();
  return { heads, body: Buffer.concat(body).toString('utf8'), ends, errors, cutShort };
}

/** `text` cut into one-byte chunks: every boundary a parser can be caught at. */
const byteByByte = (text: string): string[] => [...text];

describe('HTTP/1.1 answer reader', () => {
  it('reads a body counted by Content-Length, in one chunk or byte by byte, and keeps the connection', () => {
    const answer = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello';
    for (const parts of [[answer], byteByByte(answer)]) {
      expect(read(parts)).to.deep.equal({ heads: [{ status: 200 }], body: 'hello', ends: [true], errors: [], cutShort: [] });
    }
  });

  it('decodes chunks with extensions and trailers, byte by byte, and keeps the connection', () => {
    const answer = 'HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n4;note=x\r\nWiki\r\n0B\r\n pedia here\r\n0\r\nX-Trailer: 1\r\n\r\n';
    expect(read(byteByByte(answer))).to.deep.equal({ heads: [{ status: 202 }], body: 'Wiki pedia here', ends: [true], errors: [], cutShort: [] });
    expect(read(['HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'])).to.deep.equal({ heads: [{ status: 200 }], body: 'abc', ends: [true], errors: [], cutShort: [] });
  });

  it('skips interim answers and reads the final one', () => {
    const got = read(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n', 'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok']);
    expect(got).to.deep.equal({ heads: [{ status: 201 }], body: 'ok', ends: [true], errors: [], cutShort: [] });
  });

  it('ends 204 and 304 at their head, and gives up a connection that sends bytes nobody asked for', () => {
    expect(read(['HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n'])).to.deep.equal({ heads: [{ status: 204 }], body: '', ends: [true], errors: [], cutShort: [] });
    expect(read(['HTTP/1.1 304 Not Modified\r\n\r\n'])).to.deep.equal({ heads: [{ status: 304 }], body: '', ends: [true], errors: [], cutShort: [] });
    expect(read(['HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n\r\n']).ends).to.deep.equal([false]);
    expect(read(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA']).ends).to.deep.equal([false]);
    const after = read(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 'late']);
    expect(after.ends).to.deep.equal([true]);
    expect(after.errors).to.deep.equal([]);
  });

  it('does not keep a connection the receiver closes, or one of HTTP/1.0', () => {
    expect(read(['HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n']).ends).to.deep.equal([false]);
    expect(read(['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n']).ends).to.deep.equal([false]);
  });

  it('reads a body with no length to the connection\'s end, and one with another transfer coding likewise', () => {
    expect(read(['HTTP/1.1 200 OK\r\n\r\nall ', 'of it'], true)).to.deep.equal({ heads: [{ status: 200 }], body: 'all of it', ends: [false], errors: [], cutShort: [] });
    expect(read(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz'], true)).to.deep.equal({ heads: [{ status: 200 }], body: 'zz', ends: [false], errors: [], cutShort: [] });
    expect(read(['HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc'], true).body).to.equal('3\r\nabc');
  });

  it('gives the Location and the Keep-Alive timeout', () => {
    const got = read(['HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/x\r\nKeep-Alive: timeout=5, max=1000\r\nContent-Length: 0\r\n\r\n']);
    expect(got.heads).to.deep.equal([{ status: 302, location: 'https://elsewhere.example/x', keepAliveTimeoutMs: 5000 }]);
    expect(read(['HTTP/1.1 200 OK\r\nKeep-Alive: max=5\r\nContent-Length: 0\r\n\r\n']).heads).to.deep.equal([{ status: 200 }]);
  });

  it('refuses what is not an HTTP/1.1 answer, or is framed two ways, with a sentence', () => {
    const refused = (parts: string[], closed = false): string[] => {
      const got = read(parts, closed);
      expect(got.ends).to.deep.equal([]);
      return got.errors;
    };
    expect(refused(['hello\r\n\r\n'])).to.deep.equal(['the answer does not start with an HTTP/1.x status line ("hello")']);
    expect(refused(['HTTP/2 200\r\n\r\n'])[0]).to.match(/^the answer does not start with an HTTP\/1\.x status line/);
    expect(refused(['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'])).to.deep.equal(['the answer has a malformed header line ("no colon here")']);
    expect(refused(['HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n'])).to.deep.equal(['the answer has a malformed header line (" folded")']);
    expect(refused(['HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n'])[0]).to.match(/malformed header line/);
    expect(refused(['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n'])).to.deep.equal(['the answer has both Transfer-Encoding and Content-Length']);
    expect(refused(['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n'])).to.deep.equal(['the answer has two different Content-Length headers']);
    expect(refused(['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'])).to.deep.equal(['the answer\'s Content-Length is not a number of bytes ("-1")']);
    expect(refused(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'])).to.deep.equal(['the answer has a malformed chunk size ("zz")']);
    expect(refused(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n'])).to.deep.equal(['a chunk of the answer is longer than its size says']);
    expect(refused(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab', 'cdefgh'])).to.deep.equal(['a chunk of the answer is longer than its size says']);
    expect(refused(['HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n'])).to.deep.equal(['the answer switches protocols (101), which nothing asked for']);
    expect(refused([`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}`])).to.deep.equal([`the answer's head passed ${MAX_HEAD_BYTES} bytes`]);
  });

  it('tells a connection that ended before the answer from an answer that is malformed', () => {
    const cut = read(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'], true);
    expect(cut).to.deep.include({ body: 'short', ends: [], errors: ['the connection closed before the answer ended'], cutShort: [true] });
    expect(read(['HTTP/1.1 2'], true)).to.deep.include({ errors: ['the connection closed before the answer ended'], cutShort: [true] });
    expect(read([], true)).to.deep.include({ errors: ['the connection closed before an answer'], cutShort: [true] });
    expect(read(['bogus\r\n\r\n'])).to.deep.include({ cutShort: [false] });
  });

  it('tells its owner once: nothing after an error or the end', () => {
    const got = read(['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', 'garbage'], true);
    expect(got.ends).to.deep.equal([true]);
    expect(got.errors).to.deep.equal([]);
    const failed = read(['nonsense\r\n\r\n', 'HTTP/1.1 200 OK\r\n\r\n'], true);
    expect(failed.heads).to.deep.equal([]);
    expect(failed.errors).to.have.length(1);
  });
});
