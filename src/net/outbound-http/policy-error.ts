/**
 * A request the outbound-HTTP policy refused before anything was sent: another origin, a refused
 * address, plain http, too many redirects. Retrying does not help; the configuration or the remote
 * side has to change.
 */
export class OutboundPolicyError extends Error {
  readonly code = 'EOUTBOUNDPOLICY';

  constructor(message: string) {
    super(message);
    this.name = 'OutboundPolicyError';
  }
}
