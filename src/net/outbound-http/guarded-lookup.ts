import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-ranges';
import { OutboundPolicyError } from './policy-error';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Name → addresses; tests inject one, the service uses the system resolver. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * The `lookup` of our agents: resolves once, keeps only the addresses the policy allows and hands
 * exactly those to the socket, so the address that was checked is the one connected to (a second
 * resolution could answer differently: DNS rebinding).
 */
export function guardedLookup(policy: AddressPolicy, resolver: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    resolver(hostname).then(
      (found) => {
        const candidates = wanted ? found.filter((a) => a.family === wanted) : found;
        const refusals: string[] = [];
        const usable = candidates.filter((a) => {
          const verdict = policy.check(a.address);
          if (!verdict.ok) refusals.push(verdict.reason);
          return verdict.ok;
        });
        // A loopback name that also resolves elsewhere is not loopback: refuse it as a whole.
        if (usable.length === 0 || (policy.loopbackOnly && refusals.length > 0)) {
          const why = refusals.length ? refusals.join('; ') : 'no address';
          callback(new OutboundPolicyError(`${hostname} resolves to no address we may connect to (${why})`), '', 4);
          return;
        }
        if (options.all)
          callback(
            null,
            usable.map((a) => ({ address: a.address, family: a.family })),
          );
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}
