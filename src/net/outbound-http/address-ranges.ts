import { BlockList, isIP } from 'node:net';

/**
 * Which resolved addresses an outbound request may connect to. Private, shared, link-local and
 * metadata ranges are refused (a URL or DNS answer must not make us call into the office network or
 * the cloud metadata service); loopback only when the configured URL itself is loopback; an admin
 * allowlist overrides both.
 */

/** [network, prefix] of every range refused unless allowlisted. IPv4-mapped IPv6 matches the IPv4 rules. */
const REFUSED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  // IETF protocol assignments, benchmarking, multicast and reserved: never a public web server.
  ['192.0.0.0', 24],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const REFUSED_V6: [string, number][] = [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  // Site-local (deprecated, still routed inside some networks), discard-only, local-use NAT64 (its IPv4
  // position depends on the local prefix length), Teredo and documentation: never a public web server.
  ['fec0::', 10],
  ['100::', 64],
  ['64:ff9b:1::', 48],
  ['2001::', 32],
  ['2001:db8::', 32],
];
const LOOPBACK: [string, number, 'ipv4' | 'ipv6'][] = [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
];

const refused = new BlockList();
for (const [network, prefix] of REFUSED_V4) refused.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of REFUSED_V6) refused.addSubnet(network, prefix, 'ipv6');
const loopback = new BlockList();
for (const [network, prefix, family] of LOOPBACK) loopback.addSubnet(network, prefix, family);

function familyOf(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** `[::1]` (a URL's hostname) → `::1`. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

export function isLoopbackAddress(address: string): boolean {
  const family = familyOf(address);
  return family !== undefined && loopback.check(address, family);
}

/** The configured URL names this machine: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname).toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host);
}

/** An allowlist entry: an address (`10.20.0.5`) or a range (`10.20.0.0/16`, `fd00:1::/64`). */
export interface AddressRange {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export function parseAddressRange(entry: string): AddressRange | undefined {
  const [network = '', prefixText] = entry.trim().split('/');
  const family = familyOf(network);
  if (!family) return undefined;
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefixText !== undefined && !/^\d+$/.test(prefixText)) return undefined;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { network, prefix, family };
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 included); undefined if not IPv6. */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The IPv4 address an IPv6 address carries to an IPv4 host: IPv4-mapped (::ffff:0:0/96), IPv4-compatible
 * (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16). Such an address must pass the IPv4 rules:
 * `64:ff9b::a00:1` reaches 10.0.0.1 through a NAT64 gateway.
 */
export function embeddedIPv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  // ::/96 without :: and ::1 (those are IPv6's own unspecified and loopback addresses).
  if (zeros(0, 6) && (g[6]! > 0 || g[7]! > 1)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return undefined;
}

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

/** Decides on one resolved address; built once per configured source. */
export class AddressPolicy {
  private readonly allowed = new BlockList();

  /**
   * @param loopbackOnly the configured URL names loopback by name (`localhost`, `x.localhost`): that name
   *   earns loopback's exemptions (http:) only if every address it resolves to is loopback.
   */
  constructor(
    private readonly loopbackAllowed: boolean,
    allowedAddresses: readonly string[],
    readonly loopbackOnly = false,
  ) {
    for (const entry of allowedAddresses) {
      const range = parseAddressRange(entry);
      if (!range) throw new Error(`outboundHttp.allowedAddresses: "${entry}" is not an IP address or CIDR range`);
      this.allowed.addSubnet(range.network, range.prefix, range.family);
    }
  }

  check(address: string): AddressVerdict {
    const family = familyOf(address);
    if (!family) return { ok: false, reason: `${address} is not an IP address` };
    if (this.loopbackOnly && !isLoopbackAddress(embeddedIPv4(address) ?? address)) {
      return { ok: false, reason: `${address} is not loopback although the configured host name is` };
    }
    if (this.allowed.check(address, family)) return { ok: true };
    const inner = embeddedIPv4(address);
    if (inner) {
      const verdict = this.check(inner);
      // `<inner> is …` → `<address> is … (IPv4 <inner> inside)`.
      if (verdict.ok) return verdict;
      return { ok: false, reason: `${address}${verdict.reason.slice(inner.length)} (IPv4 ${inner} inside)` };
    }
    if (loopback.check(address, family)) {
      if (this.loopbackAllowed) return { ok: true };
      return { ok: false, reason: `${address} is a loopback address and the configured URL is not` };
    }
    if (refused.check(address, family)) {
      return { ok: false, reason: `${address} is a private, shared, link-local or reserved address` };
    }
    return { ok: true };
  }
}
