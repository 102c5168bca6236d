/**
 * Reads one HTTP/1.1 answer off a connection, as bytes arrive, for the webhook sender (webhook-sender.ts): the status,
 * the two headers the sender uses (`Location`, and `Keep-Alive`'s timeout), the body's bytes, and whether the
 * connection may carry the next request.
 *
 * Why our own: the sender needs a status, a bounded excerpt of the body and the message's end, nothing else, and a
 * general client (undici) cost a delivered webhook about a fifth of its CPU in objects and callbacks it does not
 * need (docs/benchmarks.md). What it reads comes from any receiver, so it is strict where framing is at stake and
 * bounded everywhere:
 * - The head (status line and headers) may take at most {@link MAX_HEAD_BYTES}; a chunk-size line at most 1 KiB, the
 *   trailers at most {@link MAX_HEAD_BYTES}. Beyond, the answer is malformed.
 * - Framing follows RFC 9112 section 6: 1xx answers are skipped (101 is refused: nothing asked to switch), 204 and
 *   304 have no body, `Transfer-Encoding` ending in `chunked` is decoded, any other transfer coding runs to the
 *   connection's close, `Content-Length` (digits only; repeated only with the same value) counts the body, and with
 *   neither the body runs to the close. Both headers at once is refused: a message framed two ways is how requests
 *   get smuggled, and a receiver that sends one is not trusted with the next request.
 * - The connection is reusable only when the answer is HTTP/1.1, framed by length, chunks or its status, complete,
 *   followed by no other byte, and not `Connection: close`. Everything else closes it, which costs a new connection,
 *   never a wrong answer matched to a later request.
 */

/** Bytes of the status line and headers (and of the trailers) read at most. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** Bytes of a chunk-size line read at most. */
const MAX_CHUNK_LINE_BYTES = 1024;

/**
 * The head of an answer, as far as the sender needs it.
 *
 * @example
 * // { status: 302, location: 'https://elsewhere.example/', keepAliveTimeoutMs: 5000 }
 */
export interface ResponseHead {
  readonly status: number;
  /** The `Location` header, if any (a redirect is reported, never followed). */
  readonly location?: string;
  /** The receiver's idle timeout from `Keep-Alive: timeout=<seconds>`, in ms, if it said one. */
  readonly keepAliveTimeoutMs?: number;
}

/** What a {@link ResponseReader} tells its owner, in the order the bytes give it. */
export interface ResponseEvents {
  /** The final answer's head (1xx answers are skipped). */
  onHead(head: ResponseHead): void;
  /** Bytes of the body (decoded from chunks); a view into the arriving buffer, valid during the call. */
  onBody(chunk: Buffer): void;
  /** The answer is complete; `reusable`: the connection may carry another request. */
  onEnd(reusable: boolean): void;
  /**
   * The answer cannot be read to its end: its bytes are not an HTTP/1.1 answer this reader accepts, or (`cutShort`)
   * the connection ended before the answer did. Either way the connection must be closed.
   */
  onError(message: string, cutShort: boolean): void;
}

type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

type State = 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'done';

const CRLF = Buffer.from('\r\n', 'latin1');
const CRLF_CRLF = Buffer.from('\r\n\r\n', 'latin1');
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\r\n]*)?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const startsWithCrlf = (bytes: Buffer): boolean => bytes[0] === 0x0d && bytes[1] === 0x0a;

/**
 * Parses one answer fed to it chunk by chunk ({@link push}), then the connection's end ({@link close}).
 *
 * @example
 * const reader = new ResponseReader({ onHead, onBody, onEnd, onError });
 * socket.on('data', (chunk) => reader.push(chunk));
 * socket.on('end', () => reader.close());
 */
export class ResponseReader {
  private state: State = 'head';
  /** Bytes of an unfinished head, chunk-size line or trailers. */
  private pending: Buffer | undefined;
  private framing: Framing = { kind: 'none' };
  private keepAlive = true;
  private chunkLeft = 0;
  private finished = false;

  constructor(private readonly events: ResponseEvents) {}

  /** Feeds the next bytes off the connection. */
  push(chunk: Buffer): void {
    let data = chunk;
    while (!this.finished) {
      if (this.state === 'done') {
        // Bytes after the answer: nobody asked for them, so the connection cannot be trusted with another request.
        if (data.length > 0) this.end(false);
        return;
      }
      if (data.length === 0) return;
      const rest = this.step(data);
      if (rest === undefined) return;
      data = rest;
    }
  }

  /** The connection ended (the peer closed it): completes an answer that runs to the close, or fails an unfinished one. */
  close(): void {
    if (this.finished) return;
    if (this.state === 'body' && this.framing.kind === 'close') this.end(false);
    else if (this.state === 'done') this.end(false);
    else this.fail(this.state === 'head' && this.pending === undefined ? 'the connection closed before an answer' : 'the connection closed before the answer ended', true);
  }

  /** One step of the state machine on `data`; answers the bytes it left, or undefined when it needs more. */
  private step(data: Buffer): Buffer | undefined {
    switch (this.state) {
      case 'head':
        return this.readHead(data);
      case 'body':
        return this.readBody(data);
      case 'chunk-size':
        return this.readChunkSize(data);
      case 'chunk-data': {
        const take = Math.min(this.chunkLeft, data.length);
        if (take > 0) this.events.onBody(data.subarray(0, take));
        this.chunkLeft -= take;
        if (this.chunkLeft === 0) this.state = 'chunk-end';
        return data.subarray(take);
      }
      case 'chunk-end':
        return this.readChunkEnd(data);
      case 'trailers':
        return this.readTrailers(data);
      default:
        return undefined;
    }
  }

  /** Joins what is pending with `data` and looks for `marker`; keeps the bytes when it is not there yet. */
  private until(data: Buffer, marker: Buffer, limit: number, what: string): { line: Buffer; rest: Buffer } | undefined {
    const joined = this.pending === undefined ? data : Buffer.concat([this.pending, data]);
    // Searched from a little before the new bytes, so a marker split across two chunks is found.
    const from = this.pending === undefined ? 0 : Math.max(0, this.pending.length - marker.length + 1);
    const at = joined.indexOf(marker, from);
    if (at < 0) {
      if (joined.length > limit) {
        this.fail(`${what} passed ${limit} bytes`);
        return undefined;
      }
      // Copied: `data` is the socket's buffer, which the caller may not keep.
      this.pending = Buffer.from(joined);
      return undefined;
    }
    if (at > limit) {
      this.fail(`${what} passed ${limit} bytes`);
      return undefined;
    }
    this.pending = undefined;
    return { line: joined.subarray(0, at), rest: joined.subarray(at + marker.length) };
  }

  private readHead(data: Buffer): Buffer | undefined {
    const found = this.until(data, CRLF_CRLF, MAX_HEAD_BYTES, 'the answer\'s head');
    if (found === undefined) return undefined;
    const lines = found.line.toString('latin1').split('\r\n');
    const statusLine = STATUS_LINE.exec(lines[0]!);
    if (statusLine === null) return this.fail(`the answer does not start with an HTTP/1.x status line (${JSON.stringify(lines[0]!.slice(0, 60))})`);
    const status = Number(statusLine[2]);
    let location: string | undefined;
    let keepAliveTimeoutMs: number | undefined;
    let length: number | undefined;
    let encodings: string | undefined;
    let close = false;
    for (let i = 1; i < lines.length; i += 1) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      // No folded lines (obsolete, RFC 9112 section 5.2), no names with spaces: both are ways to hide a header.
      if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) return this.fail(`the answer has a malformed header line (${JSON.stringify(line.slice(0, 60))})`);
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value)) return this.fail(`the answer's Content-Length is not a number of bytes (${JSON.stringify(value.slice(0, 40))})`);
        if (length !== undefined && length !== Number(value)) return this.fail('the answer has two different Content-Length headers');
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        encodings = encodings === undefined ? value : `${encodings}, ${value}`;
      } else if (name === 'connection') {
        if (value.toLowerCase().split(',').some((option) => option.trim() === 'close')) close = true;
      } else if (name === 'keep-alive') {
        const timeout = /(?:^|[,;\s])timeout\s*=\s*(\d{1,6})(?:$|[,;\s])/i.exec(value);
        if (timeout !== null) keepAliveTimeoutMs = Number(timeout[1]) * 1000;
      } else if (name === 'location') {
        location = value;
      }
    }
    if (status === 101) return this.fail('the answer switches protocols (101), which nothing asked for');
    if (status < 200) {
      // An interim answer (100 Continue, 103 Early Hints): the final one follows on the same connection.
      return found.rest;
    }
    const http11 = statusLine[1] === '1';
    // HTTP/1.0 keeps a connection only when asked to, and this reader does not ask: closed after the answer.
    this.keepAlive = http11 && !close;
    if (encodings !== undefined && length !== undefined) return this.fail('the answer has both Transfer-Encoding and Content-Length');
    if (status === 204 || status === 304) this.framing = { kind: 'none' };
    else if (encodings !== undefined) {
      const codings = encodings.toLowerCase().split(',').map((coding) => coding.trim()).filter((coding) => coding !== '');
      this.framing = codings[codings.length - 1] === 'chunked' && http11 ? { kind: 'chunked' } : { kind: 'close' };
    } else if (length !== undefined) this.framing = { kind: 'length', left: length };
    else this.framing = { kind: 'close' };
    this.events.onHead({ status, ...(location !== undefined ? { location } : {}), ...(keepAliveTimeoutMs !== undefined ? { keepAliveTimeoutMs } : {}) });
    if (this.finished) return undefined;
    switch (this.framing.kind) {
      case 'none':
        return this.completed(found.rest);
      case 'length':
        if (this.framing.left === 0) return this.completed(found.rest);
        this.state = 'body';
        return found.rest;
      case 'chunked':
        this.state = 'chunk-size';
        return found.rest;
      default:
        this.keepAlive = false;
        this.state = 'body';
        return found.rest;
    }
  }

  private readBody(data: Buffer): Buffer | undefined {
    if (this.framing.kind === 'close') {
      this.events.onBody(data);
      return undefined;
    }
    const framing = this.framing as { kind: 'length'; left: number };
    const take = Math.min(framing.left, data.length);
    this.events.onBody(data.subarray(0, take));
    framing.left -= take;
    if (framing.left > 0 || this.finished) return undefined;
    return this.completed(data.subarray(take));
  }

  private readChunkSize(data: Buffer): Buffer | undefined {
    const found = this.until(data, CRLF, MAX_CHUNK_LINE_BYTES, 'a chunk-size line');
    if (found === undefined) return undefined;
    const line = found.line.toString('latin1');
    const semicolon = line.indexOf(';');
    const size = (semicolon < 0 ? line : line.slice(0, semicolon)).trim();
    // At most 8 hex digits (4 GiB): the sender stops reading at 64 KiB long before a chunk that size ends.
    if (!/^[0-9A-Fa-f]{1,8}$/.test(size)) return this.fail(`the answer has a malformed chunk size (${JSON.stringify(line.slice(0, 40))})`);
    this.chunkLeft = Number.parseInt(size, 16);
    this.state = this.chunkLeft === 0 ? 'trailers' : 'chunk-data';
    return found.rest;
  }

  /** The CRLF after a chunk's data: anything else means the chunk ran on past its size. */
  private readChunkEnd(data: Buffer): Buffer | undefined {
    const joined = this.atLeast(data, 2);
    if (joined === undefined) return undefined;
    if (!startsWithCrlf(joined)) return this.fail('a chunk of the answer is longer than its size says');
    this.state = 'chunk-size';
    return joined.subarray(2);
  }

  private readTrailers(data: Buffer): Buffer | undefined {
    // The last chunk is followed by optional trailer lines and an empty line: the first CRLF closes an empty set.
    const joined = this.atLeast(data, 2);
    if (joined === undefined) return undefined;
    if (startsWithCrlf(joined)) return this.completed(joined.subarray(2));
    const found = this.until(joined, CRLF_CRLF, MAX_HEAD_BYTES, 'the answer\'s trailers');
    if (found === undefined) return undefined;
    return this.completed(found.rest);
  }

  /** What is pending and `data` together, once they hold at least `bytes`; until then they are kept pending. */
  private atLeast(data: Buffer, bytes: number): Buffer | undefined {
    const joined = this.pending === undefined ? data : Buffer.concat([this.pending, data]);
    if (joined.length < bytes) {
      // Copied: `data` is the socket's buffer, which the caller may not keep.
      this.pending = Buffer.from(joined);
      return undefined;
    }
    this.pending = undefined;
    return joined;
  }

  /** The answer ended; `rest` is what came after it, which leaves the connection unfit for another request. */
  private completed(rest: Buffer): undefined {
    this.state = 'done';
    this.end(this.keepAlive && rest.length === 0);
    return undefined;
  }

  private end(reusable: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.events.onEnd(reusable);
  }

  private fail(message: string, cutShort = false): undefined {
    if (this.finished) return undefined;
    this.finished = true;
    this.events.onError(message, cutShort);
    return undefined;
  }
}

