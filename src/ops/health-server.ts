import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { ChannelHealth } from '../channels/channel';
import type { Logger } from '../lib/logger';

export interface HealthSources {
  redis(): Promise<void>;
  store(): Promise<void>;
  channels(): ChannelHealth[];
  /** True until the service has started its workers and channels (the server answers before that). */
  starting?(): boolean;
  /** Conditions an operator should know of that do not make the service unready (no channel enabled). */
  warnings?(): string[];
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down' | 'starting';
  redis: { ok: boolean; error?: string };
  store: { ok: boolean; error?: string };
  channels: ChannelHealth[];
  warnings?: string[];
}

export async function collectHealth(sources: HealthSources): Promise<HealthReport> {
  const probe = async (check: () => Promise<void>) => {
    try {
      await withTimeout(check(), 2000);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  };
  const [redis, store] = await Promise.all([probe(sources.redis), probe(sources.store)]);
  const channels = sources.channels();
  const channelTrouble = channels.some((c) => c.state === 'failed' || c.state === 'degraded');
  const status =
    !redis.ok || !store.ok ? 'down' : sources.starting?.() ? 'starting' : channelTrouble ? 'degraded' : 'ok';
  const warnings = sources.warnings?.() ?? [];
  return { status, redis, store, channels, ...(warnings.length ? { warnings } : {}) };
}

/** The request carries `Authorization: Bearer <token>` (compared in constant time). */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

export interface HealthServerOptions {
  host: string;
  port: number;
  sources: HealthSources;
  metrics?: Registry;
  log: Logger;
  token?: string;
  version: string;
  /** When the process started (ms since epoch): uptime is counted from it. */
  startedAt?: number;
}

/**
 * GET or HEAD, answered from the first second of `aduan start` (before Redis is reached):
 *  - /healthz: liveness: 200 while the process serves requests, with version and uptime; nothing
 *    secret, no token (what the Docker HEALTHCHECK and systemd watchdogs call).
 *  - /readyz: readiness: Redis, store and each channel; 200 when the service can take work (channels
 *    may be degraded), 503 while starting or when Redis or the store does not answer.
 *  - /metrics: Prometheus.
 * With service.monitoringToken set, /readyz and /metrics need `Authorization: Bearer <token>` (401).
 */
export function startHealthServer(options: HealthServerOptions): Promise<Server> {
  const token = options.token || undefined;
  const startedAt = options.startedAt ?? Date.now();
  const server = createServer((req, res) => {
    const route = req.url?.split('?')[0];
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      send(res, head, 405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    const about = { version: options.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
    if (route === '/healthz') {
      send(res, head, 200, 'application/json', JSON.stringify({ status: 'alive', ...about }));
      return;
    }
    const guarded = route === '/readyz' || (route === '/metrics' && options.metrics);
    if (!guarded) {
      send(res, head, 404, 'text/plain', 'not found\n');
      return;
    }
    if (token !== undefined && !bearerMatches(req, token)) {
      send(res, head, 401, 'text/plain', 'unauthorized\n', { 'www-authenticate': 'Bearer realm="aduan"' });
      return;
    }
    const answer =
      route === '/metrics'
        ? options.metrics!.metrics().then((text) => ({ code: 200, type: options.metrics!.contentType, text }))
        : collectHealth(options.sources).then((report) => ({
            code: report.status === 'down' || report.status === 'starting' ? 503 : 200,
            type: 'application/json',
            text: JSON.stringify({ ...report, ...about }),
          }));
    answer.then(
      ({ code, type, text }) => send(res, head, code, type, text),
      (error: unknown) => {
        options.log.error({ err: error, route }, 'health or metrics request failed');
        send(res, head, 500, 'text/plain', 'internal error\n');
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}

function send(
  res: ServerResponse,
  head: boolean,
  code: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(code, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(head ? undefined : body);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
