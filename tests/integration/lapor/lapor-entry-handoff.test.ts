import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { laporChannelSchema } from '../../../src/channels/lapor/config-schema';
import { portalChannelSchema, PortalWebhookIntake } from '../../../src/channels/portal';
import { signBody } from '../../../src/channels/portal/webhook-signature';
import { formatJakartaTime } from '../../../src/domain/messages';
import type { RunningService } from '../../../src/main';
import { writeConfigDir } from '../../support/config-dir';
import type { FlakyTransport } from '../../support/flaky-transport';
import {
  createTestEnv,
  outboxMessages,
  recordingOutbox,
  startTestService,
  waitFor,
  type TestEnv,
} from '../../support/service-harness';
import { runAduan } from '../cli/run-aduan';

jest.setTimeout(120_000);

const ADMIN = 'penghubung@aduan.test';
const SECRET = 'lapor-export-webhook-secret-0123';
const HIDDEN_NAME = 'Pelapor Rahasia Sekali';
const HIDDEN_MAIL = 'rahasia.sekali@example.com';

/**
 * The LAPOR! channel end to end on the real service (Redis, SQLite, outbox): the Admin Penghubung's CLI entry
 * (the real `aduan` binary) and a regional export pushed to an HTTP source make one ticket per Tracking ID; a
 * confidential report keeps its reporter out of every mail and log line; an answer becomes one ready-to-paste
 * hand-off to the Admin Penghubung, and `aduan lapor posted` records who posted it and when.
 */
describe('SP4N-LAPOR! entry paths, dedupe, confidentiality, hand-off and `lapor posted`', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  let webhook: PortalWebhookIntake | undefined;
  let sent: FlakyTransport;
  let configDir: string;

  beforeEach(async () => {
    env = createTestEnv((c) => ({
      ...c,
      channels: { ...c.channels, lapor: laporChannelSchema.parse({ enabled: true, adminPenghubung: [ADMIN] }) },
    }));
    configDir = writeConfigDir(path.join(env.dir, 'etc-aduan'), {
      service: { dataDir: env.config.service.dataDir },
      redis: { prefix: env.config.redis.prefix },
      outbound: { mode: 'outbox', outboxDir: env.config.outbound.outboxDir },
      channels: { lapor: { enabled: true, adminPenghubung: [ADMIN] } },
    });
    sent = recordingOutbox(env);
    service = await startTestService(env, { transports: { citizen: {}, team: sent } });
    webhook = new PortalWebhookIntake({
      portal: portalChannelSchema.parse({
        enabled: true,
        name: 'lapor-export',
        channel: 'lapor',
        webhook: { enabled: true, port: 0, secret: SECRET, path: '/webhooks/lapor' },
        mapping: {
          sourceId: 'tracking_id',
          receivedAt: 'tanggal_laporan',
          text: 'isi',
          subject: 'judul',
          name: 'pelapor.nama',
          email: 'pelapor.email',
          meta: {
            laporForwardedAt: 'tanggal_diteruskan',
            laporDisposedAt: 'tanggal_disposisi',
            laporRahasia: 'rahasia',
            laporAnonim: 'anonim',
          },
        },
      }),
      store: service.store,
      log: env.log.child({ channel: 'lapor-export' }),
      timeZone: 'Asia/Jakarta',
    });
    await webhook.start(service.sink);
  });
  afterEach(async () => {
    await webhook?.stop();
    await service?.stop();
    webhook = undefined;
    service = undefined;
    await env.cleanup();
  });

  const push = async (record: Record<string, unknown>) => {
    const body = JSON.stringify(record);
    const res = await fetch(webhook!.url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signBody(body, SECRET) },
      body,
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const aduan = (...args: string[]) => runAduan([...args, '--config', configDir]);
  const routed = async (trackingId: string) => {
    const ticket = await service!.store.findBySource('lapor', trackingId);
    const effects = ticket ? await service!.store.listEffects(ticket.id) : [];
    return effects.some((e) => e.kind === 'route' && e.state === 'done') ? ticket : undefined;
  };
  const mailTo = (address: string) => sent.delivered.filter((m) => m.to.includes(address));

  test('CLI and HTTP source: one ticket per Tracking ID; the confidential reporter appears nowhere', async () => {
    const entered = await aduan(
      'intake',
      '--channel',
      'lapor',
      '--tracking-id',
      '#1916449',
      '--forwarded-at',
      '02/12/2026 10.15',
      '--disposed-at',
      '03/12/2026 08.30',
      '--name',
      'Rugun Simbolon',
      '--subject',
      'KTP elektronik belum dicetak',
      '--text',
      'Saya sudah rekam KTP elektronik sejak Agustus tetapi KTP belum dicetak. Mohon kepastian kapan bisa diambil.',
    );
    expect(entered.stderr).toBe('');
    expect(entered.status).toBe(0);
    expect(entered.stdout).toMatch(/Laporan LAPOR! #1916449 dicatat sebagai tiket ADU-\d{4}-\d{6}\./);
    // 2 Dec 10:15 WIB + 5 working days (Thu 3, Fri 4, Mon 7, Tue 8, Wed 9): Wednesday at closing.
    expect(entered.stdout).toContain(
      `Batas LAPOR!     : ${formatJakartaTime('2026-12-09T09:00:00.000Z', 'Asia/Jakarta')} WIB (5 hari kerja sejak diteruskan)`,
    );

    // The same report in the regional export: the same ticket.
    const exported = {
      tracking_id: '1916449',
      tanggal_laporan: '01/12/2026 19:42',
      tanggal_diteruskan: '02/12/2026 10:15',
      judul: 'KTP elektronik belum dicetak',
      isi: 'Saya sudah rekam KTP elektronik sejak Agustus tetapi KTP belum dicetak.',
      pelapor: { nama: 'Rugun Simbolon' },
      rahasia: 'tidak',
    };
    expect(await push(exported)).toEqual({ received: 1, queued: 0, duplicate: 1, quarantined: 0 });
    const again = await aduan(
      'intake',
      '--channel',
      'lapor',
      '--tracking-id',
      '1916449',
      '--disposed-at',
      '03/12/2026',
      '--text',
      'lagi',
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('sudah tercatat sebagai tiket');

    // A confidential, anonymous report from the export: its reporter is not kept at all.
    const confidential = {
      tracking_id: '#2207001',
      tanggal_laporan: '03/12/2026 21:05',
      tanggal_disposisi: '04/12/2026 09:00',
      judul: 'Dugaan pungutan liar akta kelahiran',
      isi: 'Petugas loket meminta uang Rp 150.000 agar akta kelahiran anak saya cepat selesai. Tidak ada kuitansi.',
      pelapor: { nama: HIDDEN_NAME, email: HIDDEN_MAIL },
      rahasia: 'ya',
      anonim: true,
    };
    expect(await push(confidential)).toEqual({ received: 1, queued: 1, duplicate: 0, quarantined: 0 });

    const first = await waitFor(() => routed('1916449'), 20_000, 'the CLI report routed');
    const second = await waitFor(() => routed('2207001'), 20_000, 'the exported report routed');
    expect(await service!.store.countTickets()).toBe(2);
    expect(first.meta).toMatchObject({ laporEntry: 'cli', laporClockBasis: 'forwarded' });
    expect(second.meta).toMatchObject({
      laporEntry: 'http:lapor-export',
      laporClockBasis: 'disposed',
      laporIdentity: 'dirahasiakan',
    });
    expect(second.complainant).toEqual({});

    const teamMail = (ticketNumber: string) =>
      sent.delivered.find((m) => m.subject.startsWith(`[${ticketNumber}] Tiket baru`))!;
    expect(teamMail(first.ticketNumber).text).toContain(
      'Tracking ID   : #1916449 (https://www.lapor.go.id/laporan/detil/1916449)',
    );
    expect(teamMail(first.ticketNumber).text).toContain('Nama        : Rugun Simbolon');
    const hidden = teamMail(second.ticketNumber).text;
    expect(hidden).toContain('Identitas pelapor dirahasiakan');
    expect(hidden).toContain(
      `Batas tindak lanjut LAPOR!: ${formatJakartaTime('2026-12-11T09:30:00.000Z', 'Asia/Jakarta')} WIB (5 hari kerja sejak didisposisikan ke kantor`,
    );
    // Nobody is messaged on LAPOR!'s behalf: no initial response, anywhere.
    expect(sent.delivered.filter((m) => m.purpose === 'acknowledgement')).toEqual([]);

    // The reporter's identity: not in any mail written, not in the store's copy, not in a log line.
    const outbox = env.config.outbound.outboxDir;
    const written = outboxMessages(outbox).map((f) => readFileSync(path.join(outbox, f), 'utf8'));
    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const text of [...written, ...env.logLines, JSON.stringify(await service!.store.getTicket(second.id))]) {
      expect(text).not.toContain(HIDDEN_NAME);
      expect(text).not.toContain(HIDDEN_MAIL);
    }
  });

  test('an answer is handed to the Admin Penghubung once; `lapor posted` records operator and time', async () => {
    const entered = await aduan(
      'intake',
      '--channel',
      'lapor',
      '--tracking-id',
      '1916449',
      '--forwarded-at',
      '02/12/2026 10.15',
      '--text',
      'KTP elektronik saya belum dicetak sejak Agustus, mohon kepastian.',
      '--slug',
      'ktp-elektronik-belum-dicetak-1916449',
    );
    expect(entered.status).toBe(0);
    const ticket = await waitFor(() => routed('1916449'), 20_000, 'routed');

    const early = await aduan('lapor', 'posted', '1916449');
    expect(early.status).toBe(1);
    expect(early.stderr).toContain('belum punya jawaban yang siap diunggah');

    const answer = 'KTP elektronik Bapak/Ibu sudah dicetak dan dapat diambil di kantor Disdukcapil Sidikalang.';
    const answered = await aduan('ticket', 'answer', ticket.ticketNumber, '--text', answer);
    expect(answered.status).toBe(0);
    await waitFor(async () => mailTo(ADMIN).length === 1, 20_000, 'the hand-off');
    const handoff = mailTo(ADMIN)[0]!;
    expect(handoff.to).toEqual([ADMIN]);
    expect(handoff.subject).toBe(`[${ticket.ticketNumber}] Tindak lanjut siap diunggah ke LAPOR! #1916449`);
    expect(handoff.text).toContain(answer);
    expect(handoff.text).toContain('https://www.lapor.go.id/laporan/detil/ktp-elektronik-belum-dicetak-1916449');
    expect(handoff.text).toContain('aduan lapor posted 1916449');
    await waitFor(
      async () => (await service!.store.getTicket(ticket.id))!.status === 'lapor-ready',
      10_000,
      'jawaban siap dikirim ke LAPOR!',
    );
    // No call-back task for the team, no message for a reporter aduan cannot reach.
    expect(sent.delivered.filter((m) => m.subject.includes('Tugas: sampaikan'))).toEqual([]);

    // The relay delivered again (a replayed job): no second hand-off.
    const relay = (await service!.store.getTicket(ticket.id))!.history.find((h) => h.event === 'staff-reply')!;
    const replay = await service!.queues.effects.add(
      'relay',
      { ticketId: ticket.id, effects: ['relay'], ref: relay.ref! },
      { jobId: 'relay-again' },
    );
    await waitFor(async () => (await service!.queues.effects.getJobState(replay.id!)) !== 'waiting', 10_000, 'replay');
    await new Promise((r) => setTimeout(r, 500));
    expect(mailTo(ADMIN)).toHaveLength(1);

    const posted = await aduan('lapor', 'posted', '#1916449', '--operator', 'rina.penghubung');
    expect(posted.status).toBe(0);
    expect(posted.stdout).toContain(
      `tindak lanjut #1916449 (tiket ${ticket.ticketNumber}) dicatat terunggah ke LAPOR!`,
    );
    expect(posted.stdout).toContain('oleh rina.penghubung; tiket selesai');
    const done = (await service!.store.getTicket(ticket.id))!;
    expect(done.status).toBe('resolved');
    const record = done.history.filter((h) => h.event === 'lapor-posted');
    expect(record).toEqual([expect.objectContaining({ by: 'operator:rina.penghubung' })]);
    expect(Date.now() - Date.parse(record[0]!.at)).toBeLessThan(60_000);

    const repeated = await aduan('lapor', 'posted', '1916449');
    expect(repeated.status).toBe(0);
    expect(repeated.stdout).toContain('sudah dicatat terunggah');
    expect((await service!.store.getTicket(ticket.id))!.history.filter((h) => h.event === 'lapor-posted')).toHaveLength(
      1,
    );
    expect((await aduan('lapor', 'posted', '9999999')).status).toBe(1);
    expect(readdirSync(env.config.outbound.outboxDir).some((f) => f.includes('.ack'))).toBe(false);
  });
});
