/**
 * Streams an NDJSON file (one JSON value per line) in constant memory, with line numbers, so that a million orders
 * never sit in memory at once and a bad line is reported as `orders.ndjson:5123:17: expected "," between values`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { CliError } from './cli-error.js';
import { JsonDocument, JsonSyntaxError } from './json-document.js';

/** One value of an NDJSON file and the line it came from (1-based). */
export interface NdjsonRecord {
  readonly line: number;
  readonly value: unknown;
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

/**
 * Yields every non-blank line of `path` parsed as JSON, in order. A line that is not JSON stops the stream with an
 * {@link NdjsonLineError} naming the file, line and column.
 *
 * @param shownAs how the file is named in messages (the path the user typed).
 * @example
 * for await (const { line, value } of readNdjson('orders.ndjson', 'orders.ndjson')) ...
 */
export async function* readNdjson(
  path: string,
  shownAs: string,
  onProgress?: (progress: NdjsonProgress) => void,
): AsyncGenerator<NdjsonRecord> {
  const totalBytes = await fileSize(path, shownAs);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (onProgress && (line & 1023) === 0) onProgress({ bytesRead: stream.bytesRead, totalBytes });
      const trimmed = line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (trimmed.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        throw lineError(shownAs, line, trimmed);
      }
      yield { line, value };
    }
    onProgress?.({ bytesRead: totalBytes, totalBytes });
  } finally {
    lines.close();
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
