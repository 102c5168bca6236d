/**
 * Streams an NDJSON file (one JSON value per line) in constant memory, with line numbers and byte offsets, so that a
 * million records never sit in memory at once, a bad line is reported as `orders.ndjson:5123:17: expected "," between
 * values`, and a line can be read again later from its offset (the customers file, see customer-file.ts).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import { JsonDocument, JsonSyntaxError } from './json-document.js';

/** One value of an NDJSON file, the line it came from (1-based) and where that line starts in the file. */
export interface NdjsonRecord {
  readonly line: number;
  readonly value: unknown;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
}

/** Reading progress: bytes consumed out of the file size. */
export interface NdjsonProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/** A problem on one line of an NDJSON file. */
export class NdjsonLineError extends CliError {
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(file: string, line: number, column: number, message: string) {
    super(`${file}:${line}:${column}: ${message}`);
    this.name = 'NdjsonLineError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** Size of a file, or a clear error when it cannot be read. */
export async function fileSize(path: string, shownAs: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`${shownAs} is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${shownAs}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** The text of a line's bytes: without its CR of a CRLF ending, nor a UTF-8 byte order mark on the first line. */
export function lineText(bytes: Buffer, start: number, end: number, first: boolean): string {
  let stop = end;
  if (stop > start && bytes[stop - 1] === CARRIAGE_RETURN) stop--;
  const text = bytes.toString('utf8', start, stop);
  return first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses one line as JSON, or throws an {@link NdjsonLineError} naming the file, line and column.
 *
 * @example parseLine('{"id":"a"}', 'orders.ndjson', 1) // { id: 'a' }
 */
export function parseLine(text: string, shownAs: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw lineError(shownAs, line, text);
  }
}

/**
 * Yields every non-blank line of `path` parsed as JSON, in order, with its byte offset. A line that is not JSON
 * stops the stream with an {@link NdjsonLineError} naming the file, line and column.
 *
 * @param shownAs how the file is named in messages (the path the user typed).
 * @example
 * for await (const { line, value } of readNdjson('orders.ndjson', 'orders.ndjson')) ...
 */
export async function* readNdjson(path: string, shownAs: string, onProgress?: (progress: NdjsonProgress) => void): AsyncGenerator<NdjsonRecord> {
  const totalBytes = await fileSize(path, shownAs);
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  let line = 0;
  /** Bytes of the file before `rest`. */
  let consumed = 0;
  let rest: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bytes = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let end = bytes.indexOf(NEWLINE, start); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
        line++;
        const text = lineText(bytes, start, end, line === 1);
        const offset = consumed + start;
        start = end + 1;
        if (onProgress && (line & 1023) === 0) onProgress({ bytesRead: consumed + start, totalBytes });
        if (text.trim() === '') continue;
        yield { line, value: parseLine(text, shownAs, line), offset };
      }
      rest = bytes.subarray(start);
      consumed += start;
    }
    if (rest.length > 0) {
      line++;
      const text = lineText(rest, 0, rest.length, line === 1);
      if (text.trim() !== '') yield { line, value: parseLine(text, shownAs, line), offset: consumed };
    }
    onProgress?.({ bytesRead: totalBytes, totalBytes });
  } finally {
    stream.destroy();
  }
}

/** The first syntax problem of a line, located by the position-aware parser. */
function lineError(file: string, line: number, text: string): NdjsonLineError {
  try {
    JsonDocument.parse(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError && error.problems[0]) {
      const { position, message } = error.problems[0];
      return new NdjsonLineError(file, line, position.column, `${message} (each line must be one JSON value)`);
    }
  }
  return new NdjsonLineError(file, line, 1, 'not a JSON value (each line must be one JSON value)');
}
