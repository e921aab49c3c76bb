import { TransientError } from '../../lib/errors';
import { parseRetryAfter } from './retry-after';

/**
 * The portal's and gateway's HTTP calls (Node's fetch). Failures leave as the two errors below, which
 * carry status and Retry-After but never the request (its headers hold credentials) nor the response
 * body (it may quote personal data).
 */

export class HttpStatusError extends Error {
  constructor(readonly status: number, readonly retryAfterMs: number | undefined, what: string) {
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
  constructor(what: string, readonly code: string) {
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

export async function requestJson(request: HttpRequest): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: { accept: 'application/json', ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal,
      redirect: 'follow',
    });
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason ?? error;
    throw new HttpNetworkError(request.what, timeout.aborted ? 'ETIMEDOUT' : networkCode(error));
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new HttpStatusError(response.status, parseRetryAfter(response.headers.get('retry-after')), request.what);
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
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'ECONNRESET';
}
