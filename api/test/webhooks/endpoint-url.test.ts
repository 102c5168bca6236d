import { expect } from 'chai';
import { parseAllowHosts } from '../../src/webhooks/allow-hosts.js';
import { checkEndpointUrl, type HostResolver, type ResolvedAddress } from '../../src/webhooks/endpoint-url.js';

const ADVICE = 'webhooks may only call public addresses (PURNA_WEBHOOK_ALLOW_HOSTS lists exceptions)';

/** A resolver from a fixed table that records every name it was asked; nothing touches real DNS. */
function fakeResolver(table: Record<string, ResolvedAddress[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string): Promise<readonly ResolvedAddress[]> => {
    asked.push(hostname);
    const answers = table[hostname];
    if (answers === undefined) {
      return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    }
    return Promise.resolve(answers);
  };
  return Object.assign(resolve, { asked });
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

describe('endpoint URL check', () => {
  it('accepts a public IP-literal https URL without asking DNS', async () => {
    const resolve = fakeResolver({});
    const check = await checkEndpointUrl('https://8.8.8.8/hooks?x=1', { resolve });
    expect(check).to.include({ ok: true, hostname: '8.8.8.8', port: 443, tls: true, allowListed: false });
    expect(check.ok && check.addresses).to.deep.equal([v4('8.8.8.8')]);
    expect(check.ok && check.url.pathname).to.equal('/hooks');
    expect(resolve.asked).to.deep.equal([]);
  });

  it('gives an approved IP-literal URL its kept answer again, per allow list; a name is resolved at every check', async () => {
    const allowHosts = parseAllowHosts('127.0.0.1');
    const first = await checkEndpointUrl('http://127.0.0.1:8080/kept', { allowHosts });
    expect(first).to.include({ ok: true, hostname: '127.0.0.1', port: 8080 });
    expect(await checkEndpointUrl('http://127.0.0.1:8080/kept', { allowHosts })).to.equal(first);
    // Another allow list has its own answers: off it, the same URL is refused.
    expect(await checkEndpointUrl('http://127.0.0.1:8080/kept', { allowHosts: parseAllowHosts('') })).to.include({ ok: false, reason: 'https-required' });
    // A name's answers may change between checks, so each check asks the resolver again.
    const answers: Record<string, ResolvedAddress[]> = { 'hooks.example.com': [v4('8.8.8.8')] };
    const resolve = fakeResolver(answers);
    expect(await checkEndpointUrl('https://hooks.example.com/x', { resolve })).to.include({ ok: true });
    answers['hooks.example.com'] = [v4('10.0.0.1')];
    expect(await checkEndpointUrl('https://hooks.example.com/x', { resolve })).to.include({ ok: false, reason: 'private-address' });
    expect(resolve.asked).to.deep.equal(['hooks.example.com', 'hooks.example.com']);
  });

  it('refuses a private IP-literal URL, saying which address and why', async () => {
    const resolve = fakeResolver({});
    expect(await checkEndpointUrl('https://10.0.0.1/hook', { resolve })).to.deep.equal({
      ok: false,
      reason: 'private-address',
      message: `url: 10.0.0.1 is a private address (10.0.0.0/8); ${ADVICE}`,
    });
    expect(resolve.asked).to.deep.equal([]);
  });

  it('refuses loopback however the URL spells it', async () => {
    for (const url of ['https://[::1]:8443/', 'https://[::ffff:127.0.0.1]/', 'https://0x7f.1/', 'https://2130706433/', 'https://127.0.0.2/']) {
      const check = await checkEndpointUrl(url, { resolve: fakeResolver({}) });
      expect(check, url).to.include({ ok: false, reason: 'loopback-address' });
    }
  });

  it('accepts a public IPv6 literal, unbracketed in the answer', async () => {
    const check = await checkEndpointUrl('https://[2606:4700:4700::1111]:8443/h', { resolve: fakeResolver({}) });
    expect(check).to.include({ ok: true, hostname: '2606:4700:4700::1111', port: 8443 });
    expect(check.ok && check.addresses).to.deep.equal([v6('2606:4700:4700::1111')]);
  });

  it('refuses a name that resolves to a private address', async () => {
    const resolve = fakeResolver({ 'hooks.example.test': [v4('10.0.0.1')] });
    expect(await checkEndpointUrl('https://hooks.example.test/purna', { resolve })).to.deep.equal({
      ok: false,
      reason: 'private-address',
      message: `url: hooks.example.test resolves to 10.0.0.1, a private address (10.0.0.0/8); ${ADVICE}`,
    });
    expect(resolve.asked).to.deep.equal(['hooks.example.test']);
  });

  it('refuses a name with one public and one private answer: every answer must pass', async () => {
    const resolve = fakeResolver({ 'mixed.example.test': [v4('8.8.8.8'), v4('169.254.169.254')] });
    const check = await checkEndpointUrl('https://mixed.example.test/', { resolve });
    expect(check).to.include({ ok: false, reason: 'metadata-address' });
    expect(check.ok || check.message).to.equal(
      `url: mixed.example.test resolves to 169.254.169.254, a cloud metadata address (169.254.169.254/32); ${ADVICE}`,
    );
  });

  it('accepts a name whose answers are all public, deduplicated and in resolver order', async () => {
    const resolve = fakeResolver({
      'hooks.example.test': [v6('2001:4860:4860::8888'), v4('8.8.4.4'), v4('8.8.4.4'), v4('1.1.1.1')],
    });
    const check = await checkEndpointUrl('https://hooks.example.test/', { resolve });
    expect(check).to.include({ ok: true, hostname: 'hooks.example.test', port: 443, tls: true });
    expect(check.ok && check.addresses).to.deep.equal([v6('2001:4860:4860::8888'), v4('8.8.4.4'), v4('1.1.1.1')]);
  });

  it('accepts an allow-listed 127.0.0.1 over plain http, for tests and local development', async () => {
    const check = await checkEndpointUrl('http://127.0.0.1:8080/hook', {
      allowHosts: parseAllowHosts('127.0.0.1'),
      resolve: fakeResolver({}),
    });
    expect(check).to.include({ ok: true, hostname: '127.0.0.1', port: 8080, tls: false, allowListed: true });
    expect(check.ok && check.addresses).to.deep.equal([v4('127.0.0.1')]);
  });

  it('lets an allow-listed name resolve to private addresses', async () => {
    const check = await checkEndpointUrl('https://hooks.internal/', {
      allowHosts: parseAllowHosts('hooks.internal'),
      resolve: fakeResolver({ 'hooks.internal': [v4('10.1.2.3')] }),
    });
    expect(check).to.include({ ok: true, allowListed: true });
    expect(check.ok && check.addresses).to.deep.equal([v4('10.1.2.3')]);
  });

  it('does not extend an allow-listed address to names that resolve to it', async () => {
    const allowHosts = parseAllowHosts('127.0.0.1');
    const resolve = fakeResolver({ localhost: [v4('127.0.0.1')] });
    expect(await checkEndpointUrl('http://localhost:8080/', { allowHosts, resolve })).to.include({
      ok: false,
      reason: 'https-required',
    });
    expect(await checkEndpointUrl('https://localhost:8080/', { allowHosts, resolve })).to.include({
      ok: false,
      reason: 'loopback-address',
    });
  });

  it('requires https for a host off the allow list', async () => {
    expect(await checkEndpointUrl('http://8.8.8.8/', { resolve: fakeResolver({}) })).to.deep.equal({
      ok: false,
      reason: 'https-required',
      message: 'url: 8.8.8.8 must be called over https; plain http is allowed only for hosts on PURNA_WEBHOOK_ALLOW_HOSTS',
    });
  });

  it('refuses other schemes, even for an allow-listed host', async () => {
    const allowHosts = parseAllowHosts('127.0.0.1');
    for (const url of ['ftp://127.0.0.1/', 'file:///etc/passwd', 'ws://127.0.0.1/', 'javascript:alert(1)']) {
      expect(await checkEndpointUrl(url, { allowHosts, resolve: fakeResolver({}) }), url).to.include({
        ok: false,
        reason: 'unsupported-scheme',
      });
    }
  });

  it('refuses credentials in the URL without repeating them', async () => {
    const check = await checkEndpointUrl('https://admin:hunter2@8.8.8.8/', { resolve: fakeResolver({}) });
    expect(check).to.include({ ok: false, reason: 'credentials-in-url' });
    expect(check.ok || check.message).to.not.include('hunter2');
    expect(await checkEndpointUrl('https://token@8.8.8.8/', { resolve: fakeResolver({}) })).to.include({
      reason: 'credentials-in-url',
    });
  });

  it('refuses what is not an absolute URL', async () => {
    for (const url of ['not a url', '/relative/path', '', 'https://', 42 as unknown as string]) {
      expect(await checkEndpointUrl(url, { resolve: fakeResolver({}) }), String(url)).to.deep.equal({
        ok: false,
        reason: 'invalid-url',
        message: 'url: is not an absolute URL (expected https://host/path)',
      });
    }
  });

  it('refuses a name that does not resolve, or resolves to nothing or to garbage', async () => {
    const resolve = fakeResolver({ 'empty.example.test': [], 'junk.example.test': [v4('not-an-address')] });
    expect(await checkEndpointUrl('https://missing.example.test/', { resolve })).to.deep.equal({
      ok: false,
      reason: 'unresolvable-host',
      message: 'url: missing.example.test could not be resolved (ENOTFOUND)',
    });
    expect(await checkEndpointUrl('https://empty.example.test/', { resolve })).to.include({
      reason: 'unresolvable-host',
      message: 'url: empty.example.test resolved to no address',
    });
    expect(await checkEndpointUrl('https://junk.example.test/', { resolve })).to.include({
      reason: 'invalid-address',
      message: 'url: junk.example.test resolves to "not-an-address", which is not an IP address',
    });
  });
});
