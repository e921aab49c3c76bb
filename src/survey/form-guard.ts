import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { header } from '../lib/http-listener';

/**
 * Cross-site request forgery defence of the survey forms, two layers: the browser's own Origin on every POST
 * must be ours, and each form carries a token bound both to what it submits (the link's token hash, the
 * service form, an opt-out) and to a random nonce in a SameSite=Strict, HttpOnly cookie. A page on another
 * site can neither read the token nor make the browser send the cookie.
 */
export const COOKIE = 'survei_sesi';

export class FormGuard {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly publicOrigin: string,
    private readonly cookiePath: string,
  ) {
    this.key = secret ? createHmac('sha256', secret).update('aduan survey forms').digest() : randomBytes(32);
  }

  /** The request's nonce, or a new one with the Set-Cookie header that gives it to the browser. */
  nonceOf(req: IncomingMessage): { nonce: string; setCookie?: string } {
    const existing = readCookie(req, COOKIE);
    if (existing) return { nonce: existing };
    const nonce = randomBytes(16).toString('base64url');
    const secure = this.publicOrigin.startsWith('https:') ? '; Secure' : '';
    return {
      nonce,
      setCookie: `${COOKIE}=${nonce}; Path=${this.cookiePath}; HttpOnly; SameSite=Strict; Max-Age=86400${secure}`,
    };
  }

  token(scope: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${scope}\u0000${nonce}`).digest('base64url');
  }

  /** Why a POST is refused, or undefined when it is ours. */
  problem(req: IncomingMessage, scope: string, formToken: string | undefined): string | undefined {
    const origin = header(req, 'origin');
    if (origin !== undefined && !this.allowedOrigin(req, origin)) return 'origin';
    const nonce = readCookie(req, COOKIE);
    if (!nonce || !formToken) return 'token';
    const expected = Buffer.from(this.token(scope, nonce));
    const given = Buffer.from(formToken);
    return expected.length === given.length && timingSafeEqual(expected, given) ? undefined : 'token';
  }

  /** The public origin, or this request's own (the page reached directly, without the proxy). */
  private allowedOrigin(req: IncomingMessage, origin: string): boolean {
    if (origin === this.publicOrigin) return true;
    const host = header(req, 'host');
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  }
}

/** One cookie's value (cookies are short: a split on ';' is linear and enough). */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const cookies = header(req, 'cookie');
  if (!cookies || cookies.length > 4096) return undefined;
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** Fixed one-minute windows per client; the map is cleared each window, so it never grows past one minute's clients. */
export class ClientRateLimit {
  private window = 0;
  private readonly counts = new Map<string, number>();

  constructor(private readonly perMinute: number) {}

  admit(client: string, now = Date.now()): boolean {
    const window = Math.floor(now / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = (this.counts.get(client) ?? 0) + 1;
    this.counts.set(client, count);
    return count <= this.perMinute;
  }
}
