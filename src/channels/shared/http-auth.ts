import type { HttpAuth } from './message-webhook-schema';

/** The request headers for the configured authentication (never logged; the values are secrets). */
export function authHeaders(auth: HttpAuth): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
    case 'api-key':
      return { [auth.header.toLowerCase()]: auth.value };
  }
}
