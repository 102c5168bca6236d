import { expect } from 'chai';
import { isAllowListed, NO_ALLOW_HOSTS, normalizeHost, parseAllowHosts } from '../../src/webhooks/allow-hosts.js';

describe('webhook allow list (PURNA_WEBHOOK_ALLOW_HOSTS)', () => {
  it('is empty when unset or blank', () => {
    expect(parseAllowHosts(undefined).size).to.equal(0);
    expect(parseAllowHosts('  ').size).to.equal(0);
    expect(parseAllowHosts(' , ').size).to.equal(0);
  });

  it('reads host names and IP literals, normalised as URL hosts are', () => {
    const hosts = parseAllowHosts(' 127.0.0.1, ::1 ,Hooks.Internal., [::FFFF:127.0.0.1], 127.2');
    expect([...hosts]).to.deep.equal(['127.0.0.1', '[::1]', 'hooks.internal', '[::ffff:7f00:1]', '127.0.0.2']);
  });

  it('names every entry that is not a bare host, and says what a bare host is', () => {
    const bad = () => parseAllowHosts('127.0.0.1,http://x,localhost:8080,*.example.com,user@x,10.0.0.0/8');
    expect(bad).to.throw(TypeError, /^PURNA_WEBHOOK_ALLOW_HOSTS must list bare host names or IP literals/);
    expect(bad).to.throw(
      /entry 2 \("http:\/\/x"\), entry 3 \("localhost:8080"\), entry 4 \("\*\.example\.com"\), entry 5 \("user@x"\), entry 6 \("10\.0\.0\.0\/8"\) are not one\.$/,
    );
  });

  it('matches a URL host exactly, whatever its case, brackets or trailing dot', () => {
    const hosts = parseAllowHosts('localhost,::1,127.0.0.1');
    expect(isAllowListed('LOCALHOST.', hosts)).to.equal(true);
    expect(isAllowListed(new URL('http://[::1]:9000/').hostname, hosts)).to.equal(true);
    expect(isAllowListed(new URL('http://0x7f.1/').hostname, hosts)).to.equal(true);
  });

  it('does not stretch one entry to other names, addresses or subdomains', () => {
    const hosts = parseAllowHosts('127.0.0.1,example.com');
    expect(isAllowListed('localhost', hosts)).to.equal(false);
    expect(isAllowListed('127.0.0.2', hosts)).to.equal(false);
    expect(isAllowListed('hooks.example.com', hosts)).to.equal(false);
    expect(isAllowListed('example.com.evil.test', hosts)).to.equal(false);
    expect(isAllowListed('127.0.0.1', NO_ALLOW_HOSTS)).to.equal(false);
  });

  it('normalises a bare host, and refuses anything with a port, path or user', () => {
    expect(normalizeHost('Example.COM.')).to.equal('example.com');
    expect(normalizeHost('::1')).to.equal('[::1]');
    for (const text of ['', '.', 'a b', 'x:80', 'x/y', 'u@x', '[::1]:80', 'fe80::1%eth0']) {
      expect(normalizeHost(text), text).to.equal(undefined);
    }
  });
});
