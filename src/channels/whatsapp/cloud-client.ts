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
    return this.call<T>('POST', path, { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });
  }

  /** A multipart upload (POST /{phone-number-id}/media): the form is encoded here, with its boundary. */
  async postForm<T>(path: string, form: FormData): Promise<T> {
    const encoded = new Response(form);
    const bytes = Buffer.from(await encoded.arrayBuffer());
    return this.call<T>('POST', path, { bytes, contentType: encoded.headers.get('content-type') ?? '' });
  }

  /**
   * The bytes behind a media URL from GET /{media-id}: with the same Bearer token, only on the Graph
   * origin or one of `hosts`, under the same outbound policy. 404/410 mean the short-lived URL expired.
   */
  async download(mediaUrl: string, hosts: readonly string[]): Promise<{ bytes: Buffer; contentType: string }> {
    let url: URL;
    try {
      url = new URL(mediaUrl);
    } catch {
      throw new PermanentCloudApiError('invalid', undefined, 0, 'media URL is not a URL');
    }
    const policy = url.origin === this.policy.origin ? this.policy : this.mediaPolicy(url, hosts);
    let response: Awaited<ReturnType<typeof sendRequest>>;
    try {
      response = await sendRequest(policy, {
        method: 'GET',
        url: url.toString(),
        headers: { authorization: `Bearer ${this.options.accessToken}` },
        timeoutMs: this.options.timeoutMs * 4,
        what: 'WhatsApp media download',
      });
    } catch (error) {
      if (error instanceof OutboundPolicyError)
        throw new PermanentCloudApiError('invalid', undefined, 0, error.message);
      const code = (error as { code?: unknown }).code;
      throw new CloudApiError('transient', undefined, 0, `media download failed (${String(code ?? 'network')})`);
    }
    if (response.status === 401 || response.status === 403)
      throw cloudApiError(undefined, response.status, 'media download refused the token');
    if (response.status !== 200)
      throw new CloudApiError(
        'transient',
        undefined,
        response.status,
        `media download answered HTTP ${response.status}`,
      );
    return { bytes: response.bytes, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
  }

  private mediaPolicy(url: URL, hosts: readonly string[]): OutboundPolicy {
    if (!hosts.includes(url.hostname))
      throw new PermanentCloudApiError(
        'invalid',
        undefined,
        0,
        `media URL host ${url.hostname.slice(0, 100)} not allowed`,
      );
    return new OutboundPolicy(url.origin, this.options.outboundHttp);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: EncodedBody): Promise<T> {
    let response: Awaited<ReturnType<typeof sendRequest>>;
    try {
      response = await sendRequest(this.policy, {
        method,
        url: `${this.root}/${path}`,
        headers: {
          authorization: `Bearer ${this.options.accessToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': body.contentType }),
        },
        ...(body === undefined ? {} : { body: body.bytes }),
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

/** A request body as sent: JSON, or a multipart form with its boundary. */
interface EncodedBody {
  bytes: Buffer;
  contentType: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
