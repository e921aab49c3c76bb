import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks an HMAC-SHA256 of the raw request body keyed with the shared secret. The header holds the
 * digest in hex or base64, optionally prefixed `sha256=`. Only the bytes as received are checked.
 */
export function verifyBodySignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  encoding: 'hex' | 'base64',
): boolean {
  if (!header || !secret) return false;
  const value = header.trim().replace(/^sha256=/i, '');
  const valid = encoding === 'hex' ? /^[0-9a-fA-F]{64}$/.test(value) : /^[A-Za-z0-9+/]{43}=?$/.test(value);
  if (!valid) return false;
  const received = Buffer.from(value, encoding);
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** What a sender puts in the header (for the portal's integrators and for tests). */
export function signBody(rawBody: Buffer | string, secret: string, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHmac('sha256', secret).update(rawBody).digest(encoding);
}
