import { expect } from 'chai';
import fc from 'fast-check';
import { formatIpv4, inPrefix, parseIpLiteral, type IpLiteral } from '../../src/webhooks/ip-literal.js';

const parsed = (text: string): IpLiteral => {
  const ip = parseIpLiteral(text);
  if (!ip) throw new Error(`${text} should parse`);
  return ip;
};
const bytesOf = (text: string): number[] => Array.from(parsed(text).bytes);

describe('IP literals', () => {
  it('reads IPv4 dotted quads as four bytes', () => {
    expect(parsed('172.31.255.255')).to.deep.equal({ family: 4, bytes: Uint8Array.of(172, 31, 255, 255) });
  });

  it('reads every spelling of one IPv6 address as the same sixteen bytes', () => {
    const loopbackMapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1];
    for (const text of ['::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '[::FFFF:7F00:0001]']) {
      expect(bytesOf(text), text).to.deep.equal(loopbackMapped);
    }
    expect(bytesOf('1:2:3:4:5:6:7:8')).to.deep.equal([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(bytesOf('1:2:3:4:5:6:10.0.0.1')).to.deep.equal([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 10, 0, 0, 1]);
    expect(bytesOf('::1.2.3.4')).to.deep.equal([...new Array<number>(12).fill(0), 1, 2, 3, 4]);
    expect(bytesOf('a:b::1.2.3.4')).to.deep.equal([0, 0x0a, 0, 0x0b, ...new Array<number>(8).fill(0), 1, 2, 3, 4]);
    expect(bytesOf('64:ff9b::10.0.0.1')).to.deep.equal([0, 0x64, 0xff, 0x9b, ...new Array<number>(8).fill(0), 10, 0, 0, 1]);
    expect(bytesOf('fd00:ec2::254')).to.deep.equal([0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54]);
    expect(bytesOf('1::')).to.deep.equal([0, 1, ...new Array<number>(14).fill(0)]);
    expect(bytesOf('::')).to.deep.equal(new Array<number>(16).fill(0));
    expect(bytesOf('::1')).to.deep.equal([...new Array<number>(15).fill(0), 1]);
  });

  it('keeps the zone of a scoped address apart from the address', () => {
    const ip = parsed('fe80::1%eth0');
    expect(ip.zone).to.equal('eth0');
    expect(Array.from(ip.bytes)).to.deep.equal(bytesOf('fe80::1'));
  });

  it('answers undefined for anything that is not an IP literal', () => {
    for (const text of ['example.com', '', '010.0.0.1', '1.2.3', '256.0.0.1', '[10.0.0.1]', '::1]', '10.0.0.0/8', ':::1', '1:2:3:4:5:6:7:8:9']) {
      expect(parseIpLiteral(text), text).to.equal(undefined);
    }
  });

  it('agrees with the URL serializer on random IPv6 addresses, compressed or in full', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 15 }), (bytes, zeros) => {
        // A run of one or two zero groups, placed anywhere, makes the serializer compress with "::" there.
        const runStart = zeros % 8;
        const runEnd = runStart + (zeros >> 3) + 1;
        const words = Array.from({ length: 8 }, (_, i) =>
          i >= runStart && i < runEnd ? 0 : ((bytes[i * 2] ?? 0) << 8) | (bytes[(i * 2) + 1] ?? 0),
        );
        const full = words.map((word) => word.toString(16)).join(':');
        const compressed = new URL(`http://[${full}]/`).hostname;
        const expected = words.flatMap((word) => [word >> 8, word & 0xff]);
        expect(bytesOf(full)).to.deep.equal(expected);
        expect(bytesOf(compressed)).to.deep.equal(expected);
      }),
    );
  });

  it('tests prefixes bit by bit, and never across families', () => {
    const net = parsed('172.16.0.0');
    expect(inPrefix(parsed('172.31.255.255'), net, 12)).to.equal(true);
    expect(inPrefix(parsed('172.32.0.1'), net, 12)).to.equal(false);
    expect(inPrefix(parsed('172.15.255.255'), net, 12)).to.equal(false);
    expect(inPrefix(parsed('198.19.255.255'), parsed('198.18.0.0'), 15)).to.equal(true);
    expect(inPrefix(parsed('198.20.0.0'), parsed('198.18.0.0'), 15)).to.equal(false);
    expect(inPrefix(parsed('8.8.8.8'), parsed('0.0.0.0'), 0)).to.equal(true);
    expect(inPrefix(parsed('::ffff:10.0.0.1'), parsed('10.0.0.0'), 8)).to.equal(false);
    expect(inPrefix(parsed('fe80::1'), parsed('fe80::'), 10)).to.equal(true);
    expect(inPrefix(parsed('fec0::1'), parsed('fe80::'), 10)).to.equal(false);
  });

  it('formats four bytes as a dotted quad', () => {
    expect(formatIpv4(Uint8Array.of(100, 64, 0, 1))).to.equal('100.64.0.1');
  });
});
