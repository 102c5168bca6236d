/**
 * Serves the built playground (scripts/playground/build.ts writes it; docs/playground.md) at `/playground/`, every
 * file with the Content-Security-Policy the page was built for: scripts, styles, workers and requests from this
 * origin only, and no 'unsafe-eval' (the program validator was generated at build time). A playground that was not
 * built answers a 404 problem that says how to build it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';
import { ApiError } from './problem.js';

/** The policy of every playground file. */
export const PLAYGROUND_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The playground the server serves: the one an installed @purna/api carries (built into the package while packing,
 * api/package.json's prepack), else where `npm run build:playground` writes it in a checkout.
 */
export const DEFAULT_PLAYGROUND_DIR = [new URL('../../playground/', import.meta.url), new URL('../../../playground/dist/', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, 'index.html'))) ?? fileURLToPath(new URL('../../../playground/dist/', import.meta.url));

/**
 * The router of `/playground`: the built files of `dir`, or a 404 problem when it holds no built playground.
 *
 * @example app.use('/playground', playgroundFiles(DEFAULT_PLAYGROUND_DIR, (error, res) => writeReply(res, problemReply(error))));
 */
export function playgroundFiles(dir: string, onProblem: (error: ApiError, res: Response) => void): Router {
  const router = express.Router();
  router.use((req: Request, res: Response, next: () => void) => {
    // The page's files are named relative to it, so it must be read at /playground/, not /playground.
    if (req.originalUrl.split('?')[0] === req.baseUrl) {
      res.redirect(301, `${req.baseUrl}/`);
      return;
    }
    res.setHeader('Content-Security-Policy', PLAYGROUND_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (existsSync(`${dir}/index.html`)) {
      next();
      return;
    }
    onProblem(new ApiError('route-not-found', `The playground is not built in ${dir}: run npm run build:playground.`), res);
  });
  router.use(express.static(dir, { index: 'index.html', fallthrough: true, cacheControl: true, maxAge: 0 }));
  return router;
}
