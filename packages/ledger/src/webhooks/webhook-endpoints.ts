/**
 * Webhook endpoints of a tenant: where its moments are POSTed, which types, and the secrets they are signed with.
 * Registration only; the delivery worker reads endpoints with `get`/`list`, signs with `signingSecrets` and calls
 * `disable` when an endpoint has failed for 3 days (docs/webhooks-delivery.md).
 *
 * Storage: `webhookEndpoints`, key = endpoint id (`we_<random base64url>`), one document per endpoint. Every change
 * is a compare-and-set on the document's version, retried on a lost race against the document as it now is, so two
 * changes of one endpoint (a PATCH beside the worker's `disable`) both land and neither undoes the other.
 *
 * Secrets are kept in the store, not hashes of them: signing needs the key itself. A deleted endpoint is marked
 * `deleted` (the Store port has no delete, and a delivery log will still name it) and its secrets are dropped; every
 * read treats it as absent.
 */
import { randomBytes } from 'node:crypto';
import { InputError, utcInstant, type MomentType } from '@purna/rules';
import {
  WebhookEndpointRequestSchema,
  WebhookEndpointUpdateSchema,
  type CreatedWebhookEndpoint,
  type WebhookEndpointView,
  type WebhookSecretRotation,
} from '../contract/webhooks.js';
import { ContentionError, NotFound } from '../errors.js';
import { textSchema } from '../contract/primitives.js';
import { checkId, checkInput, checkInteger } from '../ledger/input-check.js';
import type { Store, Versioned } from '../store/store.js';
import { generateWebhookSecret } from './webhook-secret.js';

/** One signing secret of an endpoint. */
export interface WebhookSecretRecord {
  /** `whsec_<base64>`. */
  secret: string;
  createdAt: string;
  /** Absent while it is the current secret; set to 24 hours after the rotation that replaced it. */
  expiresAt?: string;
}

/** An endpoint as stored, secrets included: what the delivery worker reads. Never answer it as it is. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Empty: every type. */
  types: MomentType[];
  description?: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Newest first. */
  secrets: WebhookSecretRecord[];
  disabledReason?: string;
  disabledAt?: string;
}

/** The stored document: an endpoint, possibly deleted. */
interface WebhookEndpointDoc extends WebhookEndpoint {
  deleted?: true;
  deletedAt?: string;
}

/** One page of endpoints, in id order. */
export interface WebhookEndpointList {
  items: WebhookEndpoint[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/** The instant of a change (default: the ledger's clock). */
export interface WebhookChangeOptions {
  now?: string;
}

/** How the ledger makes endpoint ids and secrets; tests may pass their own. */
export interface WebhookEndpointSources {
  newId?: () => string;
  newSecret?: () => string;
}

const ENDPOINTS = 'webhookEndpoints';
/** How long a replaced secret keeps signing, so receivers can switch without missing a webhook. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;
/** Compare-and-set attempts before a change gives up (only other changes of the same endpoint compete). */
const MAX_ATTEMPTS = 20;
/** Documents read per round trip while listing. */
const PAGE = 100;
const DisableReasonSchema = textSchema('why it was disabled', 500);
const ID_PATTERN = /^we_[A-Za-z0-9_-]{1,64}$/;

/** A fresh endpoint id: `we_` and 16 random bytes in base64url. */
export function newWebhookEndpointId(): string {
  return `we_${randomBytes(16).toString('base64url')}`;
}

/**
 * The endpoint as a reader may see it: without its secrets.
 *
 * @example res.json(webhookEndpointView(await ledger.webhookEndpoints.get('shop', id)))
 */
export function webhookEndpointView(endpoint: WebhookEndpoint & { deletedAt?: string }): WebhookEndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    types: [...endpoint.types],
    ...(endpoint.description !== undefined ? { description: endpoint.description } : {}),
    enabled: endpoint.enabled,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
    ...(endpoint.disabledReason !== undefined ? { disabledReason: endpoint.disabledReason } : {}),
    ...(endpoint.disabledAt !== undefined ? { disabledAt: endpoint.disabledAt } : {}),
    ...(endpoint.deletedAt !== undefined ? { deletedAt: endpoint.deletedAt } : {}),
  };
}

/**
 * The secrets that still sign at `now`, newest first: the current one, and during the 24 hours after a rotation
 * the one it replaced. Every one of them signs each webhook (`webhookHeaders` takes the list), so a receiver that
 * still holds the previous secret verifies.
 *
 * @example webhookHeaders(momentId, seconds, body, signingSecrets(endpoint, now))
 */
export function signingSecrets(endpoint: Pick<WebhookEndpoint, 'secrets'>, now: string): string[] {
  const at = utcInstant(now, '/now');
  return endpoint.secrets
    .filter((s) => s.expiresAt === undefined || s.expiresAt > at)
    .sort((a, b) => (a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? 1 : -1))
    .map((s) => s.secret);
}

/**
 * The webhook endpoints of every tenant on one store.
 *
 * @example
 * const { id, secret } = await ledger.webhookEndpoints.create('shop', { url: 'https://crm.example.com/purna' });
 * const { secret: next } = await ledger.webhookEndpoints.rotateSecret('shop', id);
 * signingSecrets(await ledger.webhookEndpoints.get('shop', id), now) // [next, secret] for 24 hours, then [next]
 */
export class WebhookEndpoints {
  private readonly newId: () => string;
  private readonly newSecret: () => string;

  constructor(
    private readonly store: Store,
    private readonly now: () => string = () => new Date().toISOString(),
    sources: WebhookEndpointSources = {},
  ) {
    this.newId = sources.newId ?? newWebhookEndpointId;
    this.newSecret = sources.newSecret ?? (() => generateWebhookSecret());
  }

  /**
   * Registers an endpoint, enabled, with a fresh secret; answers it with the secret (the one answer besides a
   * rotation that carries it). Throws one InputError listing every bad field before anything is stored.
   */
  async create(tenantId: string, request: unknown, options: WebhookChangeOptions = {}): Promise<CreatedWebhookEndpoint> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const input = checkInput(WebhookEndpointRequestSchema, request, '', 'webhook endpoint');
    const now = this.instant(options);
    const secret = this.newSecret();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const id = this.newId();
      const doc: WebhookEndpointDoc = {
        id,
        url: input.url,
        types: [...(input.types ?? [])],
        ...(input.description !== undefined ? { description: input.description } : {}),
        enabled: true,
        createdAt: now,
        updatedAt: now,
        secrets: [{ secret, createdAt: now }],
      };
      const { inserted } = await this.store.insert<WebhookEndpointDoc>(ENDPOINTS, tenantId, id, doc);
      // 128 random bits do not collide; an injected generator might.
      if (inserted) return { ...webhookEndpointView(doc), secret };
    }
    throw new ContentionError('webhook-endpoint:create');
  }

  /** The endpoint with its secrets; NotFound when this tenant has none by that id, or it was deleted. */
  async get(tenantId: string, id: string): Promise<WebhookEndpoint> {
    return stored((await this.read(tenantId, id)).doc);
  }

  /** The tenant's endpoints in id order, `limit` (1 to 500, default 50) at a time; deleted ones are left out. */
  async list(tenantId: string, options: { cursor?: string; limit?: number } = {}): Promise<WebhookEndpointList> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const limit = Math.min(Math.max(options.limit === undefined ? 50 : checkInteger(options.limit, '/limit', 'limit'), 1), 500);
    if (options.cursor !== undefined && !ID_PATTERN.test(options.cursor)) {
      throw new InputError([{ pointer: '/cursor', code: 'invalid-cursor', message: 'cursor is not a cursor of the webhook endpoints; pass the nextCursor of the previous page' }]);
    }
    let after = options.cursor;
    const items: WebhookEndpoint[] = [];
    for (;;) {
      const rows = await this.store.list<WebhookEndpointDoc>(ENDPOINTS, tenantId, { limit: PAGE, ...(after !== undefined ? { after } : {}) });
      for (const row of rows) {
        if (row.doc.deleted) continue;
        items.push(stored(row.doc));
        if (items.length >= limit) return { items, nextCursor: row.key };
      }
      const last = rows[rows.length - 1];
      if (rows.length < PAGE || !last) return { items };
      after = last.key;
    }
  }

  /**
   * Changes the fields sent. `enabled: true` clears `disabledReason` and `disabledAt`; `enabled: false` disables
   * it by hand (no reason). Throws one InputError listing every bad field before anything is stored.
   */
  async update(tenantId: string, id: string, request: unknown, options: WebhookChangeOptions = {}): Promise<WebhookEndpoint> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const input = checkInput(WebhookEndpointUpdateSchema, request, '', 'webhook endpoint change');
    const now = this.instant(options);
    return this.change(tenantId, id, (doc) => {
      const next: WebhookEndpointDoc = { ...doc, updatedAt: now };
      if (input.url !== undefined) next.url = input.url;
      if (input.types !== undefined) next.types = [...input.types];
      if (input.description !== undefined) next.description = input.description;
      if (input.enabled === true && !doc.enabled) return enabled(next);
      if (input.enabled === false && doc.enabled) return { ...next, enabled: false, disabledAt: now };
      return next;
    });
  }

  /**
   * Disables the endpoint with a reason (what the delivery worker calls when a message has failed for 3 days).
   * An endpoint already disabled keeps its first reason and instant.
   */
  async disable(tenantId: string, id: string, reason: string, at: string): Promise<WebhookEndpoint> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const why = checkInput(DisableReasonSchema, reason, '/reason', 'disable reason');
    const now = utcInstant(at, '/at');
    return this.change(tenantId, id, (doc) => (doc.enabled ? { ...doc, enabled: false, disabledReason: why, disabledAt: now, updatedAt: now } : doc));
  }

  /** Deletes the endpoint: it is no longer read, listed or changed, and its secrets are dropped. Answers it as it was. */
  async delete(tenantId: string, id: string, options: WebhookChangeOptions = {}): Promise<WebhookEndpointView> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const now = this.instant(options);
    let before: WebhookEndpoint | undefined;
    await this.change(tenantId, id, (doc) => {
      before = stored(doc);
      return { ...doc, enabled: false, secrets: [], deleted: true, deletedAt: now, updatedAt: now };
    });
    return { ...webhookEndpointView(before as WebhookEndpoint), deletedAt: now };
  }

  /**
   * A new secret, which signs from now on; the secret it replaces keeps signing for 24 hours so receivers can
   * switch without missing a webhook. Secrets already expired are dropped. Answers the new secret, shown this once.
   */
  async rotateSecret(tenantId: string, id: string, options: WebhookChangeOptions = {}): Promise<WebhookSecretRotation> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const now = this.instant(options);
    const expiresAt = new Date(Date.parse(now) + PREVIOUS_SECRET_TTL_MS).toISOString();
    const secret = this.newSecret();
    await this.change(tenantId, id, (doc) => {
      const kept = doc.secrets
        .filter((s) => s.expiresAt === undefined || s.expiresAt > now)
        // A secret already on its way out keeps its own, earlier, end.
        .map((s) => (s.expiresAt !== undefined && s.expiresAt <= expiresAt ? s : { ...s, expiresAt }));
      return { ...doc, secrets: [{ secret, createdAt: now }, ...kept], updatedAt: now };
    });
    return { id, secret, previousSecretExpiresAt: expiresAt };
  }

  /** The secrets that still sign at `now`, newest first (see the function of the same name). */
  signingSecrets(endpoint: Pick<WebhookEndpoint, 'secrets'>, now: string): string[] {
    return signingSecrets(endpoint, now);
  }

  private instant(options: WebhookChangeOptions): string {
    return utcInstant(options.now ?? this.now(), '/now');
  }

  private async read(tenantId: string, id: string): Promise<Versioned<WebhookEndpointDoc>> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(id, '/id', 'webhook endpoint id');
    const found = await this.store.get<WebhookEndpointDoc>(ENDPOINTS, tenantId, id);
    if (!found || found.doc.deleted) throw new NotFound('webhook endpoint', id);
    return found;
  }

  /** Applies `mutate` to the endpoint as it is, by compare-and-set, again on the newer version after a lost race. */
  private async change(tenantId: string, id: string, mutate: (doc: WebhookEndpointDoc) => WebhookEndpointDoc): Promise<WebhookEndpoint> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await this.read(tenantId, id);
      const next = mutate(current.doc);
      if (next === current.doc) return stored(current.doc);
      const written = await this.store.replace<WebhookEndpointDoc>(ENDPOINTS, tenantId, id, current.version, next);
      if (written) return stored(written.doc);
    }
    throw new ContentionError(`webhook-endpoint:${id}`);
  }
}

/** Enabled again: why and when it was disabled no longer apply. */
function enabled(doc: WebhookEndpointDoc): WebhookEndpointDoc {
  const { disabledReason: _reason, disabledAt: _at, ...rest } = doc;
  return { ...rest, enabled: true };
}

/** The endpoint without the store's deletion marks. */
function stored(doc: WebhookEndpointDoc): WebhookEndpoint {
  const { deleted: _deleted, deletedAt: _deletedAt, ...endpoint } = doc;
  return endpoint;
}
