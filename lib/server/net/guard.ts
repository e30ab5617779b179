import 'server-only';
import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a server-side request may connect to. Everything in the IANA special-purpose
 * registries (iana.org/assignments/iana-ipv4-special-registry and iana-ipv6-special-registry,
 * RFC 6890) is refused, plus multicast and everything IPv6 outside global unicast (2000::/3).
 * Addresses that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by that address,
 * so `[::ffff:127.0.0.1]` is loopback. Hosts the owner runs on purpose (a ComfyUI on the LAN)
 * are let through by host:port in OUTBOUND_ALLOW_HOSTS, never by address range.
 */

type Range = readonly [network: string, prefix: number, reason: string];

const V4: readonly Range[] = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  // Includes 255.255.255.255, the limited broadcast address.
  ['240.0.0.0', 4, 'reserved'],
];

const V6: readonly Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // Deprecated IPv4-compatible addresses and SIIT's IPv4-translated ones: never on the internet.
  ['::', 96, 'IPv4-compatible'],
  ['::ffff:0:0:0', 96, 'IPv4-translated'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments (Teredo, benchmarking, ORCHID)'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'segment routing'],
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

function build(ranges: readonly Range[], type: 'ipv4' | 'ipv6'): { list: BlockList; reasons: [BlockList, string][] } {
  const list = new BlockList();
  const reasons: [BlockList, string][] = [];
  for (const [network, prefix, reason] of ranges) {
    list.addSubnet(network, prefix, type);
    const one = new BlockList();
    one.addSubnet(network, prefix, type);
    reasons.push([one, reason]);
  }
  return { list, reasons };
}

const blocked4 = build(V4, 'ipv4');
const blocked6 = build(V6, 'ipv6');
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** The guard's whole decision for one address: why it is refused, or undefined when it may be reached. */
export function blockedReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const kind = isIP(bare);
  if (kind === 4) return reasonIn(blocked4, bare, 'ipv4');
  if (kind !== 6) return 'not an IP address';
  const words = ipv6Words(bare);
  const embedded = embeddedIPv4(words);
  if (embedded) {
    const inner = reasonIn(blocked4, embedded.v4, 'ipv4');
    return inner ? `${inner}, inside ${embedded.kind}` : undefined;
  }
  const reason = reasonIn(blocked6, bare, 'ipv6');
  if (reason) return reason;
  return globalUnicast.check(bare, 'ipv6') ? undefined : 'not global unicast';
}

function reasonIn(set: ReturnType<typeof build>, address: string, type: 'ipv4' | 'ipv6'): string | undefined {
  if (!set.list.check(address, type)) return undefined;
  return set.reasons.find(([one]) => one.check(address, type))?.[1] ?? 'special-purpose';
}

/**
 * IPv6 forms that carry an IPv4 address a packet ends up at: IPv4-mapped (::ffff:0:0/96, what a
 * dual-stack socket uses for IPv4), the NAT64 well-known prefix (64:ff9b::/96, how an IPv6-only
 * network reaches IPv4 hosts, so a public embedded address is fine) and 6to4 (2002::/16).
 */
function embeddedIPv4(w: number[]): { v4: string; kind: string } | undefined {
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && w[5] === 0xffff) return { v4: v4(w[6]!, w[7]!), kind: 'IPv4-mapped IPv6' };
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return { v4: v4(w[6]!, w[7]!), kind: 'NAT64' };
  if (w[0] === 0x2002) return { v4: v4(w[1]!, w[2]!), kind: '6to4' };
  return undefined;
}

/** The eight 16-bit words of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Words(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const fill = rest === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((h) => Number.parseInt(h, 16));
}
