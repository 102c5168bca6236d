/**
 * The audit trail (docs/data.md, "The audit trail"): every admin action of a tenant (a program published, a key
 * created or revoked, points adjusted, goodwill granted, a webhook endpoint changed), with the acting key, the time
 * and the request. Append-only: an entry is inserted once under a key that sorts by time and is never removed;
 * nothing in Purna writes the `audit` collection but `record`, and an erasure (erasure.ts), which puts the pseudonym
 * in place of the erased customer's id and `[erased]` in place of their words.
 */
import { inputError } from '@purna/rules';
import type { AuditEntry, AuditPage } from '../contract/audit.js';
import type { Store } from '../store/store.js';

/** Entries a page holds at most. */
export const AUDIT_PAGE_MAX = 500;
const SEP = '~';

/** The key of an entry: its instant, then its request (unique per request), so the trail lists in time order. */
function auditKey(entry: AuditEntry): string {
  return `${new Date(entry.at).toISOString()}${SEP}${entry.requestId}${SEP}${entry.action}`;
}

const KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z~/;

/** A tenant's audit trail on a store. */
export class AuditTrail {
  constructor(private readonly store: Store) {}

  /** Appends one entry; recording the same request's action again keeps the first. */
  async record(tenantId: string, entry: AuditEntry): Promise<void> {
    if (Number.isNaN(Date.parse(entry.at))) throw new TypeError(`audit: "at" must be an instant, got ${JSON.stringify(entry.at)}`);
    await this.store.insert('audit', tenantId, auditKey(entry), entry);
  }

  /** One page of the tenant's trail, oldest first, after the cursor `after` (a `nextCursor` this answered). */
  async list(tenantId: string, options: { after?: string; limit?: number } = {}): Promise<AuditPage> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), AUDIT_PAGE_MAX);
    if (options.after !== undefined && !KEY.test(options.after)) {
      inputError('/after', 'invalid-cursor', 'after is not a cursor of the audit trail: pass the nextCursor of the previous page, or none for the first page');
    }
    const rows = await this.store.list<AuditEntry>('audit', tenantId, { limit: limit + 1, ...(options.after !== undefined ? { after: options.after } : {}) });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map((row) => row.doc), ...(rows.length > limit && last ? { nextCursor: last.key } : {}) };
  }
}
