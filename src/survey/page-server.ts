import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SurveyConfig } from '../config/survey-schema';
import { systemClock, type Clock } from '../domain/clock';
import type { SurveySource } from '../domain/survey-instrument';
import { closeServer, header, listen, listeningUrl, readBody } from '../lib/http-listener';
import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import type { SurveyLink } from '../store/survey-storage';
import { checkForm, newResponseId, readForm } from './form-input';
import { ClientRateLimit, FormGuard } from './form-guard';
import { hashToken, optOut, readToken } from './links';
import { surveyLinkState } from '../domain/survey-link';
import { renderForm, renderMessage, renderOptOut } from './page-html';
import { recipientOf } from '../pipeline/coordination-plans';

export interface SurveyPageDeps {
  store: Store;
  survey: SurveyConfig;
  /** Signs the form tokens (staff.replySecret); empty: a random key per process. */
  secret: string;
  log: Logger;
  clock?: Clock;
}

/** Only these paths exist under the prefix: `<token>`, `<token>/berhenti`, `layanan`. */
const SERVICE = 'layanan';
const OPT_OUT = 'berhenti';

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // same-origin: a form POST keeps its Origin (no-referrer makes it "null"); nothing leaks to other sites.
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * The public survey page (issue #21): its own listener, meant behind the office's reverse proxy. A ticket's
 * link opens its form once; the service form (counter QR code) takes service-user surveys. Every write is
 * rate-limited per client and CSRF-checked (form-guard.ts); bodies are size-capped.
 */
export class SurveyPageServer {
  private server: Server | undefined;
  private readonly guard: FormGuard;
  private readonly writes: ClientRateLimit;
  private readonly reads: ClientRateLimit;

  constructor(private readonly deps: SurveyPageDeps) {
    this.guard = new FormGuard(deps.secret, new URL(deps.survey.publicBaseUrl).origin, deps.survey.path);
    this.writes = new ClientRateLimit(deps.survey.submissionsPerMinute);
    this.reads = new ClientRateLimit(deps.survey.submissionsPerMinute * 10);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.deps.log.error({ err: error }, 'survey page request failed');
        if (!res.headersSent)
          this.send(
            res,
            500,
            renderMessage('Terjadi gangguan', ['Mohon maaf, coba lagi beberapa saat lagi.'], 'error'),
          );
        else res.destroy();
      });
    });
    this.server.requestTimeout = 15_000;
    this.server.headersTimeout = 10_000;
    await listen(this.server, this.deps.survey.host, this.deps.survey.port);
    return this.url();
  }

  /** Where it listens (the real port when configured as 0), with the path prefix. */
  url(): string {
    return listeningUrl(this.server, this.deps.survey.host, this.deps.survey.port, this.deps.survey.path);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const prefix = `${this.deps.survey.path}/`;
    const path = (req.url ?? '').split('?')[0]!;
    const parts = path.startsWith(prefix) ? path.slice(prefix.length).split('/') : [];
    const write = req.method === 'POST';
    if (!write && req.method !== 'GET' && req.method !== 'HEAD')
      return this.send(res, 405, NOT_ALLOWED, { Allow: 'GET, POST' });
    if (!(write ? this.writes : this.reads).admit(clientOf(req)))
      return this.send(res, 429, TOO_MANY, { 'Retry-After': '60' });
    if (parts.length === 1 && parts[0] === SERVICE) return this.serviceForm(req, res);
    const token = readToken(parts[0] ?? '');
    if (!token || parts.length > 2 || (parts.length === 2 && parts[1] !== OPT_OUT))
      return this.send(res, 404, NOT_FOUND);
    const link = await this.deps.store.getSurveyLink(hashToken(token));
    if (!link || !link.ticketId) return this.send(res, 404, NOT_FOUND);
    if (parts.length === 2) return this.optOut(req, res, link);
    return this.ticketForm(req, res, link);
  }

  private async ticketForm(req: IncomingMessage, res: ServerResponse, link: SurveyLink): Promise<void> {
    const { store } = this.deps;
    const ticket = await store.getTicket(link.ticketId!);
    const answered = (await store.getSurveyResponseOfTicket(link.ticketId!)) !== undefined;
    const state = surveyLinkState(link, ticket, answered, this.now());
    if (state.kind === 'answered') return this.send(res, 410, ANSWERED);
    if (state.kind === 'expired') return this.send(res, 410, EXPIRED);
    // A receipt's link before the answer: a GET and a POST alike are told to come back later.
    if (state.kind === 'pending') return this.send(res, req.method === 'POST' ? 409 : 200, PENDING);
    const action = req.url!.split('?')[0]!;
    await this.form(req, res, link.tokenHash, action, 'closure', (response) =>
      store.submitSurvey(
        {
          ...response,
          ...(ticket
            ? {
                ticketId: ticket.id,
                ticketNumber: ticket.ticketNumber,
                channel: ticket.channel,
                kind: ticket.classification.category,
                team: ticket.team,
              }
            : { ticketId: link.ticketId! }),
        },
        link.tokenHash,
      ),
    );
  }

  private async serviceForm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const action = `${this.deps.survey.path}/${SERVICE}`;
    await this.form(req, res, SERVICE, action, 'service', (response) => this.deps.store.submitSurvey(response));
  }

  /** GET shows the form; POST checks it and stores it (or shows it again with what to correct). */
  private async form(
    req: IncomingMessage,
    res: ServerResponse,
    scope: string,
    action: string,
    source: SurveySource,
    submit: (response: Parameters<Store['submitSurvey']>[0]) => Promise<'accepted' | 'already-answered'>,
  ): Promise<void> {
    const { nonce, setCookie } = this.guard.nonceOf(req);
    const cookie: Record<string, string> = setCookie ? { 'Set-Cookie': setCookie } : {};
    const csrf = this.guard.token(scope, nonce);
    const instrument = this.deps.survey.instrument;
    if (req.method !== 'POST') return this.send(res, 200, renderForm({ instrument, action, csrf, source }), cookie);
    const values = await this.readValues(req, res);
    if (!values) return;
    if (this.guard.problem(req, scope, values.csrf)) return this.send(res, 403, FORGED, cookie);
    const checked = checkForm(values, instrument, source);
    if (!checked.ok)
      return this.send(
        res,
        400,
        renderForm({ instrument, action, csrf, source, values, error: checked.error }),
        cookie,
      );
    const outcome = await submit({
      ...checked.response,
      id: newResponseId(),
      source,
      submittedAt: this.now().toISOString(),
      via: 'page',
    });
    if (outcome === 'already-answered') return this.send(res, 410, ANSWERED);
    this.deps.log.info({ source }, 'survey response stored');
    return this.send(res, 200, THANKS);
  }

  private async optOut(req: IncomingMessage, res: ServerResponse, link: SurveyLink): Promise<void> {
    const scope = `${OPT_OUT}:${link.tokenHash}`;
    const { nonce, setCookie } = this.guard.nonceOf(req);
    const cookie: Record<string, string> = setCookie ? { 'Set-Cookie': setCookie } : {};
    const action = req.url!.split('?')[0]!;
    if (req.method !== 'POST') return this.send(res, 200, renderOptOut(action, this.guard.token(scope, nonce)), cookie);
    const values = await this.readValues(req, res);
    if (!values) return;
    if (this.guard.problem(req, scope, values.csrf)) return this.send(res, 403, FORGED, cookie);
    const ticket = await this.deps.store.getTicket(link.ticketId!);
    const contact = ticket ? recipientOf(ticket) : undefined;
    if (ticket && contact) await optOut(this.deps.store, ticket.channel, contact, this.now());
    return this.send(res, 200, STOPPED);
  }

  /** The form fields, or undefined after answering 413/415/400 itself. */
  private async readValues(req: IncomingMessage, res: ServerResponse) {
    const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      this.send(res, 415, BAD_FORM);
      return undefined;
    }
    const body = await readBody(req, this.deps.survey.maxBodyBytes);
    if (!body) {
      this.send(res, 413, TOO_LARGE, { Connection: 'close' });
      return undefined;
    }
    const values = readForm(body.toString('utf8'));
    if (!values) this.send(res, 400, BAD_FORM);
    return values;
  }

  private send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...headers });
    res.end(html);
  }

  private now(): Date {
    return (this.deps.clock ?? systemClock).now();
  }
}

/** The client address: behind the reverse proxy (a loopback peer) the last X-Forwarded-For hop, else the peer. */
function clientOf(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  const forwarded = header(req, 'x-forwarded-for');
  const loopback = peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
  if (!loopback || !forwarded || forwarded.length > 1000) return peer;
  return forwarded.split(',').pop()!.trim() || peer;
}

const THANKS = renderMessage(
  'Terima kasih',
  ['Penilaian Anda sudah kami terima. Masukan Anda akan kami gunakan untuk memperbaiki pelayanan.'],
  'done',
);
const ANSWERED = renderMessage('Survei sudah diisi', [
  'Survei untuk tautan ini sudah diisi sebelumnya. Setiap pengaduan hanya dapat dinilai satu kali.',
  'Terima kasih atas partisipasi Anda.',
]);
const EXPIRED = renderMessage('Tautan sudah tidak berlaku', [
  'Mohon maaf, masa berlaku tautan survei ini sudah habis.',
  'Bila Anda ingin menyampaikan penilaian atau saran, silakan hubungi layanan pengaduan kami.',
]);
const NOT_FOUND = renderMessage('Halaman tidak ditemukan', [
  'Tautan survei ini tidak dikenal. Mohon periksa kembali tautan yang Anda terima: setiap huruf dan angka ' +
    'setelah garis miring terakhir harus sama persis dengan yang tercetak pada tanda terima atau pesan Anda.',
]);
const PENDING = renderMessage('Pengaduan Anda masih diproses', [
  'Terima kasih. Pengaduan Anda masih dalam penanganan petugas kami, jadi survei kepuasan belum dapat diisi.',
  'Silakan buka kembali tautan ini setelah pengaduan Anda selesai ditangani. Simpan tanda terima Anda.',
]);
const STOPPED = renderMessage(
  'Permintaan diterima',
  ['Anda tidak akan menerima undangan survei lagi dari layanan pengaduan kami. Terima kasih.'],
  'done',
);
const FORGED = renderMessage(
  'Formulir kedaluwarsa',
  ['Formulir ini tidak dapat diproses. Mohon buka kembali tautan survei lalu isi ulang.'],
  'error',
);
const TOO_MANY = renderMessage('Terlalu banyak permintaan', ['Mohon tunggu satu menit lalu coba lagi.'], 'error');
const TOO_LARGE = renderMessage('Isian terlalu panjang', ['Mohon persingkat kritik dan saran Anda.'], 'error');
const BAD_FORM = renderMessage('Isian tidak valid', ['Mohon isi formulir dari halaman survei.'], 'error');
const NOT_ALLOWED = renderMessage('Tidak diizinkan', ['Permintaan ini tidak didukung.'], 'error');
