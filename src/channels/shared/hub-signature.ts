import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta's webhook checks, for any channel of a Meta app. X-Hub-Signature-256 is `sha256=<hex HMAC-SHA256
 * of the raw body, keyed with the app secret>`: only the bytes as received can be checked, never
 * re-serialised JSON. Both comparisons take constant time.
 */
export function verifyHubSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=') || appSecret === '') return false;
  const hex = header.slice('sha256='.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

/** Answer to the subscription handshake: the challenge when mode and token match, else nothing. */
export function hubChallenge(query: URLSearchParams, verifyToken: string): string | undefined {
  const left = Buffer.from(query.get('hub.verify_token') ?? '');
  const right = Buffer.from(verifyToken);
  const challenge = query.get('hub.challenge');
  const tokenOk = verifyToken !== '' && left.length === right.length && timingSafeEqual(left, right);
  if (query.get('hub.mode') !== 'subscribe' || challenge === null || !tokenOk) return undefined;
  return challenge;
}
