import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { AddressPolicy, bareHost, isLoopbackHost } from './address-ranges';
import { guardedLookup, systemResolver, type Resolver } from './guarded-lookup';
import { OutboundPolicyError } from './policy-error';

/** `outboundHttp` in the config: the two things an admin may loosen, for every HTTP source. */
export interface OutboundHttpSettings {
  /** Plain http:// to a host that is not loopback (an internal gateway without TLS). */
  allowInsecureHttp: boolean;
  /** Addresses or CIDR ranges that may be connected to although private or loopback. */
  allowedAddresses: readonly string[];
}

export const DEFAULT_OUTBOUND_HTTP: OutboundHttpSettings = { allowInsecureHttp: false, allowedAddresses: [] };

/**
 * The rules of one configured HTTP source (portal poll, reply webhook, SMS gateway, Graph API):
 * its origin is the only one we send to, http: only to loopback or when allowed, every connection
 * goes through the guarded lookup. Throws OutboundPolicyError when the configured URL itself breaks
 * the rules.
 */
export class OutboundPolicy {
  readonly origin: string;
  /** Use for every request to this source: its lookup refuses private addresses. */
  readonly agent: HttpAgent | HttpsAgent;
  private readonly addresses: AddressPolicy;

  constructor(
    configuredUrl: string,
    settings: OutboundHttpSettings = DEFAULT_OUTBOUND_HTTP,
    resolver: Resolver = systemResolver,
  ) {
    let url: URL;
    try {
      url = new URL(configuredUrl);
    } catch {
      throw new OutboundPolicyError('the configured URL is not a valid URL');
    }
    const problem = insecureSchemeProblem(url, settings);
    if (problem) throw new OutboundPolicyError(problem);
    this.origin = url.origin;
    const loopbackName = isLoopbackHost(url.hostname) && !isIP(bareHost(url.hostname));
    this.addresses = new AddressPolicy(isLoopbackHost(url.hostname), settings.allowedAddresses, loopbackName);
    const lookup = guardedLookup(this.addresses, resolver);
    // No keep-alive: every connection resolves and checks again; polls are minutes apart anyway.
    this.agent =
      url.protocol === 'https:'
        ? new HttpsAgent({ lookup, keepAlive: false })
        : new HttpAgent({ lookup, keepAlive: false });
  }

  /**
   * The URL to request, if it is on the configured origin (scheme, host and port). Our headers hold
   * credentials, so a link or redirect elsewhere is refused, never requested without them either.
   */
  sameOrigin(target: string, what: string, base: string = this.origin): URL {
    let url: URL;
    try {
      url = new URL(target, base);
    } catch {
      throw new OutboundPolicyError(`${what} is not a valid URL`);
    }
    if (url.origin !== this.origin) {
      throw new OutboundPolicyError(`${what} points to another origin (${url.origin}); not followed`);
    }
    // Node connects to an IP literal without a lookup: check it here instead.
    const host = bareHost(url.hostname);
    if (isIP(host)) {
      const verdict = this.addresses.check(host);
      if (!verdict.ok) throw new OutboundPolicyError(`${what} refused: ${verdict.reason}`);
    }
    return url;
  }
}

/** Why this URL's scheme is not acceptable under the settings, if it is not. */
export function insecureSchemeProblem(
  url: URL,
  settings: Pick<OutboundHttpSettings, 'allowInsecureHttp'>,
): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return `scheme ${url.protocol} is not supported (https: only)`;
  if (isLoopbackHost(url.hostname) || settings.allowInsecureHttp) return undefined;
  return (
    `http:// to ${url.hostname} sends credentials and complaints unencrypted; ` +
    'use https:// or set outboundHttp.allowInsecureHttp'
  );
}
