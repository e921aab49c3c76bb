import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OutboundPolicy } from './outbound-policy';
import { OutboundPolicyError } from './policy-error';

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  /** Text (JSON) or bytes (a multipart upload). */
  body?: string | Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Names the call in errors, e.g. "perkebbas poll". */
  what: string;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The answer's bytes as received (media downloads); `text` is their UTF-8 reading. */
  bytes: Buffer;
  /** Where the answer came from, after same-origin redirects. */
  url: string;
}

/** Same-origin redirects followed per request; a chain beyond it is an error. */
export const MAX_REDIRECTS = 3;
/** An answer larger than this is cut off as an error (it would only fill memory). */
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

/**
 * One HTTP exchange under a source's policy: the URL must be on the configured origin, redirects are
 * handled here (never by the client library) and only within that origin, at most MAX_REDIRECTS.
 * Network failures are thrown as Node gives them (with `code`); a timeout as ETIMEDOUT.
 */
export async function sendRequest(policy: OutboundPolicy, request: OutboundRequest): Promise<OutboundResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let url = policy.sameOrigin(request.url, `${request.what} URL`);
  let { method, body } = request;
  for (let redirects = 0; ; redirects += 1) {
    let answer: { response: IncomingMessage; text: string; bytes: Buffer };
    try {
      answer = await exchange(policy, url, method, request.headers, body, signal);
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      if (timeout.aborted) throw Object.assign(new Error(`${request.what} timed out`), { code: 'ETIMEDOUT' });
      throw error;
    }
    const { response, text, bytes } = answer;
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status < 300 || status >= 400 || status === 304 || !location) {
      return { status, headers: toHeaders(response), text, bytes, url: url.toString() };
    }
    if (redirects >= MAX_REDIRECTS) {
      throw new OutboundPolicyError(`${request.what} was redirected more than ${MAX_REDIRECTS} times`);
    }
    url = policy.sameOrigin(location, `${request.what} redirect (HTTP ${status})`, url.toString());
    // 303, and 301/302 after a POST as browsers do, continue as GET without the body; 307/308 repeat as sent.
    if (status === 303 || ((status === 301 || status === 302) && method !== 'GET')) {
      method = 'GET';
      body = undefined;
    }
  }
}

function exchange(
  policy: OutboundPolicy,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  signal: AbortSignal,
): Promise<{ response: IncomingMessage; text: string; bytes: Buffer }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        agent: policy.agent,
        signal,
        headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            const tooLarge = new Error(`answer larger than ${MAX_RESPONSE_BYTES} bytes`);
            req.destroy(Object.assign(tooLarge, { code: 'ERESPONSETOOLARGE' }));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ response, text: bytes.toString('utf8'), bytes });
        });
        response.on('error', reject);
        response.on('aborted', () => reject(Object.assign(new Error('answer cut off'), { code: 'ECONNRESET' })));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function toHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}
