/**
 * Data the API and growth benchmarks share: the program they run and the customers they enrol.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Ledger } from '@purna/ledger';

/** The recipe program the API and growth benchmarks run (an Indonesian electronics shop). */
export const RECIPE_PROGRAM = new URL('../../docs/recipes/indonesian-electronics-idr.program.json', import.meta.url);

/** `bench-c-000042`. */
export function benchCustomerId(n: number): string {
  return `bench-c-${String(n).padStart(6, '0')}`;
}

/** Enrols `count` customers, `concurrency` at a time. */
export async function enrolCustomers(ledger: Ledger, tenantId: string, count: number, concurrency = 32, first = 0): Promise<void> {
  let next = first;
  const end = first + count;
  const worker = async () => {
    while (next < end) {
      const n = next++;
      await ledger.upsertCustomer(tenantId, { id: benchCustomerId(n), enrolledAt: '2025-01-01T00:00:00+07:00', tags: n % 10 === 0 ? ['vip'] : [] }, { at: '2025-01-01T00:00:00Z' });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Where benchmark databases live: tmpfs when there is one, so the figures show what Purna does rather than how
 * fast this machine's disk syncs (one durable commit on disk is measured on its own, in the growth section).
 */
export function fastDataRoot(): { root: string; label: string } {
  return existsSync('/dev/shm') ? { root: '/dev/shm', label: 'on tmpfs' } : { root: tmpdir(), label: 'on disk' };
}
