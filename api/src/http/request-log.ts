/**
 * Request ids and one structured log line per request. A caller's `X-Request-Id` is kept when it is a short
 * safe token, otherwise a UUID is made; the id is echoed back and put in every log line and problem answer.
 * Written here rather than adding pino-http so that what is logged is explicit: never the Authorization header,
 * never a body.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What the request-log middleware leaves in `res.locals`. */
export interface RequestLocals {
  requestId: string;
  log: Logger;
  tenantId?: string;
  keyId?: string;
}

/** The request id and logger of a request (set by `requestLog`). */
export function requestLocals(res: Response): RequestLocals {
  return res.locals as RequestLocals;
}

/**
 * Middleware: assigns the request id and logs the request when it finishes.
 *
 * @example
 * app.use(requestLog(logger));
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    const locals = res.locals as RequestLocals;
    locals.requestId = requestId;
    // The request's child logger is made when something logs (most requests log one line, at a level often off).
    let log: Logger | undefined;
    Object.defineProperty(locals, 'log', { get: () => (log ??= logger.child({ reqId: requestId })), enumerable: true, configurable: true });
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      if (res.statusCode < 500 && !logger.isLevelEnabled('info')) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        ...(locals.tenantId ? { tenantId: locals.tenantId, keyId: locals.keyId } : {}),
      };
      if (res.statusCode >= 500) locals.log.error(fields, 'request failed');
      else locals.log.info(fields, 'request');
    });
    next();
  };
}
