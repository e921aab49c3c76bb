import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { ChannelHealth } from '../channels/channel';
import type { Logger } from '../lib/logger';

export interface HealthSources {
  redis(): Promise<void>;
  store(): Promise<void>;
  channels(): ChannelHealth[];
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  redis: { ok: boolean; error?: string };
  store: { ok: boolean; error?: string };
  channels: ChannelHealth[];
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
  const status = !redis.ok || !store.ok ? 'down' : channelTrouble ? 'degraded' : 'ok';
  return { status, redis, store, channels };
}

/** The request carries `Authorization: Bearer <token>` (compared in constant time). */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * GET /healthz: 200 when Redis and the store answer (channels may be degraded), 503 otherwise.
 * GET /metrics: Prometheus. With a token, /metrics needs it (401 otherwise) and /healthz without it
 * answers only `{"status": …}` (the Docker HEALTHCHECK's liveness probe needs nothing more); the
 * detailed answer names channels and their errors.
 */
export function startHealthServer(options: {
  host: string;
  port: number;
  sources: HealthSources;
  metrics?: Registry;
  log: Logger;
  token?: string;
}): Promise<Server> {
  const token = options.token || undefined;
  const server = createServer((req, res) => {
    const route = req.url?.split('?')[0];
    const authorized = token === undefined || bearerMatches(req, token);
    if (req.method === 'GET' && route === '/metrics' && options.metrics && !authorized) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="aduan"' });
      res.end('unauthorized\n');
      return;
    }
    if (req.method === 'GET' && route === '/metrics' && options.metrics) {
      const registry = options.metrics;
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          options.log.error({ err: error }, 'metrics collection failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    if (req.method !== 'GET' || route !== '/healthz') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    collectHealth(options.sources)
      .then((report) => {
        const body = authorized ? report : { status: report.status };
        res.writeHead(report.status === 'down' ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      })
      .catch((error: unknown) => {
        options.log.error({ err: error }, 'health check failed');
        res.writeHead(500).end();
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
