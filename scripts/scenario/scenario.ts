/**
 * Scenario files: a program and a sequence of timed operations with the results they must give
 * (format: ../shared/examples/README.md). This module loads them with clear errors and compares expectations.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Decimal } from '@purna/rules';

export const OPS = [
  'customer.upsert',
  'customer.get',
  'order.record',
  'order.quote',
  'order.return',
  'order.deliver',
  'order.cancel',
  'redemption.cancel',
  'event.record',
  'redemption.create',
  'jobs.birthdays',
  'jobs.anniversaries',
  'jobs.moments',
  'moments.count',
  'warranty.check',
  'warranty.register',
  'warranty.transfer',
  'case.open',
  'case.resolve',
  'goodwill.grant',
  'reward.redeem',
  'voucher.use',
  'warranty.claim',
] as const;
export type Op = (typeof OPS)[number];

export interface ScenarioStep {
  at: string;
  op: Op;
  input: Record<string, unknown>;
  expect?: Record<string, unknown>;
  note?: string;
}

export interface Scenario {
  name: string;
  file: string;
  programFile: string;
  program: unknown;
  steps: ScenarioStep[];
}

/** What a target did with one step. `values` holds only what the target really observed. */
export type StepOutcome =
  | {
      kind: 'ran';
      values: Record<string, unknown>;
      unchecked?: Record<string, string>;
      /** How the step's requests and responses departed from the API's OpenAPI document, one line each: any fails the step. */
      violations?: readonly string[];
    }
  | { kind: 'not-run'; reason: string };

export interface Target {
  name: string;
  /** Publishes the program (or compiles it) before the first step. */
  start(program: unknown): Promise<void>;
  run(step: ScenarioStep): Promise<StepOutcome>;
  close(): Promise<void>;
  /**
   * For a target that speaks HTTP: how many exchanges (request and response) it checked against the API's own
   * /openapi.json so far, and every violation found, the start's (document, program) included.
   */
  conformance?(): { exchanges: number; violations: readonly string[] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Loads and checks a scenario file; throws one error listing every problem with its place. */
export function loadScenario(file: string): Scenario {
  const path = resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read scenario ${path}: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  if (!isRecord(raw)) throw new Error(`${path}: a scenario must be a JSON object`);
  if (typeof raw.program !== 'string') problems.push('/program must be a path to the program file');
  if (!Array.isArray(raw.steps)) problems.push('/steps must be an array');
  const steps: ScenarioStep[] = [];
  if (Array.isArray(raw.steps)) {
    raw.steps.forEach((step: unknown, index) => {
      const where = `/steps/${index}`;
      if (!isRecord(step)) {
        problems.push(`${where} must be an object`);
        return;
      }
      if (typeof step.at !== 'string' || Number.isNaN(Date.parse(step.at))) {
        problems.push(`${where}/at must be an ISO 8601 instant, got ${JSON.stringify(step.at)}`);
      }
      if (typeof step.op !== 'string' || !(OPS as readonly string[]).includes(step.op)) {
        problems.push(`${where}/op must be one of ${OPS.join(', ')}, got ${JSON.stringify(step.op)}`);
      }
      if (!isRecord(step.input)) problems.push(`${where}/input must be an object`);
      if (step.expect !== undefined && !isRecord(step.expect)) problems.push(`${where}/expect must be an object`);
      steps.push(step as unknown as ScenarioStep);
    });
  }
  if (problems.length > 0) throw new Error(`${path} is not a valid scenario:\n  ${problems.join('\n  ')}`);
  const programFile = resolve(dirname(path), raw.program as string);
  let program: unknown;
  try {
    program = JSON.parse(readFileSync(programFile, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the scenario's program ${programFile}: ${(error as Error).message}`);
  }
  return { name: typeof raw.name === 'string' ? raw.name : path, file: path, programFile, program, steps };
}

function asDecimal(value: unknown): Decimal | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return new Decimal(value.trim());
  return undefined;
}

/**
 * Compares an expected value with an actual one: numbers and decimal strings by value ("40" equals "40.00"), a
 * number expected of a list by its length,
 * objects key by key (only the expected keys), arrays of plans by `planId`, `reasons` and `perks` as "must be present".
 * Returns one line per difference, each with its path.
 */
export function compareExpected(expected: unknown, actual: unknown, path = ''): string[] {
  const expectedNumber = asDecimal(expected);
  // A number expected of a list counts its items (`redemptionsReleased: 1`).
  if (expectedNumber && Array.isArray(actual)) {
    return expectedNumber.equals(actual.length) ? [] : [`${path || '/'}: expected ${JSON.stringify(expected)} items, got ${JSON.stringify(actual)}`];
  }
  if (expectedNumber) {
    const actualNumber = asDecimal(actual);
    if (actualNumber && actualNumber.equals(expectedNumber)) return [];
    return [`${path || '/'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const items: unknown[] = actual;
    if (path.endsWith('reasons') || path.endsWith('perks')) {
      // Reasons are answered as codes or as `{ code, message }`, perks as ids; the scenario names those that must be present.
      const codes = items.map((reason) => (isRecord(reason) ? reason.code : reason));
      const missing = expected.filter((reason) => !codes.includes(reason));
      return missing.length > 0 ? [`${path}: missing ${JSON.stringify(missing)} in ${JSON.stringify(actual)}`] : [];
    }
    return expected.flatMap((item, index) => {
      if (isRecord(item) && typeof item.planId === 'string') {
        const match = items.find((candidate) => isRecord(candidate) && candidate.planId === item.planId);
        if (!match) return [`${path}: no entry with planId ${item.planId}`];
        return compareExpected(item, match, `${path}[planId=${item.planId}]`);
      }
      return compareExpected(item, items[index], `${path}/${index}`);
    });
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return [`${path || '/'}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => compareExpected(value, actual[key], `${path}/${key}`));
  }
  return expected === actual ? [] : [`${path || '/'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

export interface StepReport {
  index: number;
  op: Op;
  at: string;
  status: 'pass' | 'fail' | 'not-run' | 'partial';
  mismatches: string[];
  /** Expected keys the target could not observe, with why. */
  unchecked: Record<string, string>;
  reason?: string;
}

/** Runs every step through a target; never reports a pass for an expectation that was not checked. */
export async function runScenario(scenario: Scenario, target: Target): Promise<StepReport[]> {
  await target.start(scenario.program);
  const reports: StepReport[] = [];
  try {
    for (const [index, step] of scenario.steps.entries()) {
      let outcome: StepOutcome;
      try {
        outcome = await target.run(step);
      } catch (error) {
        reports.push({
          index, op: step.op, at: step.at, status: 'fail', unchecked: {},
          mismatches: [`threw: ${(error as Error).stack ?? String(error)}`],
        });
        continue;
      }
      if (outcome.kind === 'not-run') {
        reports.push({ index, op: step.op, at: step.at, status: 'not-run', mismatches: [], unchecked: {}, reason: outcome.reason });
        continue;
      }
      const expected = step.expect ?? {};
      const unchecked: Record<string, string> = {};
      const checked: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(expected)) {
        if (outcome.unchecked && key in outcome.unchecked) unchecked[key] = outcome.unchecked[key] ?? '';
        else checked[key] = value;
      }
      const mismatches = [...compareExpected(checked, outcome.values), ...(outcome.violations ?? []).map((line) => `openapi: ${line}`)];
      const status = mismatches.length > 0 ? 'fail' : Object.keys(unchecked).length > 0 ? 'partial' : 'pass';
      reports.push({ index, op: step.op, at: step.at, status, mismatches, unchecked });
    }
  } finally {
    await target.close();
  }
  return reports;
}

/** One line per step and a closing count; the lines are what `npm run scenario` prints. */
export function formatReports(scenario: Scenario, target: string, reports: StepReport[]): string {
  const lines = [`scenario ${scenario.name} on target ${target}`];
  for (const report of reports) {
    const head = `  step ${String(report.index + 1).padStart(2)} ${report.op.padEnd(17)} ${report.status.toUpperCase()}`;
    lines.push(report.reason ? `${head}: ${report.reason}` : head);
    for (const mismatch of report.mismatches) lines.push(`      ${mismatch}`);
    for (const [key, why] of Object.entries(report.unchecked)) lines.push(`      not checked: ${key} (${why})`);
  }
  const count = (status: StepReport['status']): number => reports.filter((r) => r.status === status).length;
  lines.push(
    `  ${count('pass')} passed, ${count('fail')} failed, ${count('partial')} partly checked, ${count('not-run')} not run`,
  );
  return lines.join('\n');
}
