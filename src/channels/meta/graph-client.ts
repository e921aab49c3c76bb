import { createHmac } from 'node:crypto';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { backoffDelay } from '../../lib/backoff';
import type { Logger } from '../../lib/logger';
import { OutboundPolicy, OutboundPolicyError, type OutboundHttpSettings, type Resolver } from '../../net/outbound-http';
import { classifyGraphError, graphError, isRetryableKind, type GraphApiError } from './graph-errors';
import type { GraphErrorBody, GraphList } from './graph-types';
import { systemClock, type Clock, type RateGate } from './rate-gate';
import { readUsageHeaders } from './usage-headers';

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  /** When set, every call carries appsecret_proof (HMAC-SHA256 of the token, hex). */
  appSecret?: string;
  timeoutMs: number;
  /** Attempts of a call that failed transiently (network, 5xx, codes 1, 2, 1200). */
  attempts?: number;
  retryBaseMs?: number;
  /** `outboundHttp` of the config (https only, no private addresses by default); the resolver is for tests. */
  outboundHttp?: OutboundHttpSettings;
  resolver?: Resolver;
}

export type GraphParams = Record<string, string | number | undefined>;

/** A runaway `paging.next` chain stops here. */
const MAX_PAGES = 200;
/** Network failures after which a POST certainly did not reach Meta (anything else may have sent it). */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface GraphRequest {
  method: 'GET' | 'POST';
  url: string;
  params: GraphParams;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * The one way aduan talks to the Graph API: base URL and version from config, the token in the
 * Authorization header (never in a URL that could be logged), appsecret_proof, the account's rate
 * gate, retries of transient failures and the translation of every failure into a classified
 * Graph error. Axios errors never leave this module: they carry the request headers. Connections
 * follow the shared outbound-HTTP policy: only the configured origin, no redirects, no private
 * addresses after resolution.
 */
export class GraphClient {
  private readonly http: AxiosInstance;
  private readonly policy: OutboundPolicy;
  private readonly root: string;
  private readonly proof: string | undefined;

  constructor(
    private readonly options: GraphClientOptions,
    private readonly gate: RateGate,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.policy = new OutboundPolicy(options.baseUrl, options.outboundHttp, options.resolver);
    this.root = `${options.baseUrl.replace(/\/+$/, '')}/${options.version}`;
    this.proof = options.appSecret
      ? createHmac('sha256', options.appSecret).update(options.accessToken).digest('hex')
      : undefined;
    this.http = axios.create({
      timeout: options.timeoutMs,
      headers: { Authorization: `Bearer ${options.accessToken}`, 'User-Agent': 'aduan-meta-channel' },
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      // The policy's agent resolves and checks every address; a proxy from the environment would bypass it.
      httpAgent: this.policy.agent,
      httpsAgent: this.policy.agent,
      proxy: false,
    });
  }

  get<T>(path: string, params: GraphParams = {}, signal?: AbortSignal): Promise<T> {
    return this.request<T>({ method: 'GET', url: `${this.root}/${path}`, params, signal });
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>({ method: 'POST', url: `${this.root}/${path}`, params: {}, body, signal });
  }

  /** A multipart POST (the Send API's file upload: form fields and the file in `filedata`). */
  postForm<T>(path: string, form: FormData, signal?: AbortSignal): Promise<T> {
    return this.request<T>({ method: 'POST', url: `${this.root}/${path}`, params: {}, body: form, signal });
  }

  /** Every item of a cursor-paged edge, following `paging.next` (only back to our own Graph host). */
  async *paginate<T>(
    path: string,
    params: GraphParams,
    options: { maxItems?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<T> {
    let request: GraphRequest = { method: 'GET', url: `${this.root}/${path}`, params, signal: options.signal };
    let count = 0;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const list = await this.request<GraphList<T>>(request);
      for (const item of list.data ?? []) {
        yield item;
        count += 1;
        if (options.maxItems !== undefined && count >= options.maxItems) return;
      }
      // A short or even empty page does not mean the end; only a missing `next` does.
      const next = list.paging?.next;
      if (!next || seen.has(next)) return;
      seen.add(next);
      request = { ...this.followable(next), method: 'GET', signal: options.signal };
    }
    this.log.warn({ path, pages: MAX_PAGES }, 'stopped following paging.next after too many pages');
  }

  /** `paging.next` is absolute and may carry a token: keep our host, drop its credentials, add ours. */
  private followable(next: string): { url: string; params: GraphParams } {
    let url: URL;
    try {
      url = this.policy.sameOrigin(next, 'paging.next');
    } catch (error) {
      throw graphError({ kind: 'invalid' }, (error as Error).message);
    }
    url.searchParams.delete('access_token');
    url.searchParams.delete('appsecret_proof');
    return { url: `${url.origin}${url.pathname}`, params: Object.fromEntries(url.searchParams) };
  }

  private async request<T>(request: GraphRequest): Promise<T> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const paused = this.gate.pausedForMs();
      if (paused > 0)
        throw graphError({ kind: 'rate-limit' }, `account paused for ${paused} ms after a rate limit`, paused);
      await this.gate.acquire(request.signal);
      const failure = await this.attempt<T>(request);
      if (!isFailure(failure)) return failure.value;
      const { error, retry } = failure;
      if (!retry || attempt >= attempts) throw error;
      const delay = backoffDelay(attempt, this.options.retryBaseMs ?? 500, 10_000);
      this.log.warn(
        { method: request.method, path: this.pathOf(request.url), attempt, delayMs: delay, reason: error.message },
        'Graph call failed; retrying',
      );
      await this.clock.sleep(delay, request.signal);
    }
  }

  private async attempt<T>(request: GraphRequest): Promise<{ value: T } | Failure> {
    const started = this.clock.now();
    let response: AxiosResponse<string>;
    try {
      this.policy.sameOrigin(request.url, 'Graph API URL');
      response = await this.http.request<string>({
        method: request.method,
        url: request.url,
        params: { ...request.params, ...(this.proof ? { appsecret_proof: this.proof } : {}) },
        ...(request.body === undefined ? {} : { data: request.body, headers: contentTypeOf(request.body) }),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      if (request.signal?.aborted) throw new Error('Graph call cancelled: channel stopping', { cause: error });
      const refused = policyRefusal(error);
      if (refused) return { error: graphError({ kind: 'invalid' }, refused), retry: false };
      const code = (error as { code?: string }).code ?? 'network error';
      // A POST that may have reached Meta is not repeated here: the Send API has no idempotency key.
      const retry = request.method === 'GET' || NOT_CONNECTED.has(code);
      return { error: graphError({ kind: 'transient' }, `request failed: ${code}`), retry };
    }
    this.log.debug(
      {
        method: request.method,
        path: this.pathOf(request.url),
        status: response.status,
        ms: this.clock.now() - started,
      },
      'Graph call',
    );
    const usage = readUsageHeaders(response.headers as Record<string, unknown>);
    if (usage) this.gate.observe(usage);

    const body = parseJson(response.data);
    const graph = (body as GraphErrorBody | undefined)?.error;
    if (response.status >= 200 && response.status < 300 && body !== undefined && !graph) {
      this.gate.succeeded();
      return { value: body as T };
    }
    const kind = classifyGraphError(graph?.code, graph?.error_subcode, response.status, graph?.is_transient);
    const detail = {
      kind,
      httpStatus: response.status,
      ...(graph?.code !== undefined ? { code: graph.code } : {}),
      ...(graph?.error_subcode !== undefined ? { subcode: graph.error_subcode } : {}),
      ...(graph?.type ? { type: graph.type } : {}),
      ...(graph?.fbtrace_id ? { fbtraceId: graph.fbtrace_id } : {}),
    };
    const description = graph?.message ?? (body === undefined ? 'response is not JSON' : `HTTP ${response.status}`);
    if (kind === 'rate-limit') {
      const pause = this.gate.limited(usage?.regainAccessMs);
      return { error: graphError(detail, description, pause), retry: false };
    }
    // An explicit Graph error means the call was not carried out, so even a POST may be repeated.
    return { error: graphError(detail, description), retry: isRetryableKind(kind) };
  }

  private pathOf(url: string): string {
    return url.startsWith(this.root) ? url.slice(this.root.length) : new URL(url).pathname;
  }
}

interface Failure {
  error: GraphApiError;
  retry: boolean;
}

function isFailure<T>(outcome: { value: T } | Failure): outcome is Failure {
  return 'error' in outcome;
}

/** The policy's refusal, thrown by us or passed through axios from the guarded lookup. */
function policyRefusal(error: unknown): string | undefined {
  if (error instanceof OutboundPolicyError) return error.message;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof OutboundPolicyError) return cause.message;
  const code = (error as { code?: unknown }).code;
  return code === 'EOUTBOUNDPOLICY' ? 'address refused by the outbound-HTTP policy' : undefined;
}

/** JSON bodies say so; a FormData body gets its multipart type and boundary from axios. */
function contentTypeOf(body: unknown): Record<string, string> {
  return body instanceof FormData ? {} : { 'Content-Type': 'application/json' };
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data ?? undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
