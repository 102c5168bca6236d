/**
 * The `http` target: starts the real server (`api/src/server.ts`) as a child process on a free port, on the
 * embedded store in a fresh folder (or MongoDB when `mongoUri` is given), and drives it over HTTP exactly as
 * ../shared/API.md fixes the contract. Nothing in-process is shared with the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { countMoments, noVoucher, observe, VoucherCodes, type Answer, type MomentsPage } from '../observe.js';
import type { JsonObject } from '../../../api/src/openapi/document.js';
import { ExchangeValidator, formatViolation, type Exchange, type Violation } from '../../../api/src/openapi/exchange-validator.js';
import type { ScenarioStep, StepOutcome, Target } from '../scenario.js';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * One request to the server at `base` with `adminKey`, and its response, as seen on the wire (the body parsed as
 * JSON; a body that is not JSON throws).
 *
 * @example const exchange = await exchangeOverHttp('http://127.0.0.1:3000', key, 'GET', '/v1/customers/ayu');
 */
export async function exchangeOverHttp(base: string, adminKey: string, method: string, path: string, body?: unknown): Promise<Exchange> {
  const requestHeaders: Record<string, string> = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const response = await fetch(`${base}${path}`, { method, headers: requestHeaders, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
    }
  }
  return {
    method,
    url: path,
    requestHeaders,
    ...(body === undefined ? {} : { requestBody: body }),
    status: response.status,
    responseHeaders: Object.fromEntries(response.headers),
    ...(parsed === undefined ? {} : { responseBody: parsed }),
  };
}

/**
 * The scenario's view of an exchange; a 5xx, or a 4xx not in `refusals` (the refusals a scenario may expect: 422 by
 * default, a delivered order's cancellation 409), throws with the answer.
 */
function answerOf(exchange: Exchange, refusals: readonly number[] = [422]): Answer {
  const { status, method, url } = exchange;
  if (status >= 500 || (status >= 400 && !refusals.includes(status))) {
    throw new Error(`${method} ${url} answered ${status}: ${(JSON.stringify(exchange.responseBody) ?? '').slice(0, 800)}`);
  }
  return {
    status,
    body: (exchange.responseBody ?? {}) as Record<string, unknown>,
    replayed: exchange.responseHeaders['idempotency-replayed'] === 'true',
  };
}

/**
 * One request to the server at `base` with `adminKey`; a 5xx, or a 4xx not in `refusals`, throws with the answer.
 *
 * @example const answer = await callOverHttp('http://127.0.0.1:3000', key, 'GET', '/v1/customers/ayu');
 */
export async function callOverHttp(base: string, adminKey: string, method: string, path: string, body?: unknown, refusals: readonly number[] = [422]): Promise<Answer> {
  return answerOf(await exchangeOverHttp(base, adminKey, method, path, body), refusals);
}

/** One request to the scenario's server as its admin (`callOverHttp` bound to a server). */
export type ScenarioCall = (method: string, path: string, body?: unknown, refusals?: readonly number[]) => Promise<Answer>;

/**
 * Runs one scenario step over HTTP through `call`, exactly as ../shared/API.md fixes the contract. Exported so a
 * test that owns its server (one it kills and restarts mid-scenario) drives the steps with the same mapping.
 * `vouchers` carries the codes of the run's reward redemptions from step to step (one per run: a scenario with
 * `voucher.use` steps must pass the same one to every step).
 *
 * @example const outcome = await runStepOverHttp((method, path, body) => callOverHttp(base, key, method, path, body), step, vouchers);
 */
export async function runStepOverHttp(call: ScenarioCall, step: ScenarioStep, vouchers = new VoucherCodes()): Promise<StepOutcome> {
  const input = step.input;
  const at = encodeURIComponent(step.at);
  let answer: Answer;
  switch (step.op) {
    case 'customer.upsert': {
      const { id, ...profile } = input;
      answer = await call('PUT', `/v1/customers/${encodeURIComponent(String(id))}`, profile);
      break;
    }
    case 'customer.get':
      answer = await call('GET', `/v1/customers/${encodeURIComponent(String(input.id))}?at=${at}`);
      break;
    case 'order.quote':
      answer = await call('POST', '/v1/orders/quote', input);
      break;
    case 'order.record':
      answer = await call('POST', '/v1/orders', input);
      break;
    case 'order.return': {
      const { orderId, ...body } = input;
      answer = await call('POST', `/v1/orders/${encodeURIComponent(String(orderId))}/returns`, { ...body, at: step.at });
      break;
    }
    case 'order.deliver': {
      const { orderId, ...body } = input;
      answer = await call('POST', `/v1/orders/${encodeURIComponent(String(orderId))}/deliveries`, { ...body, at: step.at });
      break;
    }
    case 'order.cancel': {
      const { orderId, ...body } = input;
      answer = await call('POST', `/v1/orders/${encodeURIComponent(String(orderId))}/cancellation`, { ...body, at: step.at }, [409]);
      break;
    }
    case 'redemption.cancel': {
      const { id, ...body } = input;
      answer = await call('POST', `/v1/redemptions/${encodeURIComponent(String(id))}/cancellation`, { ...body, at: step.at });
      break;
    }
    case 'event.record':
      answer = await call('POST', '/v1/events', { ...input, at: step.at });
      break;
    case 'redemption.create':
      answer = await call('POST', '/v1/redemptions', { ...input, at: step.at });
      break;
    case 'jobs.birthdays':
      answer = await call('POST', '/v1/jobs/birthday-rewards', { ...input, at: step.at });
      break;
    case 'jobs.anniversaries':
      answer = await call('POST', '/v1/jobs/anniversary-rewards', { ...input, at: step.at });
      break;
    case 'warranty.check':
      answer = await call('POST', '/v1/warranty/eligibility', { ...input, at: step.at });
      break;
    case 'warranty.register':
      answer = await call('POST', '/v1/warranty/contracts', { ...input, at: step.at });
      break;
    case 'warranty.transfer': {
      const { contractId, ...body } = input;
      answer = await call('POST', `/v1/warranty/contracts/${encodeURIComponent(String(contractId))}/transfers`, { ...body, at: step.at });
      break;
    }
    case 'case.open':
      answer = await call('POST', '/v1/cases', { receivedAt: step.at, ...input });
      break;
    case 'case.resolve': {
      const { id, ...body } = input;
      // 409: the status flow refuses the resolution (observed as `refused`).
      answer = await call('POST', `/v1/cases/${encodeURIComponent(String(id))}/resolution`, { ...body, at: step.at }, [409]);
      break;
    }
    case 'goodwill.grant':
      answer = await call('POST', '/v1/goodwill', { ...input, at: step.at });
      break;
    case 'reward.redeem': {
      const { rewardId, ...body } = input;
      answer = await call('POST', `/v1/rewards/${encodeURIComponent(String(rewardId))}/redemptions`, { ...body, at: step.at });
      vouchers.remember(String(body.id), answer);
      break;
    }
    case 'voucher.use': {
      const code = vouchers.codeFor(input);
      if (code === undefined) return { kind: 'not-run', reason: noVoucher(input) };
      const { orderId, customerId } = input;
      answer = await call('POST', `/v1/vouchers/${encodeURIComponent(code)}/use`, { orderId, customerId, at: step.at });
      break;
    }
    case 'warranty.claim': {
      const { contractId, ...body } = input;
      answer = await call('POST', `/v1/warranty/contracts/${encodeURIComponent(String(contractId))}/claims`, { ...body, at: step.at });
      break;
    }
    case 'jobs.moments':
      answer = await call('POST', '/v1/jobs/moments', { ...input, at: step.at });
      break;
    case 'moments.count': {
      const customerId = encodeURIComponent(String(input.customerId));
      answer = await countMoments(async (after) => (await call('GET', `/v1/moments?customerId=${customerId}&limit=500${after !== undefined ? `&after=${after}` : ''}`)).body as unknown as MomentsPage);
      break;
    }
  }
  return { kind: 'ran', values: observe(step.op, answer) };
}

export function httpTarget(options: { mongoUri?: string } = {}): Target {
  let child: ChildProcess | undefined;
  let base = '';
  let dataDir = '';
  let output = '';
  const adminKey = `pk_scenario_${randomBytes(24).toString('hex')}`;
  const vouchers = new VoucherCodes();
  // Every exchange is checked against the server's own /openapi.json, as a validating proxy would check it.
  let validator: ExchangeValidator | undefined;
  let exchanges = 0;
  const violations: Violation[] = [];
  let stepViolations: Violation[] = [];

  const call: ScenarioCall = async (method, path, body, refusals) => {
    const exchange = await exchangeOverHttp(base, adminKey, method, path, body);
    if (!validator) throw new Error('the OpenAPI document was not read before the first call');
    const found = validator.check(exchange);
    exchanges += 1;
    violations.push(...found);
    stepViolations.push(...found);
    return answerOf(exchange, refusals);
  };

  return {
    name: options.mongoUri ? 'http (mongo)' : 'http (embedded)',
    async start(program) {
      const port = await freePort();
      dataDir = mkdtempSync(join(tmpdir(), 'purna-scenario-http-'));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: String(port),
        PURNA_ADMIN_KEY: adminKey,
        PURNA_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        // The scenario's steps say when the moments run (jobs.moments), not the server's own clock.
        PURNA_SCHEDULER: 'off',
        // The scenario replays a year in minutes from one key; rate limiting is tested elsewhere.
        PURNA_RATE_LIMIT_PER_MINUTE: '100000',
        PURNA_RATE_LIMIT_BURST: '100000',
      };
      if (options.mongoUri) env.MONGODB_URI = options.mongoUri;
      else delete env.MONGODB_URI;
      child = spawn(process.execPath, ['--conditions=purna-source', '--import', 'tsx', 'api/src/server.ts'], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
      child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
      base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
        try {
          if ((await fetch(`${base}/readyz`)).ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`the server was not ready within 90 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const served = await exchangeOverHttp(base, adminKey, 'GET', '/openapi.json');
      if (served.status !== 200 || typeof served.responseBody !== 'object') throw new Error(`GET /openapi.json answered ${served.status}`);
      validator = new ExchangeValidator(served.responseBody as JsonObject);
      exchanges += 1;
      violations.push(...validator.check(served));
      await call('PUT', '/v1/program', program);
    },
    async run(step) {
      stepViolations = [];
      const outcome = await runStepOverHttp(call, step, vouchers);
      return outcome.kind === 'ran' && stepViolations.length > 0 ? { ...outcome, violations: stepViolations.map(formatViolation) } : outcome;
    },
    conformance: () => ({ exchanges, violations: violations.map(formatViolation) }),
    async close() {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child?.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
