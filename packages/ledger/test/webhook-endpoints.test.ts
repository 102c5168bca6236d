/**
 * Webhook endpoints on every store: registered with a secret, read and listed without deleted ones, changed by
 * compare-and-set (a lost race is retried, never lost), rotated with the previous secret signing for 24 hours,
 * disabled by the worker and re-enabled, deleted, and never seen from another tenant.
 */
import { expect } from 'chai';
import { MOMENT_TYPES } from '@purna/rules';
import { InputError, NotFound } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import { ForwardingStore } from '../src/store/forwarding-store.js';
import type { CollectionName, Store, Versioned } from '../src/store/store.js';
import { signingSecrets, WebhookEndpoints } from '../src/webhooks/webhook-endpoints.js';
import { parseWebhookSecret } from '../src/webhooks/webhook-secret.js';
import { forEachStore } from './support/store-targets.js';
import { errorOf } from './support/error-of.js';

const T = 'shop';
const OTHER = 'other-shop';
const CREATED = '2027-01-15T10:00:00+07:00';
const CREATED_UTC = '2027-01-15T03:00:00.000Z';
const hook = { url: 'https://crm.example.com/purna', types: ['points.expiring', 'tier.changed'], description: 'CRM journeys' };

const pointers = (error: unknown): string[] => {
  expect(error).to.be.instanceOf(InputError);
  return (error as InputError).errors.map((p) => p.pointer).sort();
};

/** Before the first `replace` of an endpoint, lets `interloper` change the same endpoint: the replace then loses. */
class RacingStore extends ForwardingStore {
  interloper: (() => Promise<unknown>) | undefined;

  override async replace<T extends object>(collection: CollectionName, tenantId: string, key: string, expectedVersion: number, doc: T): Promise<Versioned<T> | undefined> {
    const interloper = this.interloper;
    if (collection === 'webhookEndpoints' && interloper) {
      this.interloper = undefined;
      await interloper();
    }
    return super.replace(collection, tenantId, key, expectedVersion, doc);
  }
}

const after = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();
const DAY = 24 * 60 * 60 * 1000;

forEachStore('Webhook endpoints', (open) => {
  let store: Store;
  let endpoints: WebhookEndpoints;

  beforeEach(async () => {
    store = await open();
    endpoints = new Ledger(store, { now: () => CREATED }).webhookEndpoints;
  });
  afterEach(async () => {
    await store.close();
  });

  it('registers an enabled endpoint with a fresh whsec_ secret that only the creation answer and the stored record carry', async () => {
    const created = await endpoints.create(T, hook);
    expect(created.id).to.match(/^we_[A-Za-z0-9_-]{22}$/);
    expect(created).to.deep.include({ url: hook.url, types: hook.types, description: 'CRM journeys', enabled: true, createdAt: CREATED_UTC, updatedAt: CREATED_UTC });
    expect(parseWebhookSecret(created.secret)).to.have.length(32);
    const stored = await endpoints.get(T, created.id);
    expect(stored.secrets).to.deep.equal([{ secret: created.secret, createdAt: CREATED_UTC }]);
    expect(signingSecrets(stored, CREATED)).to.deep.equal([created.secret]);
    // Two endpoints never share an id or a secret.
    const second = await endpoints.create(T, { url: 'https://other.example.com/' });
    expect(second.id).not.to.equal(created.id);
    expect(second.secret).not.to.equal(created.secret);
    expect(second.types).to.deep.equal([]);
    expect(second).not.to.have.property('description');
  });

  it('lists every endpoint of the tenant a page at a time, each once, and none of another tenant', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push((await endpoints.create(T, { url: `https://hooks.example.com/${i}` })).id);
    await endpoints.create(OTHER, { url: 'https://other.example.com/' });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await endpoints.list(T, { limit: 3, ...(cursor !== undefined ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== undefined);
    expect(seen).to.deep.equal([...ids].sort());
    expect(pages).to.be.within(3, 4);
    expect((await errorOf(endpoints.list(T, { cursor: 'not a cursor' })) as InputError).errors[0]).to.include({ pointer: '/cursor', code: 'invalid-cursor' });
  });

  it('changes only the fields sent, and a change that lost a race is made again on the newer version', async () => {
    const racing = new RacingStore(store);
    const mine = new WebhookEndpoints(racing, () => CREATED);
    const theirs = new WebhookEndpoints(store, () => CREATED);
    const { id } = await mine.create(T, hook);
    racing.interloper = () => theirs.update(T, id, { url: 'https://crm.example.com/v2' }, { now: '2027-01-16T00:00:00Z' });
    const updated = await mine.update(T, id, { description: 'journeys v2', types: [] }, { now: '2027-01-16T00:00:01Z' });
    // Both changes landed: the interloper's url, and this one's description and types.
    expect(updated).to.deep.include({ url: 'https://crm.example.com/v2', description: 'journeys v2', types: [], enabled: true, updatedAt: '2027-01-16T00:00:01.000Z' });
    expect(await mine.get(T, id)).to.deep.equal(updated);
    const [version] = await store.list<object>('webhookEndpoints', T, { limit: 10 });
    expect(version?.version).to.equal(3);
  });

  it('keeps the previous secret signing for 24 hours after a rotation, then only the new one', async () => {
    const { id, secret: first } = await endpoints.create(T, hook);
    const rotatedAt = '2027-02-01T08:00:00.000Z';
    const rotation = await endpoints.rotateSecret(T, id, { now: rotatedAt });
    expect(rotation.id).to.equal(id);
    expect(rotation.previousSecretExpiresAt).to.equal('2027-02-02T08:00:00.000Z');
    expect(rotation.secret).to.match(/^whsec_/).and.not.equal(first);
    const endpoint = await endpoints.get(T, id);
    expect(endpoints.signingSecrets(endpoint, rotatedAt)).to.deep.equal([rotation.secret, first]);
    expect(endpoints.signingSecrets(endpoint, after(rotatedAt, DAY - 1))).to.deep.equal([rotation.secret, first]);
    expect(endpoints.signingSecrets(endpoint, after(rotatedAt, DAY))).to.deep.equal([rotation.secret]);
    // A second rotation within the day keeps the first secret's own end and drops nothing still valid.
    const again = await endpoints.rotateSecret(T, id, { now: after(rotatedAt, 60_000) });
    const twice = await endpoints.get(T, id);
    expect(twice.secrets.map((s) => [s.secret, s.expiresAt])).to.deep.equal([
      [again.secret, undefined],
      [rotation.secret, after(rotatedAt, 60_000 + DAY)],
      [first, '2027-02-02T08:00:00.000Z'],
    ]);
    // A rotation after the day forgets the expired secret.
    await endpoints.rotateSecret(T, id, { now: after(rotatedAt, 3 * DAY) });
    expect((await endpoints.get(T, id)).secrets.map((s) => s.secret)).not.to.include(first);
  });

  it('is disabled with a reason by the worker, keeps the first reason, and re-enabling clears it', async () => {
    const { id } = await endpoints.create(T, hook);
    const disabled = await endpoints.disable(T, id, 'failing for 3 days: connection-refused', '2027-01-18T10:00:00Z');
    expect(disabled).to.deep.include({ enabled: false, disabledReason: 'failing for 3 days: connection-refused', disabledAt: '2027-01-18T10:00:00.000Z' });
    const again = await endpoints.disable(T, id, 'another reason', '2027-01-19T10:00:00Z');
    expect(again).to.deep.equal(disabled);
    const enabled = await endpoints.update(T, id, { enabled: true }, { now: '2027-01-20T00:00:00Z' });
    expect(enabled.enabled).to.equal(true);
    expect(enabled).not.to.have.any.keys('disabledReason', 'disabledAt');
    const byHand = await endpoints.update(T, id, { enabled: false }, { now: '2027-01-21T00:00:00Z' });
    expect(byHand).to.deep.include({ enabled: false, disabledAt: '2027-01-21T00:00:00.000Z' });
    expect(byHand).not.to.have.property('disabledReason');
  });

  it('hides a deleted endpoint from every read and change, and drops its secrets', async () => {
    const { id } = await endpoints.create(T, hook);
    const kept = await endpoints.create(T, { url: 'https://kept.example.com/' });
    const deleted = await endpoints.delete(T, id, { now: '2027-01-20T00:00:00Z' });
    expect(deleted).to.deep.include({ id, url: hook.url, deletedAt: '2027-01-20T00:00:00.000Z' });
    expect(deleted).not.to.have.any.keys('secret', 'secrets');
    // Each call made only when awaited, so no rejection waits unhandled behind another.
    for (const call of [() => endpoints.get(T, id), () => endpoints.update(T, id, { enabled: true }), () => endpoints.rotateSecret(T, id), () => endpoints.disable(T, id, 'x', CREATED), () => endpoints.delete(T, id)]) {
      expect(await errorOf(call())).to.be.instanceOf(NotFound);
    }
    expect((await endpoints.list(T)).items.map((e) => e.id)).to.deep.equal([kept.id]);
    const raw = await store.get<{ secrets: unknown[]; deleted: boolean }>('webhookEndpoints', T, id);
    expect(raw?.doc).to.deep.include({ secrets: [], deleted: true });
  });

  it("never shows or changes another tenant's endpoint", async () => {
    const { id } = await endpoints.create(T, hook);
    for (const call of [() => endpoints.get(OTHER, id), () => endpoints.update(OTHER, id, { url: 'https://evil.example.com/' }), () => endpoints.rotateSecret(OTHER, id), () => endpoints.disable(OTHER, id, 'x', CREATED), () => endpoints.delete(OTHER, id)]) {
      expect(await errorOf(call())).to.be.instanceOf(NotFound);
    }
    expect((await endpoints.list(OTHER)).items).to.deep.equal([]);
    expect((await endpoints.get(T, id)).url).to.equal(hook.url);
  });

  it('refuses bad input with every pointer and stores nothing', async () => {
    const bad = { url: 'x'.repeat(2001), types: ['points.expiring', 'points.expiring', 'no.such-type'], description: 'a\u0000b', secret: 'whsec_mine' };
    expect(pointers(await errorOf(endpoints.create(T, bad)))).to.include.members(['/url', '/types', '/types/2', '/description', '/secret']);
    expect(pointers(await errorOf(endpoints.create(T, { types: [] })))).to.deep.equal(['/url']);
    expect(pointers(await errorOf(endpoints.create(T, { url: 'https://a.example.com/', description: 'd'.repeat(501) })))).to.deep.equal(['/description']);
    expect(await store.list('webhookEndpoints', T, { limit: 10 })).to.deep.equal([]);
    const { id } = await endpoints.create(T, hook);
    const before = await store.get('webhookEndpoints', T, id);
    expect(pointers(await errorOf(endpoints.update(T, id, { enabled: 'yes', types: ['nope'] })))).to.include.members(['/enabled', '/types/0']);
    expect(await store.get('webhookEndpoints', T, id)).to.deep.equal(before);
    // Every moment type of the contract is accepted.
    expect((await endpoints.update(T, id, { types: [...MOMENT_TYPES] })).types).to.deep.equal([...MOMENT_TYPES]);
  });
});
