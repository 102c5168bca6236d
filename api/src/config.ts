/**
 * Start-up configuration from environment variables, validated all at once: a bad deployment hears about every
 * bad variable in one message, each with what was expected.
 */
import { isIP } from 'node:net';
import { DEFAULT_DELIVERY_CONCURRENCY, rateWindowMs } from '@purna/ledger';
import { parseApiKey } from './auth/api-key.js';
import { NO_ALLOW_HOSTS, parseAllowHosts, type AllowHosts } from './webhooks/allow-hosts.js';

/**
 * Requests a key may send by default: 6000 a minute in windows of 10 s (1000 each), sized for a shop's checkout on a
 * sale day (docs/operations.md, "Sizing the rate limits").
 */
export const DEFAULT_RATE_LIMIT = { perMinute: 6000, burst: 1000 } as const;

/** Voucher codes matching nothing a key may send by default: 20 per 40 s window (a person typing, not a script). */
export const DEFAULT_VOUCHER_MISSES = { perMinute: 30, burst: 20 } as const;

/** Log levels pino knows. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A validated configuration. */
export interface Config {
  readonly port: number;
  /** The address to listen on (HOST): an IP address or a host name; undefined listens on every address. */
  readonly host: string | undefined;
  /** When set, MongoDB is the store; otherwise the embedded store in `dataDir`. */
  readonly mongodbUri: string | undefined;
  readonly dataDir: string;
  /** `pk_<keyId>_<secret>` admin key of tenant `default`, or undefined to generate one at start. */
  readonly adminKey: string | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Requests per API key over every instance: PURNA_RATE_LIMIT_BURST per window of 60 s × burst ÷ per-minute. */
  readonly rateLimitPerMinute: number;
  readonly rateLimitBurst: number;
  /** Voucher codes matching nothing each key may send (PURNA_VOUCHER_MISSES_PER_MINUTE, PURNA_VOUCHER_MISSES_BURST). */
  readonly voucherMissesPerMinute: number;
  readonly voucherMissesBurst: number;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  /** The built-in moments scheduler runs (PURNA_SCHEDULER, default on), every `schedulerIntervalMs`. */
  readonly scheduler: boolean;
  readonly schedulerIntervalMs: number;
  /** The webhook delivery worker runs in the server (PURNA_WEBHOOK_DELIVERY, default on), every `deliveryIntervalMs`. */
  readonly webhookDelivery: boolean;
  readonly deliveryIntervalMs: number;
  /** Webhooks sent to one endpoint at once by each delivery worker (PURNA_WEBHOOK_CONCURRENCY, default 64). */
  readonly deliveryConcurrency: number;
  /** Hosts webhook endpoints may name with http and any address (PURNA_WEBHOOK_ALLOW_HOSTS, default none). */
  readonly webhookAllowHosts: AllowHosts;
}

/** Every variable that is wrong, each with its own message. */
export class ConfigError extends Error {
  readonly problems: ReadonlyArray<{ variable: string; message: string }>;

  constructor(problems: ReadonlyArray<{ variable: string; message: string }>) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Reads and checks the configuration.
 *
 * @throws ConfigError listing every bad variable.
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Env): Config {
  const problems: Array<{ variable: string; message: string }> = [];
  const integer = (variable: string, fallback: number, min: number, max: number): number => {
    const raw = env[variable];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push({ variable, message: `must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}` });
      return fallback;
    }
    return value;
  };
  const port = integer('PORT', 3000, 0, 65535);
  const host = env.HOST === undefined || env.HOST === '' ? undefined : env.HOST;
  if (host !== undefined && isIP(host) === 0 && !HOST_NAME.test(host)) {
    problems.push({ variable: 'HOST', message: `must be an IP address like 127.0.0.1 or ::, or a host name like localhost (no scheme, port or brackets), got ${JSON.stringify(host)}` });
  }
  const rateLimitPerMinute = integer('PURNA_RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT.perMinute, 1, 1_000_000);
  const rateLimitBurst = integer('PURNA_RATE_LIMIT_BURST', DEFAULT_RATE_LIMIT.burst, 1, 1_000_000);
  const voucherMissesPerMinute = integer('PURNA_VOUCHER_MISSES_PER_MINUTE', DEFAULT_VOUCHER_MISSES.perMinute, 1, 1_000_000);
  const voucherMissesBurst = integer('PURNA_VOUCHER_MISSES_BURST', DEFAULT_VOUCHER_MISSES.burst, 1, 1_000_000);
  // The window of a limit is 60 s × burst ÷ perMinute; under a second it would cost a store write per few requests.
  for (const [prefix, perMinute, burst] of [['PURNA_RATE_LIMIT', rateLimitPerMinute, rateLimitBurst], ['PURNA_VOUCHER_MISSES', voucherMissesPerMinute, voucherMissesBurst]] as const) {
    if (rateWindowMs({ perMinute, burst }) < 1000) {
      problems.push({ variable: `${prefix}_BURST`, message: `must be at least ${prefix}_PER_MINUTE ÷ 60 (${Math.ceil(perMinute / 60)}), so that each window of 60 s × burst ÷ per-minute lasts a second or more; got ${burst}` });
    }
  }
  const bodyLimitBytes = integer('PURNA_BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576);
  const shutdownTimeoutMs = integer('PURNA_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000);
  const schedulerIntervalMs = integer('PURNA_SCHEDULER_INTERVAL_MS', 60_000, 1000, 86_400_000);
  const onOff = (variable: string, offMeans: string): boolean => {
    const raw = env[variable];
    if (raw === undefined || raw === '' || raw === 'on') return true;
    if (raw === 'off') return false;
    problems.push({ variable, message: `must be on or off (off ${offMeans}), got ${JSON.stringify(raw)}` });
    return true;
  };
  const scheduler = onOff('PURNA_SCHEDULER', 'leaves the time-based moments to POST /v1/jobs/moments');
  const webhookDelivery = onOff('PURNA_WEBHOOK_DELIVERY', 'leaves webhook delivery to `purna worker`');
  const deliveryIntervalMs = integer('PURNA_WEBHOOK_DELIVERY_INTERVAL_MS', 1000, 100, 3_600_000);
  const deliveryConcurrency = integer('PURNA_WEBHOOK_CONCURRENCY', DEFAULT_DELIVERY_CONCURRENCY, 1, 256);

  const mongodbUri = env.MONGODB_URI === '' ? undefined : env.MONGODB_URI;
  if (mongodbUri !== undefined && !/^mongodb(\+srv)?:\/\/\S+$/.test(mongodbUri)) {
    problems.push({ variable: 'MONGODB_URI', message: 'must start with mongodb:// or mongodb+srv://' });
  }
  const dataDir = env.PURNA_DATA_DIR === undefined || env.PURNA_DATA_DIR === '' ? './.purna-data' : env.PURNA_DATA_DIR;
  if (/\0/.test(dataDir)) problems.push({ variable: 'PURNA_DATA_DIR', message: 'must be a folder path' });

  const adminKey = env.PURNA_ADMIN_KEY === '' ? undefined : env.PURNA_ADMIN_KEY;
  if (adminKey !== undefined && !parseApiKey(adminKey)) {
    problems.push({
      variable: 'PURNA_ADMIN_KEY',
      message:
        'must read pk_<key id: letters and digits>_<secret: at least 32 letters, digits, "-" or "_">; leave it unset and `npm start` prints a fresh one',
    });
  }
  const level = env.LOG_LEVEL === undefined || env.LOG_LEVEL === '' ? 'info' : env.LOG_LEVEL;
  const logLevel = LOG_LEVELS.find((known) => known === level);
  if (!logLevel) problems.push({ variable: 'LOG_LEVEL', message: `must be one of ${LOG_LEVELS.join(', ')}` });

  let webhookAllowHosts = NO_ALLOW_HOSTS;
  try {
    webhookAllowHosts = parseAllowHosts(env.PURNA_WEBHOOK_ALLOW_HOSTS);
  } catch (error) {
    // parseAllowHosts' sentence names each bad entry and what an entry may be; the variable is named once.
    problems.push({ variable: 'PURNA_WEBHOOK_ALLOW_HOSTS', message: (error as Error).message.replace(/^PURNA_WEBHOOK_ALLOW_HOSTS /, '') });
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    mongodbUri,
    dataDir,
    adminKey,
    logLevel: logLevel ?? 'info',
    rateLimitPerMinute,
    rateLimitBurst,
    voucherMissesPerMinute,
    voucherMissesBurst,
    bodyLimitBytes,
    shutdownTimeoutMs,
    scheduler,
    webhookDelivery,
    deliveryIntervalMs,
    deliveryConcurrency,
    schedulerIntervalMs,
    webhookAllowHosts,
  };
}
