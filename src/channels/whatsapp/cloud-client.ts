import { OutboundPolicy, OutboundPolicyError, sendRequest, type OutboundHttpSettings } from '../../net/outbound-http';
import { parseRetryAfter } from '../shared/retry-after';
import { CloudApiError, cloudApiError, PermanentCloudApiError } from './cloud-errors';

export interface CloudClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  timeoutMs: number;
  outboundHttp?: OutboundHttpSettings;
}

/**
 * JSON calls to the Cloud API: the token only in the Authorization header, the configured origin only
 * (shared outbound-HTTP policy, no private addresses), and every failure turned into a classified
 * Cloud API error that carries neither the request (its headers hold the token) nor the response body.
 */
export class CloudClient {
  private readonly policy: OutboundPolicy;
  private readonly root: string;

  constructor(private readonly options: CloudClientOptions) {
    this.policy = new OutboundPolicy(options.baseUrl, options.outboundHttp);
    this.root = `${options.baseUrl.replace(/\/+$/, '')}/${options.version}`;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Awaited<ReturnType<typeof sendRequest>>;
    try {
      response = await sendRequest(this.policy, {
        method,
        url: `${this.root}/${path}`,
        headers: {
          authorization: `Bearer ${this.options.accessToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: this.options.timeoutMs,
        what: `WhatsApp Cloud API ${method}`,
      });
    } catch (error) {
      if (error instanceof OutboundPolicyError)
        throw new PermanentCloudApiError('invalid', undefined, 0, error.message);
      const code = (error as { code?: unknown }).code;
      throw new CloudApiError('transient', undefined, 0, `Cloud API not reachable (${String(code ?? 'network')})`);
    }
    const parsed = parseJson(response.text) as { error?: { code?: unknown; message?: unknown } } | undefined;
    if (response.status >= 200 && response.status < 300 && parsed !== undefined && !parsed.error) return parsed as T;
    const code = typeof parsed?.error?.code === 'number' ? parsed.error.code : undefined;
    const title = typeof parsed?.error?.message === 'string' ? parsed.error.message : `HTTP ${response.status}`;
    const error = cloudApiError(code, response.status, title);
    if (error instanceof CloudApiError && error.retryAfterMs === undefined) {
      const after = parseRetryAfter(response.headers.get('retry-after'));
      if (after !== undefined) throw new CloudApiError(error.kind, code, response.status, error.message, after);
    }
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
