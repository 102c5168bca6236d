/**
 * `purna keys create|list|revoke`: manages API keys directly in the store the API uses (the embedded store in
 * PURNA_DATA_DIR, or MongoDB with MONGODB_URI), through the ledger's `apiKeys`. The key format and hashing are the
 * API's own (api/src/auth/api-key.ts): only the hash is stored, the key is printed once.
 */
import { NotFound, type ApiKeyRecord, type Ledger } from '@purna/ledger';
import { generateApiKey } from '../../auth/api-key.js';
import { isScope, SCOPES } from '../../auth/scope.js';
import { CliError, EXIT_OK, UsageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { parseCommandLine, printedHelp, stringOption, type Command, type ParsedCommandLine } from '../command.js';
import { table } from '../number-format.js';
import { openStoreLedger, STORAGE_USAGE, tenantOf } from '../store-ledger.js';

const USAGE = `Usage: purna keys <create|list|revoke> [options]

  purna keys create --name <name> [--scopes checkout,crm,admin] [--tenant default]
      creates a key and prints it once (only its hash is stored)
  purna keys list [--tenant default] [--json]
      lists the tenant's keys (id, name, scopes, created, revoked)
  purna keys revoke <keyId> [--tenant default]
      revokes a key; requests with it are refused from then on

${STORAGE_USAGE}`;

function scopesOf(parsed: ParsedCommandLine): string[] {
  const text = stringOption(parsed, 'scopes') ?? 'checkout';
  const scopes = [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  const unknown = scopes.filter((s) => !isScope(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scopes must list scopes among ${SCOPES.join(', ')} separated by commas, got ${JSON.stringify(text)}`, 'keys');
  }
  return scopes;
}

async function create(ledger: Ledger, parsed: ParsedCommandLine, io: CliIo): Promise<void> {
  const name = stringOption(parsed, 'name');
  if (name === undefined || name.trim() === '' || name.length > 200) throw new UsageError('purna keys create needs --name <name> (1 to 200 characters), to tell keys apart later', 'keys');
  const generated = generateApiKey();
  const record: ApiKeyRecord = { tenantId: tenantOf(parsed, 'keys'), keyId: generated.keyId, hash: generated.hash, scopes: scopesOf(parsed), name: name.trim(), createdAt: new Date().toISOString() };
  await ledger.apiKeys.insert(record);
  if (parsed.values.json === true) {
    io.stdout.write(`${JSON.stringify({ key: generated.key, keyId: record.keyId, tenantId: record.tenantId, scopes: record.scopes, name: record.name, createdAt: record.createdAt }, null, 2)}\n`);
    return;
  }
  io.stdout.write(
    [
      `Created key ${record.keyId} "${record.name}" for tenant "${record.tenantId}" with scopes ${record.scopes.join(', ')}.`,
      'The key (shown once; only its hash is stored):',
      `  ${generated.key}`,
      '',
    ].join('\n'),
  );
}

async function list(ledger: Ledger, parsed: ParsedCommandLine, io: CliIo): Promise<void> {
  const tenant = tenantOf(parsed, 'keys');
  const keys = [...(await ledger.apiKeys.list(tenant))].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (parsed.values.json === true) {
    // Never the hash: it is of no use outside the store.
    io.stdout.write(`${JSON.stringify(keys.map(({ hash: _hash, ...visible }) => visible), null, 2)}\n`);
    return;
  }
  if (keys.length === 0) {
    io.stdout.write(`No keys for tenant "${tenant}". Create one with: purna keys create --name <name> --tenant ${tenant}\n`);
    return;
  }
  const rows = [['key id', 'name', 'scopes', 'created', 'revoked'], ...keys.map((k) => [k.keyId, k.name, k.scopes.join(','), k.createdAt, k.revokedAt ?? '-'])];
  io.stdout.write(`${table(rows, 5)}\n`);
}

async function revoke(ledger: Ledger, parsed: ParsedCommandLine, io: CliIo): Promise<void> {
  const keyId = parsed.positionals[1];
  if (keyId === undefined || parsed.positionals.length !== 2) throw new UsageError('purna keys revoke expects one <keyId> (see purna keys list)', 'keys');
  const tenant = tenantOf(parsed, 'keys');
  try {
    const record = await ledger.apiKeys.revoke(tenant, keyId, new Date().toISOString());
    io.stdout.write(`Revoked key ${record.keyId} "${record.name}" of tenant "${tenant}" at ${record.revokedAt ?? ''}.\n`);
  } catch (error) {
    if (error instanceof NotFound) throw new CliError(`no key ${JSON.stringify(keyId)} for tenant "${tenant}" (see purna keys list --tenant ${tenant})`);
    throw error;
  }
}

/**
 * The `keys` command.
 *
 * @example
 * npx purna keys create --name checkout --scopes checkout
 */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'create, list and revoke API keys in the store the API uses',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('keys', args, {
      name: { type: 'string' },
      scopes: { type: 'string' },
      tenant: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'mongodb-uri': { type: 'string' },
    });
    if (printedHelp(keysCommand, parsed, io)) return EXIT_OK;
    const action = parsed.positionals[0];
    const actions = { create, list, revoke } as const;
    if (action === undefined || !(action in actions)) throw new UsageError(`purna keys expects create, list or revoke, got ${action === undefined ? 'nothing' : JSON.stringify(action)}`, 'keys');
    if (action !== 'revoke' && parsed.positionals.length > 1) throw new UsageError(`purna keys ${action} takes no other argument, got ${JSON.stringify(parsed.positionals[1])}`, 'keys');
    const ledger = await openStoreLedger(parsed, io);
    try {
      await actions[action as keyof typeof actions](ledger, parsed, io);
    } finally {
      await ledger.close();
    }
    return EXIT_OK;
  },
};
