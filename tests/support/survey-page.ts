import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { surveySchema, type SurveyConfig } from '../../src/config/survey-schema';
import type { Clock } from '../../src/domain/clock';
import { createLogger } from '../../src/lib/logger';
import { SqliteStore } from '../../src/store/sqlite-store';
import type { NewTicket } from '../../src/store/store';
import { createTicketLink } from '../../src/survey/links';
import { SurveyPageServer } from '../../src/survey/page-server';

/** A survey page on a real SQLite store, on a free loopback port, with a resolved ticket to link to. */
export interface SurveyPageFixture {
  store: SqliteStore;
  server: SurveyPageServer;
  survey: SurveyConfig;
  /** The page's base (http://127.0.0.1:<port>/survei). */
  base: string;
  clock: { now: () => Date; set(iso: string): void };
  /** A new resolved ticket and a link to its survey. */
  ticketLink(overrides?: Partial<NewTicket>): Promise<{ url: string; ticketId: string; ticketNumber: string }>;
  close(): Promise<void>;
}

export function resolvedTicket(overrides: Partial<NewTicket> = {}): NewTicket {
  return {
    channel: 'email',
    sourceId: `<${Math.random().toString(36).slice(2)}@mail.example.com>`,
    references: [],
    receivedAt: '2026-11-30T02:00:00.000Z',
    complainant: { name: 'Rosmawati Sinaga', email: 'rosma@example.com', nik: '1211025506900003' },
    text: 'Mohon surat keterangan domisili untuk NIK 1211025506900003',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'resolved',
    classification: { category: 'domicile-certificate', confidence: 0.9, evidence: ['domisili'] },
    targetMinutes: 30,
    dueAt: '2026-11-30T02:30:00.000Z',
    team: 'pendaftaran',
    history: [
      { at: '2026-11-30T02:00:00.000Z', event: 'received' },
      { at: '2026-11-30T03:00:00.000Z', event: 'resolved', ref: '<answer@x>', note: 'solusi dikirim' },
    ],
    ...overrides,
  };
}

export async function startSurveyPage(tweak: Partial<SurveyConfig> = {}): Promise<SurveyPageFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-survey-'));
  const store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
  await store.init();
  let now = new Date('2026-12-01T03:00:00.000Z');
  const clock: Clock & { set(iso: string): void } = { now: () => now, set: (iso) => (now = new Date(iso)) };
  const base = surveySchema.parse({ enabled: true, port: 0, ...tweak });
  const log = createLogger({ level: 'silent' });
  let server = new SurveyPageServer({ store, survey: base, secret: 'x'.repeat(32), log, clock });
  const url = await server.start();
  // The public base URL is where citizens reach it: here, the listener itself.
  const survey = { ...base, publicBaseUrl: new URL(url).origin, port: Number(new URL(url).port) };
  await server.stop();
  server = new SurveyPageServer({ store, survey, secret: 'x'.repeat(32), log, clock });
  await server.start();
  return {
    store,
    server,
    survey,
    base: server.url(),
    clock,
    async ticketLink(overrides = {}) {
      const { ticket } = await store.insertTicket(resolvedTicket(overrides), 2026);
      const { url: link } = await createTicketLink(store, survey, ticket, clock.now());
      return { url: link, ticketId: ticket.id, ticketNumber: ticket.ticketNumber };
    },
    async close() {
      await server.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
