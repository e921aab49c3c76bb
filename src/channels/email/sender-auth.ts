import { trustedResults, type MethodResult } from './authentication-results';

/**
 * Whether the From domain of a mail was authenticated by the server that received it for us, read from
 * that server's Authentication-Results (see authentication-results.ts). Pure.
 */

/** Per IMAP account: what its receiving server writes, and what the admin chose to believe. */
export interface SenderTrust {
  /** authserv-ids of the receiving server (Gmail: mx.google.com); empty: no header is believed. */
  authservIds: readonly string[];
  /** How many Authentication-Results headers that server adds on top (one per method on some setups). */
  maxHeaders: number;
  /** An aligned spf=pass counts too (many .go.id domains publish SPF but do not sign with DKIM). */
  alignedSpf: boolean;
  /** The server adds no Authentication-Results: the From address is taken as it is (check-config warns). */
  trustUnauthenticatedFrom: boolean;
}

export interface SenderAuth {
  /** pass: From authenticated; fail: the trusted server saw dmarc=fail for it; none: not shown either way. */
  verdict: 'pass' | 'fail' | 'none';
  /** What decided it, for staff and the admin: `dmarc=pass (mx.google.com)`. */
  how: string;
}

export function assessSender(
  headerLines: ReadonlyArray<{ key: string; line: string }>,
  fromDomain: string | undefined,
  trust: SenderTrust,
): SenderAuth {
  const headers = trustedResults(headerLines, trust.authservIds, trust.maxHeaders);
  const server = headers[0]?.authservId;
  const results = firstPerMethod(headers);
  const domain = fromDomain?.toLowerCase().replace(/\.$/, '');
  const dmarc = results.find((r) => r.method === 'dmarc');
  const failed = dmarc !== undefined && (dmarc.result === 'fail' || dmarc.result === 'permerror');
  // Without a readable From domain a dmarc=fail still counts: it is the forged-sender case.
  if (!domain) {
    if (failed) return { verdict: 'fail', how: `dmarc=${dmarc.result} (${server})` };
    return { verdict: 'none', how: 'tanpa alamat pengirim' };
  }

  const headerFrom = (r: MethodResult) => r.properties['header.from']?.toLowerCase().replace(/\.$/, '');
  if (failed && (headerFrom(dmarc) === undefined || headerFrom(dmarc) === domain)) {
    return { verdict: 'fail', how: `dmarc=${dmarc.result} (${server})` };
  }
  // A pass counts only for the domain it names: the server may have judged another From of the mail.
  if (dmarc?.result === 'pass' && headerFrom(dmarc) === domain) {
    return { verdict: 'pass', how: `dmarc=pass (${server})` };
  }
  const dkim = results.find((r) => r.method === 'dkim' && r.result === 'pass' && aligned(signingDomain(r), domain));
  if (dkim) return { verdict: 'pass', how: `dkim=pass header.d=${signingDomain(dkim)} (${server})` };
  const spf = results.find((r) => r.method === 'spf');
  if (trust.alignedSpf && spf?.result === 'pass' && aligned(mailFromDomain(spf), domain)) {
    return { verdict: 'pass', how: `spf=pass smtp.mailfrom=${mailFromDomain(spf)} (${server})` };
  }
  if (trust.trustUnauthenticatedFrom)
    return { verdict: 'pass', how: 'trustUnauthenticatedFrom: alamat From dipercaya tanpa pemeriksaan' };
  if (!server) return { verdict: 'none', how: 'tidak ada Authentication-Results dari server penerima tepercaya' };
  const shown = results.map((r) => `${r.method}=${r.result}`).join(' ') || 'tanpa hasil';
  return { verdict: 'none', how: `tidak terautentikasi untuk ${domain}: ${shown} (${server})` };
}

/**
 * Per method, only the results of the first accepted header that reports it: with `maxHeaders > 1` a
 * sender-written copy right below the trusted ones must not add a dkim=pass the server never wrote.
 */
function firstPerMethod(headers: ReadonlyArray<{ results: MethodResult[] }>): MethodResult[] {
  const owner = new Map<string, number>();
  headers.forEach((h, i) => h.results.forEach((r) => owner.has(r.method) || owner.set(r.method, i)));
  return headers.flatMap((h, i) => h.results.filter((r) => owner.get(r.method) === i));
}

function signingDomain(result: MethodResult): string | undefined {
  const d = result.properties['header.d'];
  if (d) return d.toLowerCase();
  const i = result.properties['header.i'];
  return i ? i.slice(i.lastIndexOf('@') + 1).toLowerCase() : undefined;
}

function mailFromDomain(result: MethodResult): string | undefined {
  const from = result.properties['smtp.mailfrom'];
  return from ? from.slice(from.lastIndexOf('@') + 1).toLowerCase() : undefined;
}

/**
 * Relaxed alignment, kept simple: the same domain, or one a subdomain of the other where the shorter
 * is not a public suffix (`dairikab.go.id` signs for `disdukcapil.dairikab.go.id`, but `go.id` signs for
 * nobody). Without the Public Suffix List, sibling subdomains are not taken as aligned (stricter than
 * DMARC; their dmarc=pass still counts, as the receiving server checked it with the full list).
 */
export function aligned(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  if (x === y) return !looksLikePublicSuffix(x);
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return long.endsWith(`.${short}`) && !looksLikePublicSuffix(short);
}

/** Second-level labels under which registries hand out names (go.id, co.uk, com.au, ac.id, …). */
const REGISTRY_LABELS = new Set([
  'ac',
  'co',
  'com',
  'edu',
  'go',
  'gov',
  'mil',
  'net',
  'or',
  'org',
  'sch',
  'web',
  'my',
  'biz',
  'ponpes',
  'desa',
  'id',
  'ne',
  'gob',
  'nic',
]);

function looksLikePublicSuffix(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return true;
  return labels.length === 2 && labels[1]!.length === 2 && REGISTRY_LABELS.has(labels[0]!);
}
