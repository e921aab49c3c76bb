import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * X-Hub-Signature-256 is `sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`. Meta
 * signs its own (unicode-escaped) serialisation, so only the bytes as received can be checked, never
 * re-serialised JSON.
 */
export function verifyHubSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const hex = header.slice('sha256='.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const received = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(received, expected);
}

/** Answer to the subscription handshake: the challenge when mode and token match, else nothing. */
export function verificationChallenge(query: URLSearchParams, verifyToken: string): string | undefined {
  const token = query.get('hub.verify_token') ?? '';
  const challenge = query.get('hub.challenge');
  if (query.get('hub.mode') !== 'subscribe' || challenge === null || !sameText(token, verifyToken)) return undefined;
  return challenge;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
