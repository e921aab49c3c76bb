import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for a complaint portal (Perkebbas has no public API; this follows the shape
 * config/default.yaml describes) and for an SMS/WhatsApp gateway. It checks credentials, filters by
 * `updated_since`, pages (page numbers, next links or a cursor), injects 429/5xx/401 answers and
 * records every call.
 */

export type FakeAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'api-key'; header: string; value: string };
export type FakePaging = 'page' | 'next-link' | 'link-header' | 'cursor' | 'none';
export type FakeRoute = 'poll' | 'reply' | 'gateway';

export interface PortalRecord {
  id: string;
  dibuat_pada: string;
  diperbarui_pada: string;
  [field: string]: unknown;
}

export interface RecordedCall {
  route: FakeRoute | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body?: unknown;
  status: number;
  at: number;
}

interface Fault {
  status: number;
  headers?: Record<string, string>;
  /** A redirect's Location; `self` is the request's own path and query (a same-origin redirect). */
  location?: string;
}

export interface FakePortalOptions {
  auth?: FakeAuth;
  paging?: FakePaging;
  /** Page size when the request names none. */
  defaultPageSize?: number;
}

export class FakePortalServer {
  readonly records: PortalRecord[] = [];
  readonly calls: RecordedCall[] = [];
  /** Where the poll answer puts its records; change it to simulate the portal changing its format. */
  envelope = 'data';
  /** Every request answered 401 while true (a revoked token). */
  rejectAll = false;
  /** Next links point to this origin instead of ours (a portal that hands out links elsewhere). */
  nextLinkOrigin: string | undefined;
  private readonly faults: Record<FakeRoute, Fault[]> = { poll: [], reply: [], gateway: [] };

  private constructor(
    private readonly server: Server,
    readonly options: Required<FakePortalOptions>,
  ) {}

  static async start(options: FakePortalOptions = {}): Promise<FakePortalServer> {
    const resolved: Required<FakePortalOptions> = {
      auth: { kind: 'none' },
      paging: 'page',
      defaultPageSize: 50,
      ...options,
    };
    // eslint-disable-next-line prefer-const -- the request handler needs the name before the server exists
    let fake: FakePortalServer | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    fake = new FakePortalServer(server, resolved);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return fake;
  }

  url(path = ''): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The next `count` requests on the route get this answer instead. */
  failNext(route: FakeRoute, status: number, headers?: Record<string, string>, count = 1): void {
    for (let i = 0; i < count; i += 1) this.faults[route].push({ status, ...(headers ? { headers } : {}) });
  }

  /** The next `count` requests on the route are redirected (HTTP `status`) to `location`. */
  redirectNext(route: FakeRoute, status: number, location: string, count = 1): void {
    for (let i = 0; i < count; i += 1) this.faults[route].push({ status, location });
  }

  callsTo(route: FakeRoute): RecordedCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const raw = await readAll(req);
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = raw.toString('utf8');
    }
    const route: RecordedCall['route'] =
      req.method === 'GET' && url.pathname === '/api/pengaduan'
        ? 'poll'
        : req.method === 'POST' && /^\/api\/pengaduan\/[^/]+\/tanggapan$/.test(url.pathname)
          ? 'reply'
          : req.method === 'POST' && url.pathname === '/sms/send'
            ? 'gateway'
            : 'unknown';
    const call: RecordedCall = {
      route,
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      status: 0,
      at: Date.now(),
    };
    this.calls.push(call);
    const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(payload === undefined ? '' : JSON.stringify(payload));
    };
    if (route === 'unknown') return answer(404, { error: 'not found' });
    if (this.rejectAll || !this.authorized(req.headers)) return answer(401, { error: 'unauthorized' });
    const fault = this.faults[route].shift();
    if (fault?.location) {
      return answer(fault.status, undefined, {
        location: fault.location === 'self' ? (req.url ?? '/') : fault.location,
      });
    }
    if (fault) return answer(fault.status, { error: `injected ${fault.status}` }, fault.headers);
    if (route === 'poll') return this.poll(url, answer);
    return answer(route === 'reply' ? 201 : 200, { ok: true, id: `msg-${this.calls.length}` });
  }

  private poll(url: URL, answer: (status: number, payload?: unknown, headers?: Record<string, string>) => void): void {
    const since = url.searchParams.get('updated_since');
    const matching = this.records
      .filter((r) => !since || Date.parse(r.diperbarui_pada) >= Date.parse(since))
      .sort((a, b) => Date.parse(a.diperbarui_pada) - Date.parse(b.diperbarui_pada));
    const size = Number(url.searchParams.get('per_page') ?? this.options.defaultPageSize);
    const wrap = (data: unknown[], extra: Record<string, unknown> = {}) => ({ [this.envelope]: data, ...extra });
    switch (this.options.paging) {
      case 'none':
        return answer(200, wrap(matching));
      case 'page': {
        const page = Number(url.searchParams.get('page') ?? '1');
        return answer(
          200,
          wrap(matching.slice((page - 1) * size, page * size), {
            meta: { page, per_page: size, total: matching.length },
          }),
        );
      }
      case 'next-link':
      case 'link-header': {
        const page = Number(url.searchParams.get('page') ?? '1');
        const hasNext = page * size < matching.length;
        const next = new URLSearchParams(url.searchParams);
        next.set('page', String(page + 1));
        const relative = `/api/pengaduan?${next.toString()}`;
        const nextLink = !hasNext ? null : this.nextLinkOrigin ? `${this.nextLinkOrigin}${relative}` : relative;
        const data = matching.slice((page - 1) * size, page * size);
        const absolute = this.nextLinkOrigin ? nextLink : this.url(relative);
        if (this.options.paging === 'link-header') {
          return answer(200, wrap(data), nextLink ? { link: `<${absolute}>; rel="next"` } : {});
        }
        return answer(200, wrap(data, { links: { next: nextLink } }));
      }
      case 'cursor': {
        // The cursor is the position in creation order: new records come after it.
        const ordered = [...this.records].sort((a, b) => Date.parse(a.dibuat_pada) - Date.parse(b.dibuat_pada));
        const cursor = url.searchParams.get('cursor');
        const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8').replace('pos:', '')) : 0;
        const data = ordered.slice(start, start + size);
        return answer(
          200,
          wrap(data, { meta: { next_cursor: Buffer.from(`pos:${start + data.length}`).toString('base64url') } }),
        );
      }
    }
  }

  private authorized(headers: IncomingHttpHeaders): boolean {
    const auth = this.options.auth;
    switch (auth.kind) {
      case 'none':
        return true;
      case 'bearer':
        return headers.authorization === `Bearer ${auth.token}`;
      case 'basic':
        return headers.authorization === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      case 'api-key':
        return headers[auth.header.toLowerCase()] === auth.value;
    }
  }
}

/** A Perkebbas-like record; times are office-local with their offset. */
export function portalRecord(id: string, at: string, overrides: Record<string, unknown> = {}): PortalRecord {
  return {
    id,
    dibuat_pada: at,
    diperbarui_pada: at,
    judul: 'Pengaduan layanan',
    isi: `Permohonan ${id}: akta kelahiran anak saya belum terbit padahal berkas sudah lengkap sejak bulan lalu.`,
    status: 'baru',
    pelapor: {
      nama: 'Marihot Padang',
      telepon: '0812-6555-3210',
      email: 'marihot@example.com',
      kecamatan: 'Sidikalang',
    },
    ...overrides,
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
