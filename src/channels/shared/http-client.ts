import { OutboundPolicyError, sendRequest, type OutboundPolicy } from '../../net/outbound-http';
import { TransientError } from '../../lib/errors';
import { parseRetryAfter } from './retry-after';

/**
 * The portal's and gateway's HTTP calls, under the source's outbound-HTTP policy (same origin only,
 * no private addresses). Failures leave as the errors below (or an OutboundPolicyError), which carry
 * status and Retry-After but never the request (its headers hold credentials) nor the response body
 * (it may quote personal data).
 */

export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    what: string,
  ) {
    super(`${what} answered HTTP ${status}`);
    this.name = 'HttpStatusError';
  }

  get isAuthFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }

  /** Rate limits and server trouble pass; other 4xx mean the request itself is wrong. */
  get isRetryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** The server could not be reached or did not answer in time. */
export class HttpNetworkError extends TransientError {
  constructor(
    what: string,
    readonly code: string,
  ) {
    super(`${what} not reachable (${code})`);
    this.name = 'HttpNetworkError';
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Names the call in errors, e.g. "perkebbas poll". */
  what: string;
  /** A 2xx answer that is not JSON is an error (polls) or just an acknowledgement (message posts). */
  expectJson?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function requestJson(policy: OutboundPolicy, request: HttpRequest): Promise<HttpResponse> {
  let response: Awaited<ReturnType<typeof sendRequest>>;
  try {
    response = await sendRequest(policy, {
      method: request.method,
      url: request.url,
      headers: {
        accept: 'application/json',
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      timeoutMs: request.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
      what: request.what,
    });
  } catch (error) {
    if (request.signal?.aborted || error instanceof OutboundPolicyError) throw error;
    throw new HttpNetworkError(request.what, networkCode(error));
  }
  const text = response.text;
  const ok = response.status >= 200 && response.status < 300;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (!ok) throw new HttpStatusError(response.status, retryAfterMs, request.what);
  let body: unknown = undefined;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      if (request.expectJson === false) return { status: response.status, headers: response.headers, body: text };
      throw new ResponseShapeError(`${request.what} answered HTTP ${response.status} with a body that is not JSON`);
    }
  }
  return { status: response.status, headers: response.headers, body };
}

/** The response arrived but is not what the configuration describes (the portal changed, or the config is wrong). */
export class ResponseShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseShapeError';
  }
}

function networkCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'ECONNRESET';
}
