/**
 * IP address literals as bytes, so that the address policy compares prefixes bit by bit instead of matching
 * text: `::ffff:7f00:1`, `::ffff:127.0.0.1` and `0:0:0:0:0:ffff:7f00:1` are one address and must get one answer.
 *
 * Accepted: dotted-quad IPv4 (node's strict form, so `010.0.0.1` is refused rather than read as octal or decimal),
 * and IPv6 in any form node accepts, optionally in URL brackets and with a zone (`fe80::1%eth0`; the zone names
 * a local interface and does not change which address it is).
 */
import { isIP } from 'node:net';

/**
 * A parsed IPv4 or IPv6 address.
 *
 * @example
 * const ip: IpLiteral = { family: 4, bytes: Uint8Array.of(10, 0, 0, 1) };
 */
export interface IpLiteral {
  readonly family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  readonly bytes: Uint8Array;
  /** The zone of a scoped IPv6 address, without its `%`. */
  readonly zone?: string;
}

/**
 * Parses an IP literal, or answers undefined when `text` is not one (a host name, a CIDR, garbage).
 *
 * @example
 * parseIpLiteral('[::ffff:10.0.0.1]'); // { family: 6, bytes: Uint8Array(16) [0, …, 0xff, 0xff, 10, 0, 0, 1] }
 * parseIpLiteral('example.com'); // undefined
 */
export function parseIpLiteral(text: string): IpLiteral | undefined {
  if (typeof text !== 'string') return undefined;
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const family = isIP(bare);
  if (family === 4 && bare === text) return { family: 4, bytes: ipv4Bytes(bare) };
  if (family !== 6) return undefined;
  const percent = bare.indexOf('%');
  const address = percent === -1 ? bare : bare.slice(0, percent);
  const bytes = ipv6Bytes(address);
  return percent === -1 ? { family: 6, bytes } : { family: 6, bytes, zone: bare.slice(percent + 1) };
}

/**
 * Whether `address` lies in the network `network`/`prefixLength` of the same family.
 *
 * @example
 * inPrefix(parseIpLiteral('10.1.2.3')!, parseIpLiteral('10.0.0.0')!, 8); // true
 */
export function inPrefix(address: IpLiteral, network: IpLiteral, prefixLength: number): boolean {
  if (address.family !== network.family) return false;
  const whole = Math.floor(prefixLength / 8);
  for (let i = 0; i < whole; i += 1) {
    if (address.bytes[i] !== network.bytes[i]) return false;
  }
  const rest = prefixLength % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address.bytes[whole] ?? 0) & mask) === ((network.bytes[whole] ?? 0) & mask);
}

/**
 * Dotted-quad text of four bytes, for messages about an IPv4 address found inside an IPv6 one.
 *
 * @example
 * formatIpv4(Uint8Array.of(10, 0, 0, 1)); // '10.0.0.1'
 */
export function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join('.');
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

// Only called on text node's isIP already accepted, so the shape is known to be valid.
function ipv6Bytes(text: string): Uint8Array {
  let groups = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // An IPv4 tail ("::ffff:10.0.0.1") stands for the last two groups; the colon before it belongs to it,
    // unless it is half of "::".
    const v4 = ipv4Bytes(text.slice(lastColon + 1));
    tail = [((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0)];
    groups = text.slice(0, lastColon + 1);
    if (!groups.endsWith('::')) groups = groups.slice(0, -1);
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', after] = groups.split('::');
  const left = parse(head);
  const right = [...(after === undefined ? [] : parse(after)), ...tail];
  const words = [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
  const bytes = new Uint8Array(16);
  words.forEach((word, index) => {
    bytes[index * 2] = word >> 8;
    bytes[(index * 2) + 1] = word & 0xff;
  });
  return bytes;
}
