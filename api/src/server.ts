/**
 * `npm start`: reads and checks the configuration, opens the ledger on the embedded store (or MongoDB when
 * `MONGODB_URI` is set), makes sure an admin key exists, listens, runs the moments scheduler and webhook delivery
 * (background-tasks.ts, unless turned off), and shuts down gracefully on SIGTERM/SIGINT.
 * Importing this module starts the server (`purna serve` does exactly that).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { createApp } from './app.js';
import { ensureAdminKey } from './auth/admin-key.js';
import { DEFAULT_PLAYGROUND_DIR } from './http/playground-files.js';
import { closeGracefully } from './graceful-shutdown.js';
import { startBackgroundTasks } from './background-tasks.js';
import { openConfiguredLedger, readConfigOrExit, storeOf, urlHost } from './startup.js';

const config = readConfigOrExit();
const logger = pino({ level: config.logLevel });
const storeConfig = storeOf(config);
const ledger = await openConfiguredLedger(config);
const admin = await ensureAdminKey(ledger.apiKeys, config.adminKey, new Date().toISOString());

let shuttingDown = false;
const app = createApp({
  ledger,
  logger,
  rateLimit: { perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst },
  voucherMisses: { perMinute: config.voucherMissesPerMinute, burst: config.voucherMissesBurst },
  bodyLimitBytes: config.bodyLimitBytes,
  webhooks: { allowHosts: config.webhookAllowHosts },
  // Ready while storage answers a read and the server is not draining.
  ready: async () => !shuttingDown && (await ledger.apiKeys.findStoredKey(admin.keyId).then(() => true, () => false)),
});

const server = config.host === undefined ? app.listen(config.port, onListening) : app.listen(config.port, config.host, onListening);

// Express 5 calls back once: with the error when the server cannot listen (an address this machine does not have,
// a port in use), which is a sentence naming the variables, not a stack trace.
function onListening(error?: NodeJS.ErrnoException): void {
  if (error) {
    console.error(`Purna could not listen on ${config.host ?? 'every address'} port ${config.port} (${error.code ?? error.message}): check HOST and PORT.`);
    process.exit(1);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const where = config.mongodbUri ? 'MongoDB' : `the embedded store in ${resolve(config.dataDir)}`;
  const base = `http://${urlHost(config.host)}:${port}`;
  const lines = [
    `Purna API on ${base} (data: ${where})`,
    `  interactive docs: ${base}/docs   document: ${base}/openapi.json`,
    existsSync(join(DEFAULT_PLAYGROUND_DIR, 'index.html'))
      ? `  playground for marketers: ${base}/playground/`
      : '  playground for marketers: not built (npm run build:playground), then at /playground/',
    admin.generated
      ? `  admin API key (tenant "default", every scope; shown once, only its hash is stored):\n    ${admin.key}`
      : `  admin API key: the one in PURNA_ADMIN_KEY (key id ${admin.keyId})`,
    '  paste it into /docs → Authorize, or send "Authorization: Bearer <key>"; guide: docs/api.md',
  ];
  console.log(lines.join('\n'));
  logger.info({ port, host: config.host ?? 'every address', store: storeConfig.kind }, 'listening');
}

const background = startBackgroundTasks(ledger, config, logger);

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down: finishing requests in flight');
  await background.stop();
  const clean = await closeGracefully(server, config.shutdownTimeoutMs);
  if (!clean) logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'requests still running at the timeout were cut');
  await ledger.close();
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
