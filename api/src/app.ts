/**
 * Builds the Express app. `server.ts` connects storage and listens; tests use this app through supertest.
 */
import express, { type Express } from 'express';

export interface AppOptions {
  /** Answers whether storage is reachable, for `/readyz`. */
  ready?: () => Promise<boolean>;
}

export function createApp(options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = options.ready ? await options.ready() : true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });
  return app;
}
