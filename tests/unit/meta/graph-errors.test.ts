import { classifyError } from '../../../src/lib/errors';
import { classifyGraphError, graphError, graphErrorOf } from '../../../src/channels/meta/graph-errors';
import errors from '../../fixtures/meta/graph-errors.json';

const kindOf = (body: { error: { code: number; error_subcode?: number; is_transient?: boolean } }, status = 400) =>
  classifyGraphError(body.error.code, body.error.error_subcode, status, body.error.is_transient);

describe('classifyGraphError on documented error payloads', () => {
  it.each([
    ['outsideWindow', 'outside-window'],
    ['tokenExpired', 'auth'],
    ['passwordChanged', 'auth'],
    ['permissionMissing', 'auth'],
    ['pageRateLimit', 'rate-limit'],
    ['customRateLimit', 'rate-limit'],
    ['messengerBucThrottle', 'rate-limit'],
    ['unknownTransient', 'transient'],
    ['personUnavailable', 'unreachable'],
    ['noMatchingUser', 'invalid'],
    ['policyBlock', 'blocked'],
  ] as const)('%s → %s', (name, kind) => {
    expect(kindOf(errors[name])).toBe(kind);
  });

  it('covers the rate-limit codes 4, 17, 32, 613 and the 80000 range', () => {
    for (const code of [4, 17, 32, 613, 80001, 80002, 80006])
      expect(classifyGraphError(code, undefined)).toBe('rate-limit');
  });

  it('falls back on the HTTP status when there is no Graph error body', () => {
    expect(classifyGraphError(undefined, undefined, 502)).toBe('transient');
    expect(classifyGraphError(undefined, undefined, 429)).toBe('transient');
    expect(classifyGraphError(undefined, undefined, 404)).toBe('invalid');
  });
});

describe('Graph errors in the pipeline', () => {
  it('are retried or dead-lettered through the one classifyError', () => {
    const limited = graphError({ kind: 'rate-limit', code: 613 }, 'limited', 5000);
    const expired = graphError({ kind: 'auth', code: 190, subcode: 463 }, 'expired');
    expect(classifyError(limited)).toBe('retryable');
    expect((limited as { retryAfterMs?: number }).retryAfterMs).toBe(5000);
    expect(classifyError(expired)).toBe('permanent');
    expect(graphErrorOf(expired)).toEqual({ kind: 'auth', code: 190, subcode: 463 });
    expect(graphErrorOf(new Error('x'))).toBeUndefined();
    expect(expired.message).toBe('Graph API auth (code 190/463): expired');
  });
});
