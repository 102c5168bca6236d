/**
 * The records of an orders file as `purna simulate` reads it (NDJSON: one order, or a record with a "type", per
 * line), or a JSON array of them, each with the line it starts on so a bad record is named by line.
 */

/** One record of the file and where it is. */
export interface OrdersFileRecord {
  readonly line: number;
  readonly value: unknown;
  /** Characters of the file read once this record is (for progress). */
  readonly end: number;
}

/** A line of the file that is not a record. */
export class OrdersFileError extends Error {
  constructor(fileName: string, line: number, message: string) {
    super(`${fileName}:${line}: ${message}`);
    this.name = 'OrdersFileError';
  }
}

function parseJson(text: string, fileName: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OrdersFileError(fileName, line, `not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Every record of `text`, in order. A file whose first character (after blanks) is `[` is one JSON array.
 *
 * @example [...ordersFileRecords('{"id":"a"}\n{"id":"b"}\n', 'orders.ndjson')].length // 2
 */
export function* ordersFileRecords(text: string, fileName: string): Generator<OrdersFileRecord> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trimStart().startsWith('[')) {
    const values = parseJson(body, fileName, 1);
    if (!Array.isArray(values)) throw new OrdersFileError(fileName, 1, 'expected an array of records');
    for (const [index, value] of values.entries()) yield { line: index + 1, value, end: Math.round(((index + 1) / values.length) * body.length) };
    return;
  }
  let start = 0;
  let line = 0;
  while (start < body.length) {
    const newline = body.indexOf('\n', start);
    const end = newline === -1 ? body.length : newline + 1;
    line++;
    const content = body.slice(start, end).trim();
    start = end;
    if (content !== '') yield { line, value: parseJson(content, fileName, line), end };
  }
}
