import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import * as rules from '@purna/rules';
import * as ledger from '@purna/ledger';
import * as api from '../src/index.js';
import { ERROR_TABLE } from '../src/http/error-table.js';
import { problemReply } from '../src/http/problem.js';

/**
 * ERROR_TABLE is the one place an error code meets HTTP: a class whose code has no row answers 500, and a row no
 * error can carry is dead. Both directions are checked here, so a new error class or a renamed code fails this
 * file until the table (and docs/api.md) follows.
 */

const KEBAB = /^[a-z]+(-[a-z]+)*$/;
const problem = { pointer: '/currency', code: 'currency-mismatch', message: 'must be IDR' };
const reason = { code: 'below-minimum', message: 'at least 100 points must be redeemed at once' };

/** One instance of every error class the three packages export (a class missing here fails the first test). */
const SAMPLES: ReadonlyArray<Error> = [
  new rules.ProgramError([problem]),
  new rules.InputError([problem]),
  new ledger.NotFound('customer', 'ayu'),
  new ledger.Conflict('referral code "AYU-1" belongs to another customer'),
  new ledger.CustomerErased('ayu'),
  new ledger.IdempotencyMismatch('o-1'),
  new ledger.RedemptionRefused('rd-1', [reason]),
  new ledger.ReturnRefused('r-1', [{ code: 'return-window-ended', message: 'the return window ended 2026-03-08T03:00:00.000Z, 30 days after its delivery' }]),
  new ledger.GoodwillRefused('gw-1', [reason]),
  new ledger.RewardRefused('rr-1', [{ code: 'out-of-stock', message: 'reward "tote" is out of stock' }]),
  new ledger.VoucherRefused('K7QM-2XPA-9RHD-TWCE', [{ code: 'voucher-used', message: 'voucher "K7QM-2XPA-9RHD-TWCE" was used on order "o-1"' }]),
  new ledger.WarrantyPlanRefused('wc-1', 'care-2y', [reason]),
  new ledger.WarrantyTransferRefused('wc-1', 'tr-1', [reason]),
  new ledger.CaseTransitionRefused('c-1', 'open', 'closed', rules.reasonOf('case.transition-not-allowed', { caseId: 'c-1', from: 'open', to: 'closed', allowed: ['in-progress', 'resolved'] })),
  new ledger.ContentionError('o-1'),
  new ledger.SimulatedCrash({ index: 1, method: 'insert', collection: 'orders', tenantId: 't', key: 'o-1' }),
  new api.ConfigError([{ variable: 'PURNA_PORT', message: 'must be a port number' }]),
];

/** Exported error classes the API deliberately has no row for, and why. */
const UNMAPPED = new Map<unknown, string>([
  [ledger.SimulatedCrash, 'a crash tests inject into a store must answer 500, like a real one'],
  [api.ConfigError, 'it stops the server at start-up, before any request'],
]);

function exportedErrorClasses(): Map<unknown, string> {
  const classes = new Map<unknown, string>();
  for (const [from, exports] of Object.entries({ '@purna/rules': rules, '@purna/ledger': ledger, '@purna/api': api })) {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === 'function' && value.prototype instanceof Error && !classes.has(value)) classes.set(value, `${from} ${name}`);
    }
  }
  return classes;
}

function codeOf(error: Error): unknown {
  return (error as { code?: unknown }).code;
}

/** The codes api/src passes to `new ApiError(...)`, read from the syntax tree so that comments do not count. */
function apiErrorCodesInSource(): { codes: Set<string>; notLiteral: string[] } {
  const root = join(import.meta.dirname, '..', 'src');
  const codes = new Set<string>();
  const notLiteral: string[] = [];
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'ApiError') {
        const first = node.arguments?.[0];
        if (first && ts.isStringLiteral(first)) codes.add(first.text);
        else notLiteral.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { codes, notLiteral };
}

describe('error codes and ERROR_TABLE', () => {
  it('has a sample of every error class that @purna/rules, @purna/ledger and @purna/api export', () => {
    const sampled = new Set<unknown>(SAMPLES.map((error) => error.constructor));
    const missing = [...exportedErrorClasses()].filter(([cls]) => !sampled.has(cls)).map(([, where]) => where);
    expect(missing, 'add a sample of each to SAMPLES').to.deep.equal([]);
  });

  it('gives every exported error class a kebab-case code with a row, except the few that must answer 500', () => {
    for (const error of SAMPLES) {
      const code = codeOf(error);
      const why = UNMAPPED.get(error.constructor);
      if (code !== undefined) expect(code, error.name).to.be.a('string').and.match(KEBAB);
      if (why === undefined) {
        expect(Object.keys(ERROR_TABLE), error.name).to.include(code);
        expect(problemReply(error).body.code, error.name).to.equal(code);
      } else {
        expect(problemReply(error).status, `${error.name}: ${why}`).to.equal(500);
      }
    }
  });

  it('keys every row by a kebab-case code that an error class or the API itself can produce', () => {
    const fromSource = apiErrorCodesInSource();
    expect(fromSource.notLiteral, 'new ApiError(...) with a code that is not a string literal').to.deep.equal([]);
    const storageDown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoServerSelectionError' });
    const produced = new Set<unknown>([
      ...SAMPLES.filter((error) => !UNMAPPED.has(error.constructor)).map(codeOf),
      ...fromSource.codes,
      problemReply(new Error('a bug')).body.code,
      problemReply(storageDown).body.code,
    ]);
    for (const code of Object.keys(ERROR_TABLE)) {
      expect(code).to.match(KEBAB);
      expect(produced.has(code), `ERROR_TABLE row "${code}" is produced by nothing (a dead row)`).to.equal(true);
    }
    for (const code of fromSource.codes) expect(Object.keys(ERROR_TABLE), 'new ApiError code').to.include(code);
  });
});
