// Which IP addresses the interop clients may not connect to: loopback, private and shared
// networks, link-local (cloud metadata at 169.254.169.254 among them), unspecified, multicast,
// documentation, benchmarking and reserved ranges — in IPv4 and IPv6, and IPv4 addresses
// carried inside IPv6 ones (mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96,
// 6to4 2002::/16) by the IPv4 address they carry. Pure: no DNS here; see remote-fetch.ts.
import net from 'node:net';

type Range = readonly [prefix: bigint, bits: number, kind: string];

const V4_RANGES: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private network'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT) network'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private network'],
  ['192.0.0.0', 24, 'IETF protocol assignment'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved (6to4 relay)'],
  ['192.168.0.0', 16, 'private network'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (and broadcast)'],
];

const V6_RANGES: ReadonlyArray<readonly [string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignment'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['fc00::', 7, 'unique local (private network)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/** The address as a number; null when it is not an IPv4 dotted quad. */
function v4Value(address: string): bigint | null {
  if (net.isIPv4(address) === false) return null;
  return address.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

/** The address as a 128-bit number; null when it is not IPv6 (a zone such as %eth0 is ignored). */
function v6Value(address: string): bigint | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!net.isIPv6(bare)) return null;
  let text = bare;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = v4Value(dotted[1]!)!;
    text = `${text.slice(0, -dotted[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const compile = (ranges: typeof V4_RANGES, width: number, parse: (a: string) => bigint | null): Range[] =>
  ranges.map(([address, bits, kind]) => [parse(address)! >> BigInt(width - bits), bits, kind] as const);

const V4 = compile(V4_RANGES, 32, v4Value);
const V6 = compile(V6_RANGES, 128, v6Value);

const find = (value: bigint, width: number, ranges: Range[]) =>
  ranges.find(([prefix, bits]) => value >> BigInt(width - bits) === prefix)?.[2] ?? null;

const v4Kind = (value: bigint) => find(value, 32, V4);

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedV4(value: bigint): bigint | null {
  const top96 = value >> 32n;
  if (top96 === 0xffffn || top96 === 0n || top96 === 0xffff0000n) return value & 0xffffffffn; // ::ffff:a.b.c.d, ::a.b.c.d, ::ffff:0:a.b.c.d
  if (top96 === 0x64ff9b0000000000000000n) return value & 0xffffffffn; // 64:ff9b::a.b.c.d
  if (value >> 112n === 0x2002n) return (value >> 80n) & 0xffffffffn; // 2002:AABB:CCDD::
  return null;
}

/**
 * Why `address` (an IP address, IPv6 with or without brackets) is internal — e.g. 'loopback',
 * 'private network' — or null when it is a public address, or not an IP address at all.
 */
export function internalAddressKind(address: string): string | null {
  const v4 = v4Value(address);
  if (v4 !== null) return v4Kind(v4);
  const v6 = v6Value(address);
  if (v6 === null) return null;
  const carried = embeddedV4(v6);
  if (carried !== null) {
    // :: and ::1 are themselves IPv6 addresses, not IPv4 ones carried.
    if (v6 === 0n || v6 === 1n) return find(v6, 128, V6);
    const kind = v4Kind(carried);
    if (kind) return kind;
    // The other IPv4-compatible addresses (::a.b.c.d) are deprecated and never routed.
    return v6 >> 32n === 0n ? 'IPv4-compatible (deprecated)' : null;
  }
  return find(v6, 128, V6);
}
