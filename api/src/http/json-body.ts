/**
 * Reads a JSON body with a size limit, turning body-parser's failures into problem codes (413, 415, 400).
 */
import express, { type Request, type Response } from 'express';
import { ApiError } from './problem.js';

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

interface BodyParserError {
  type?: unknown;
  message?: unknown;
}

/**
 * A reader of JSON bodies of at most `limitBytes`.
 *
 * @example
 * const readJson = jsonBodyReader(1_048_576);
 * const body = await readJson(req, res); // undefined when there is no body
 */
export function jsonBodyReader(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, strict: false, type: () => true });
  return async (req: Request, res: Response): Promise<unknown> => {
    if (!hasBody(req)) return undefined;
    if (!req.is('application/json')) {
      throw new ApiError(
        'unsupported-media-type',
        `Send the body as application/json; got ${req.get('content-type') ?? 'no Content-Type'}.`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      parse(req, res, (error?: unknown) => {
        if (!error) {
          resolve();
          return;
        }
        const type = (error as BodyParserError).type;
        if (type === 'entity.too.large') {
          reject(new ApiError('payload-too-large', `The body is larger than ${limitBytes} bytes.`));
        } else if (type === 'entity.parse.failed') {
          const why = (error as BodyParserError).message;
          reject(new ApiError('malformed-json', `The body is not valid JSON: ${typeof why === 'string' ? why : 'parse error'}.`));
        } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
          reject(new ApiError('unsupported-media-type', 'The body must be UTF-8 JSON.'));
        } else {
          reject(error instanceof Error ? error : new Error('unreadable body'));
        }
      });
    });
    return req.body as unknown;
  };
}
