import path from 'node:path';
import type { CategoryKey } from '../../src/domain/categories';
import { createLogger } from '../../src/lib/logger';
import { AttachmentFolders } from '../../src/outbound/attachment-folder';
import { SmtpTransport } from '../../src/outbound/smtp-transport';
import { EffectsStage } from '../../src/pipeline/effects-stage';
import { SqliteStore } from '../../src/store/sqlite-store';
import type { NewTicket } from '../../src/store/store';
import { createTestEnv, TEST_REPLY_SECRET, type TestEnv } from '../support/service-harness';
import { SmtpSink } from '../support/smtp-sink';

const LEASE_MS = 500;

describe('effect lease while a send is slower than the lease (real SMTP server)', () => {
  let env: TestEnv;
  let sink: SmtpSink;
  let store: SqliteStore;
  let smtp: SmtpTransport;

  beforeEach(async () => {
    env = createTestEnv();
    sink = await SmtpSink.start();
    store = new SqliteStore(path.join(env.dir, 'aduan.sqlite'));
    await store.init();
    // One pooled connection: a second message waits for the first, as 48 effect jobs did for 3 connections.
    smtp = new SmtpTransport(
      { host: '127.0.0.1', port: sink.port, secure: false, maxConnections: 1 },
      {
        address: 'pengaduan@aduan.test',
        name: 'Aduan',
      },
    );
  });
  afterEach(async () => {
    await smtp.close();
    await store.close();
    await sink.stop();
    await env.cleanup();
  });

  function stage(): EffectsStage {
    const { config } = env;
    return new EffectsStage({
      store,
      categories: config.categories,
      teams: config.teams,
      timeZone: config.service.timeZone,
      maskNikInTeamMail: true,
      fromAddress: 'pengaduan@aduan.test',
      replySecrets: { current: TEST_REPLY_SECRET, previous: [] },
      attachmentFolders: new AttachmentFolders([env.dir]),
      citizenTransports: { email: smtp },
      teamTransport: smtp,
      sla: { reminderAtShare: 0.75, supervisorEmails: [] },
      log: createLogger({ level: 'silent' }),
      effectLeaseMs: LEASE_MS,
    });
  }

  async function ticket(i: number) {
    const [category, settings] = Object.entries(env.config.categories)[0]!;
    const now = new Date().toISOString();
    const draft: NewTicket = {
      channel: 'email',
      sourceId: `<lease-${i}@mail.gmail.com>`,
      references: [],
      receivedAt: now,
      complainant: { name: 'Rosmawati Sinaga', email: `rosma${i}@example.com` },
      subject: 'Surat keterangan',
      text: 'Mohon bantuan surat keterangan.',
      attachments: [],
      autoReplyAllowed: true,
      meta: {},
      status: 'received',
      classification: { category: category as CategoryKey, confidence: 0.9, evidence: [] },
      targetMinutes: 30,
      dueAt: now,
      team: settings.team,
      history: [{ at: now, event: 'received' }],
    };
    return (await store.insertTicket(draft, 2026)).ticket;
  }

  test('an attempt that starts while a slow send holds the lease finds it busy; the mail goes out once', async () => {
    const [first, second] = [await ticket(1), await ticket(2)];
    const effects = stage();
    // The first message is answered only after 2.6 s; the second waits for the one pooled connection till then.
    sink.holdFor(2_600);
    const sending = Promise.all([
      effects.process({ ticketId: first.id, effects: ['route'] }),
      effects.process({ ticketId: second.id, effects: ['route'] }),
    ]);
    // Well past the lease, while both sends are still under way (a stalled job handed to another worker).
    await new Promise((r) => setTimeout(r, 3 * LEASE_MS));
    const anotherWorker = stage();
    await expect(anotherWorker.process({ ticketId: second.id, effects: ['route'] })).rejects.toThrow(
      /being performed by another attempt/,
    );
    await sending;
    expect(await effects.process({ ticketId: second.id, effects: ['route'] })).toBe('route: already done');
    expect(sink.received).toHaveLength(2);
    expect((await store.getEffect(`${second.id}:route`))?.attempts).toBe(1);
  }, 20_000);

  test('the pool opens as many connections as it is given: concurrent sends do not wait for each other', async () => {
    const wide = new SmtpTransport(
      { host: '127.0.0.1', port: sink.port, secure: false, maxConnections: 4 },
      {
        address: 'pengaduan@aduan.test',
        name: 'Aduan',
      },
    );
    sink.holdFor(1_500);
    const started = Date.now();
    const sends = [1, 2, 3, 4].map((i) =>
      wide.deliver({
        id: `ADU-2026-00000${i}.ack`,
        purpose: 'acknowledgement',
        channel: 'email',
        to: [`warga${i}@example.com`],
        subject: 'Pengaduan Anda kami terima',
        text: 'Terima kasih.',
      }),
    );
    // All four reach the server while the first is still unanswered.
    while (sink.received.length < 4 && Date.now() - started < 1_400) await new Promise((r) => setTimeout(r, 20));
    expect(sink.received).toHaveLength(4);
    await Promise.all(sends);
    await wide.close();
  });
});
