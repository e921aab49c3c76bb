export { isLoopbackHost, parseAddressRange } from './address-ranges';
export { systemResolver, type Resolver, type ResolvedAddress } from './guarded-lookup';
export {
  DEFAULT_OUTBOUND_HTTP,
  insecureSchemeProblem,
  OutboundPolicy,
  type OutboundHttpSettings,
} from './outbound-policy';
export { MAX_REDIRECTS, sendRequest, type OutboundRequest, type OutboundResponse } from './outbound-request';
export { OutboundPolicyError } from './policy-error';
