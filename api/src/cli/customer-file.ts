/**
 * The customers file of `purna simulate`, read on demand instead of held in memory: customers can be as many as
 * orders. The file must be sorted by `id` (code-point order, as `LC_ALL=C sort` orders ASCII ids and jq's `sort_by`
 * orders any). One pass checks every profile and that order, and keeps the first id and byte offset of every block
 * of {@link BLOCK} lines; a lookup binary-searches the blocks, reads one block from disk and binary-searches its
 * lines. Memory: one index entry per {@link BLOCK} customers, the referral codes that some profile refers to, and a
 * bounded cache of recently read profiles, whatever the number of customers.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { CustomerInputSchema, referralKey, type CustomerDirectory, type CustomerInput } from '@purna/rules';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { CliError } from './cli-error.js';
import { readNdjson } from './ndjson-reader.js';

/** Customers per index entry. */
const BLOCK = 16;
/** Profiles (and misses) kept after a lookup. */
const CACHE = 4096;

// ajv-formats is CommonJS; its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
// A private ajv instance (no global configuration) checking profiles against the rules' own schema.
const checkCustomer = addFormats(new Ajv2020({ allErrors: false, strict: false })).compile(CustomerInputSchema);

/** What is wrong with a profile, as `customers.ndjson:LINE: ...`, or undefined when it is fine. */
function problemOf(value: unknown): string | undefined {
  if (checkCustomer(value)) return undefined;
  const first = checkCustomer.errors?.[0];
  const where = first?.instancePath ? `${first.instancePath} ` : '';
  const extra = first?.keyword === 'additionalProperties' ? ` (${JSON.stringify(first.params)})` : '';
  return `expected a customer profile (PUT /v1/customers/{id} shape): ${where}${first?.message ?? 'is invalid'}${extra}`;
}

interface Block {
  readonly firstId: string;
  readonly offset: number;
}

/**
 * A sorted NDJSON customers file, looked up by id and by referral code.
 *
 * @example
 * const customers = await CustomerFile.open('customers.ndjson', cwd);
 * try { customers.customer('c-000042') } finally { customers.close() }
 */
export class CustomerFile implements CustomerDirectory {
  readonly #shownAs: string;
  readonly #fd: number;
  readonly #blocks: Block[];
  readonly #size: number;
  /** Normalised referral code -> owner id, only for the codes some profile was referred by. */
  readonly #owners: Map<string, string>;
  readonly #cache = new Map<string, CustomerInput | null>();
  /** Customers in the file. */
  readonly count: number;

  private constructor(shownAs: string, fd: number, blocks: Block[], size: number, owners: Map<string, string>, count: number) {
    this.#shownAs = shownAs;
    this.#fd = fd;
    this.#blocks = blocks;
    this.#size = size;
    this.#owners = owners;
    this.count = count;
  }

  /** Reads the file once to check it and index it; a second pass finds the owners of the referral codes used. */
  static async open(file: string, cwd: string): Promise<CustomerFile> {
    const path = resolve(cwd, file);
    const blocks: Block[] = [];
    const referred = new Set<string>();
    let previous: { id: string; line: number } | undefined;
    let count = 0;
    let size = 0;
    for await (const { line, value, offset } of readNdjson(path, file, (p) => (size = p.totalBytes))) {
      const problem = problemOf(value);
      if (problem) throw new CliError(`${file}:${line}: ${problem}`);
      const customer = value as CustomerInput;
      if (previous !== undefined && !(previous.id < customer.id)) {
        const why = previous.id === customer.id ? `customer "${customer.id}" appears twice (lines ${previous.line} and ${line})` : `"${customer.id}" comes after "${previous.id}" (line ${previous.line})`;
        throw new CliError(`${file}:${line}: the customers file must be sorted by id: ${why}.\nSort it, for example: jq -c -s 'sort_by(.id)[]' ${file} > sorted-${file.replace(/^.*\//, '')}`);
      }
      if (count % BLOCK === 0) blocks.push({ firstId: customer.id, offset });
      if (customer.referredBy) {
        const key = referralKey(customer.referredBy.code);
        if (key !== undefined) referred.add(key);
      }
      previous = { id: customer.id, line };
      count++;
    }
    const owners = new Map<string, string>();
    if (referred.size > 0) {
      for await (const { value } of readNdjson(path, file)) {
        const customer = value as CustomerInput;
        const key = customer.referralCode === undefined ? undefined : referralKey(customer.referralCode);
        if (key !== undefined && referred.has(key)) owners.set(key, customer.id);
      }
    }
    return new CustomerFile(file, openSync(path, 'r'), blocks, size, owners, count);
  }

  /** The profile of `id`, or undefined when the file has none. */
  customer(id: string): CustomerInput | undefined {
    const cached = this.#cache.get(id);
    if (cached !== undefined) {
      // Refresh: the cache evicts the least recently used.
      this.#cache.delete(id);
      this.#cache.set(id, cached);
      return cached ?? undefined;
    }
    const found = this.#find(id);
    if (this.#cache.size >= CACHE) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(id, found ?? null);
    return found;
  }

  /** The customer whose referral code is `code` (normalised as the ledger does), or undefined. */
  referrer(code: string): CustomerInput | undefined {
    const key = referralKey(code);
    const id = key === undefined ? undefined : this.#owners.get(key);
    return id === undefined ? undefined : this.customer(id);
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.#fd);
  }

  #find(id: string): CustomerInput | undefined {
    // The last block whose first id is <= id.
    let lo = 0;
    let hi = this.#blocks.length - 1;
    if (hi < 0 || id < this.#blocks[0]!.firstId) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#blocks[mid]!.firstId <= id) lo = mid;
      else hi = mid - 1;
    }
    const start = this.#blocks[lo]!.offset;
    const end = this.#blocks[lo + 1]?.offset ?? this.#size;
    const bytes = Buffer.allocUnsafe(end - start);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(this.#fd, bytes, read, bytes.length - read, start + read);
      if (n === 0) throw new CliError(`${this.#shownAs} changed while the simulation was reading it`);
      read += n;
    }
    const lines = bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\n')
      .filter((text) => text.trim() !== '');
    let a = 0;
    let b = lines.length - 1;
    while (a <= b) {
      const mid = (a + b) >> 1;
      const customer = JSON.parse(lines[mid]!) as CustomerInput;
      if (customer.id === id) return customer;
      if (customer.id < id) a = mid + 1;
      else b = mid - 1;
    }
    return undefined;
  }
}
