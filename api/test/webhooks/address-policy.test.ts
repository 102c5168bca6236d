import { expect } from 'chai';
import { parseAllowHosts, NO_ALLOW_HOSTS } from '../../src/webhooks/allow-hosts.js';
import { checkAddress, classifyAddress, type AddressReason } from '../../src/webhooks/address-policy.js';

// Expected answers come from the IANA special-purpose registries and the cloud providers' documentation.
const TABLE: ReadonlyArray<[string, AddressReason | 'public']> = [
  ['10.0.0.1', 'private-address'],
  ['169.254.169.254', 'metadata-address'],
  ['127.0.0.2', 'loopback-address'],
  ['[::1]', 'loopback-address'],
  ['::ffff:127.0.0.1', 'loopback-address'],
  ['172.31.255.255', 'private-address'],
  ['172.32.0.1', 'public'],
  ['8.8.8.8', 'public'],
  ['100.64.0.1', 'cgnat-address'],
  ['fe80::1', 'link-local-address'],
  ['fd00:ec2::254', 'metadata-address'],
  // The edges of each block, and the other ranges the policy refuses.
  ['9.255.255.255', 'public'],
  ['11.0.0.0', 'public'],
  ['127.255.255.255', 'loopback-address'],
  ['172.15.255.255', 'public'],
  ['172.16.0.0', 'private-address'],
  ['192.168.1.1', 'private-address'],
  ['192.169.0.1', 'public'],
  ['100.63.255.255', 'public'],
  ['100.127.255.255', 'cgnat-address'],
  ['100.128.0.0', 'public'],
  ['169.254.0.1', 'link-local-address'],
  ['169.254.169.253', 'link-local-address'],
  ['0.0.0.0', 'unspecified-address'],
  ['0.255.255.255', 'unspecified-address'],
  ['::', 'unspecified-address'],
  ['255.255.255.255', 'broadcast-address'],
  ['224.0.0.1', 'multicast-address'],
  ['239.255.255.255', 'multicast-address'],
  ['240.0.0.1', 'reserved-address'],
  ['198.18.0.1', 'reserved-address'],
  ['198.19.255.255', 'reserved-address'],
  ['198.20.0.0', 'public'],
  ['192.0.2.10', 'reserved-address'],
  ['203.0.113.7', 'reserved-address'],
  ['168.63.129.16', 'metadata-address'],
  ['1.1.1.1', 'public'],
  ['fc00::1', 'private-address'],
  ['fd12:3456::1', 'private-address'],
  ['fe80::1%eth0', 'link-local-address'],
  ['febf:ffff::1', 'link-local-address'],
  ['fec0::1', 'private-address'],
  ['ff02::1', 'multicast-address'],
  ['::ffff:7f00:1', 'loopback-address'],
  ['[::ffff:a00:1]', 'private-address'],
  ['::ffff:169.254.169.254', 'metadata-address'],
  ['::ffff:8.8.8.8', 'public'],
  ['64:ff9b::10.0.0.1', 'private-address'],
  ['64:ff9b::808:808', 'public'],
  ['2002:a00:1::', 'private-address'],
  ['2002:808:808::1', 'public'],
  ['::127.0.0.1', 'reserved-address'],
  ['2001:db8::1', 'reserved-address'],
  ['2001:0:4136:e378::1', 'reserved-address'],
  ['4000::1', 'reserved-address'],
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['not-an-ip', 'invalid-address'],
  ['010.0.0.1', 'invalid-address'],
];

describe('address policy', () => {
  describe('classifyAddress', () => {
    for (const [address, expected] of TABLE) {
      it(`${address} is ${expected}`, () => {
        const answer = classifyAddress(address);
        if (expected === 'public') {
          expect(answer.public, JSON.stringify(answer)).to.equal(true);
        } else {
          expect(answer).to.include({ public: false, reason: expected });
        }
      });
    }

    it('describes the range, and the IPv4 address found inside an IPv6 one', () => {
      expect(classifyAddress('10.0.0.1')).to.deep.equal({
        public: false,
        reason: 'private-address',
        description: 'a private address (10.0.0.0/8)',
      });
      expect(classifyAddress('198.18.0.1')).to.include({ description: 'a reserved address (198.18.0.0/15, benchmarking)' });
      expect(classifyAddress('::ffff:127.0.0.1')).to.include({
        description: 'a loopback address (127.0.0.1 IPv4-mapped, in 127.0.0.0/8)',
      });
    });
  });

  describe('checkAddress', () => {
    it('refuses a private address of a host off the allow list, with a sentence saying why and what to do', () => {
      expect(checkAddress('hooks.example.com', '10.0.0.1', NO_ALLOW_HOSTS)).to.deep.equal({
        allowed: false,
        address: '10.0.0.1',
        reason: 'private-address',
        description: 'a private address (10.0.0.0/8)',
        message:
          '10.0.0.1 is a private address (10.0.0.0/8); webhooks may only call public addresses (PURNA_WEBHOOK_ALLOW_HOSTS lists exceptions)',
      });
    });

    it('lets a public address through without the allow list', () => {
      expect(checkAddress('hooks.example.com', '8.8.8.8', NO_ALLOW_HOSTS)).to.deep.equal({
        allowed: true,
        address: '8.8.8.8',
        family: 4,
        allowListed: false,
      });
    });

    it('lets an allow-listed host reach any address, and says the allow list did it', () => {
      const allowHosts = parseAllowHosts('127.0.0.1,hooks.internal');
      expect(checkAddress('127.0.0.1', '127.0.0.1', allowHosts)).to.deep.equal({
        allowed: true,
        address: '127.0.0.1',
        family: 4,
        allowListed: true,
      });
      expect(checkAddress('hooks.internal', 'fd12::1', allowHosts)).to.include({ allowed: true, family: 6, allowListed: true });
    });

    it('keeps 127.0.0.2 and other hosts that resolve to loopback out when only 127.0.0.1 is listed', () => {
      const allowHosts = parseAllowHosts('127.0.0.1');
      expect(checkAddress('127.0.0.2', '127.0.0.2', allowHosts)).to.include({ allowed: false, reason: 'loopback-address' });
      expect(checkAddress('localhost', '127.0.0.1', allowHosts)).to.include({ allowed: false, reason: 'loopback-address' });
      expect(checkAddress('rebind.example.com', '127.0.0.1', allowHosts)).to.include({ allowed: false });
    });

    it('refuses an answer that is not an IP address, even for an allow-listed host', () => {
      const verdict = checkAddress('localhost', 'localhost', parseAllowHosts('localhost'));
      expect(verdict).to.deep.equal({
        allowed: false,
        address: 'localhost',
        reason: 'invalid-address',
        description: 'not an IP address',
        message: '"localhost" is not an IP address',
      });
    });
  });
});
