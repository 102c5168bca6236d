/**
 * Which IP addresses a webhook may call. A webhook URL is chosen by a tenant, so without this check Purna's
 * servers would POST wherever a tenant points them: the cloud metadata service, the database on the private
 * network, an admin port on localhost (server-side request forgery).
 *
 * The rule: an address is callable when it is public, that is in none of the ranges below. IPv4 addresses carried
 * inside IPv6 (IPv4-mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) get the answer of the IPv4
 * address they carry, because that is where the packets end up. IPv6 outside the global unicast block `2000::/3`
 * is refused as reserved: nothing else is allocated for the public internet.
 *
 * The allow list (see allow-hosts.ts) is applied per URL host, not per address: an allow-listed host may resolve
 * to anything, any other host must resolve only to public addresses. Matching the host rather than the address
 * means listing `127.0.0.1` lets `http://127.0.0.1:8080/` through but not a public name that an attacker makes
 * resolve to 127.0.0.1.
 */
import { isAllowListed, type AllowHosts } from './allow-hosts.js';
import { formatIpv4, inPrefix, parseIpLiteral, type IpLiteral } from './ip-literal.js';

/**
 * Why an address is refused (kebab-case, stable: callers may store it).
 *
 * @example
 * const reason: AddressReason = 'metadata-address';
 */
export type AddressReason =
  | 'invalid-address'
  | 'unspecified-address'
  | 'loopback-address'
  | 'private-address'
  | 'link-local-address'
  | 'metadata-address'
  | 'cgnat-address'
  | 'multicast-address'
  | 'broadcast-address'
  | 'reserved-address';

/**
 * What an address is, before any allow list.
 *
 * @example
 * const found: AddressClass = classifyAddress('100.64.0.1'); // { public: false, reason: 'cgnat-address', … }
 */
export type AddressClass =
  | { readonly public: true; readonly family: 4 | 6 }
  | {
      readonly public: false;
      readonly reason: AddressReason;
      /** A noun phrase, e.g. `a private address (10.0.0.0/8)`. */
      readonly description: string;
    };

/**
 * Whether a webhook may connect to one address of one host.
 *
 * @example
 * const verdict: AddressVerdict = checkAddress('127.0.0.1', '127.0.0.1', parseAllowHosts('127.0.0.1'));
 * // { allowed: true, address: '127.0.0.1', family: 4, allowListed: true }
 */
export type AddressVerdict =
  | {
      readonly allowed: true;
      readonly address: string;
      readonly family: 4 | 6;
      /** True when the host's place on the allow list is what let the address through. */
      readonly allowListed: boolean;
    }
  | {
      readonly allowed: false;
      readonly address: string;
      readonly reason: AddressReason;
      /** A noun phrase, e.g. `a private address (10.0.0.0/8)`. */
      readonly description: string;
      /** A sentence naming the address, what it is, and the way out. */
      readonly message: string;
    };

/**
 * The advice every refusal ends with, so an operator knows the way out.
 *
 * @example
 * `${host} resolves to ${address}, ${description}; ${ADDRESS_POLICY_ADVICE}`
 */
export const ADDRESS_POLICY_ADVICE =
  'webhooks may only call public addresses (PURNA_WEBHOOK_ALLOW_HOSTS lists exceptions)';

interface Rule {
  readonly network: IpLiteral;
  readonly prefix: number;
  readonly cidr: string;
  readonly reason: AddressReason;
  readonly note?: string;
}

const PHRASES: Readonly<Record<AddressReason, string>> = {
  'invalid-address': 'not an IP address',
  'unspecified-address': 'an unspecified address',
  'loopback-address': 'a loopback address',
  'private-address': 'a private address',
  'link-local-address': 'a link-local address',
  'metadata-address': 'a cloud metadata address',
  'cgnat-address': 'a carrier-grade NAT address',
  'multicast-address': 'a multicast address',
  'broadcast-address': 'the broadcast address',
  'reserved-address': 'a reserved address',
};

function rule(cidr: string, reason: AddressReason, note?: string): Rule {
  const [text = '', bits = ''] = cidr.split('/');
  const network = parseIpLiteral(text);
  if (!network) throw new Error(`address-policy: ${cidr} is not a network`);
  return note === undefined
    ? { network, prefix: Number(bits), cidr, reason }
    : { network, prefix: Number(bits), cidr, reason, note };
}

// First match wins, so the single metadata addresses come before the blocks that contain them.
const IPV4_RULES: readonly Rule[] = [
  rule('255.255.255.255/32', 'broadcast-address'),
  rule('0.0.0.0/8', 'unspecified-address'),
  rule('10.0.0.0/8', 'private-address'),
  rule('100.64.0.0/10', 'cgnat-address'),
  rule('127.0.0.0/8', 'loopback-address'),
  rule('169.254.169.254/32', 'metadata-address'),
  rule('169.254.0.0/16', 'link-local-address'),
  rule('172.16.0.0/12', 'private-address'),
  rule('192.0.0.0/24', 'reserved-address', 'IETF protocol assignments'),
  rule('192.0.2.0/24', 'reserved-address', 'documentation'),
  rule('192.88.99.0/24', 'reserved-address', '6to4 relay anycast'),
  rule('192.168.0.0/16', 'private-address'),
  rule('198.18.0.0/15', 'reserved-address', 'benchmarking'),
  rule('198.51.100.0/24', 'reserved-address', 'documentation'),
  rule('203.0.113.0/24', 'reserved-address', 'documentation'),
  rule('224.0.0.0/4', 'multicast-address'),
  rule('240.0.0.0/4', 'reserved-address', 'future use'),
  // Public on paper, but inside Azure it is the platform's own endpoint (wire server, DNS, health probes).
  rule('168.63.129.16/32', 'metadata-address', 'Azure platform'),
];

const IPV6_RULES: readonly Rule[] = [
  rule('::/128', 'unspecified-address'),
  rule('::1/128', 'loopback-address'),
  rule('fd00:ec2::254/128', 'metadata-address', 'AWS'),
  rule('::/96', 'reserved-address', 'IPv4-compatible, deprecated'),
  rule('::ffff:0:0:0/96', 'reserved-address', 'IPv4-translated'),
  rule('64:ff9b:1::/48', 'reserved-address', 'local-use NAT64'),
  rule('100::/64', 'reserved-address', 'discard-only'),
  rule('2001:db8::/32', 'reserved-address', 'documentation'),
  rule('2001::/23', 'reserved-address', 'IETF protocol assignments'),
  rule('3fff::/20', 'reserved-address', 'documentation'),
  rule('fc00::/7', 'private-address'),
  rule('fe80::/10', 'link-local-address'),
  rule('fec0::/10', 'private-address', 'site-local, deprecated'),
  rule('ff00::/8', 'multicast-address'),
];

// IPv6 blocks whose packets go to the IPv4 address in `bytes[offset..offset+4]`.
const EMBEDDING_IPV4: ReadonlyArray<{ readonly rule: Rule; readonly offset: number; readonly name: string }> = [
  { rule: rule('::ffff:0:0/96', 'reserved-address'), offset: 12, name: 'IPv4-mapped' },
  { rule: rule('64:ff9b::/96', 'reserved-address'), offset: 12, name: 'NAT64' },
  { rule: rule('2002::/16', 'reserved-address'), offset: 2, name: '6to4' },
];

const GLOBAL_UNICAST = rule('2000::/3', 'reserved-address');

/**
 * Classifies one IP address as public or not, with the reason when not.
 *
 * @example
 * classifyAddress('8.8.8.8'); // { public: true, family: 4 }
 * classifyAddress('::ffff:10.0.0.1'); // { public: false, reason: 'private-address', description: 'a private address (10.0.0.1 IPv4-mapped, in 10.0.0.0/8)' }
 */
export function classifyAddress(address: string): AddressClass {
  const ip = parseIpLiteral(address);
  return ip ? classify(ip) : { public: false, reason: 'invalid-address', description: PHRASES['invalid-address'] };
}

/**
 * Whether a webhook for `host` may connect to `address`, one of the addresses `host` resolved to (or the host
 * itself when it is an IP literal). An allow-listed host may connect to any valid address; any other host only to
 * public ones.
 *
 * @example
 * checkAddress('hooks.example.com', '10.0.0.1', NO_ALLOW_HOSTS);
 * // { allowed: false, address: '10.0.0.1', reason: 'private-address', description: 'a private address (10.0.0.0/8)',
 * //   message: '10.0.0.1 is a private address (10.0.0.0/8); webhooks may only call public addresses (PURNA_WEBHOOK_ALLOW_HOSTS lists exceptions)' }
 */
export function checkAddress(host: string, address: string, allowHosts: AllowHosts): AddressVerdict {
  const ip = parseIpLiteral(address);
  if (!ip) {
    // Even an allow-listed host must answer an address: the sender connects to exactly what was checked.
    return {
      allowed: false,
      address,
      reason: 'invalid-address',
      description: PHRASES['invalid-address'],
      message: `${JSON.stringify(address)} is not an IP address`,
    };
  }
  const found = classify(ip);
  if (found.public) return { allowed: true, address, family: ip.family, allowListed: false };
  if (isAllowListed(host, allowHosts)) return { allowed: true, address, family: ip.family, allowListed: true };
  return {
    allowed: false,
    address,
    reason: found.reason,
    description: found.description,
    message: `${address} is ${found.description}; ${ADDRESS_POLICY_ADVICE}`,
  };
}

function classify(ip: IpLiteral): AddressClass {
  if (ip.family === 4) {
    const found = firstMatch(ip, IPV4_RULES);
    return found ? refusal(found) : { public: true, family: 4 };
  }
  for (const embedding of EMBEDDING_IPV4) {
    if (!inPrefix(ip, embedding.rule.network, embedding.rule.prefix)) continue;
    const inner = ip.bytes.slice(embedding.offset, embedding.offset + 4);
    const found = firstMatch({ family: 4, bytes: inner }, IPV4_RULES);
    if (!found) return { public: true, family: 6 };
    const note = `${formatIpv4(inner)} ${embedding.name}, in ${found.cidr}`;
    return { public: false, reason: found.reason, description: `${PHRASES[found.reason]} (${note})` };
  }
  const found = firstMatch(ip, IPV6_RULES);
  if (found) return refusal(found);
  if (!inPrefix(ip, GLOBAL_UNICAST.network, GLOBAL_UNICAST.prefix)) {
    return {
      public: false,
      reason: 'reserved-address',
      description: `${PHRASES['reserved-address']} (outside the global unicast block 2000::/3)`,
    };
  }
  return { public: true, family: 6 };
}

function firstMatch(ip: IpLiteral, rules: readonly Rule[]): Rule | undefined {
  return rules.find((candidate) => inPrefix(ip, candidate.network, candidate.prefix));
}

function refusal(found: Rule): AddressClass {
  const detail = found.note === undefined ? found.cidr : `${found.cidr}, ${found.note}`;
  return { public: false, reason: found.reason, description: `${PHRASES[found.reason]} (${detail})` };
}
