import { laporChannelSchema } from '../../../src/channels/lapor/config-schema';
import { FixedClock } from '../../../src/domain/clock';
import type { Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { effectKey } from '../../../src/store/store';
import { FakePortalServer } from '../../support/fake-portal-server';
import { DOVECOT, skipFileUnless } from '../../support/required-program';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { authResults, TRUSTED_AUTHSERV_ID } from '../../support/staff-mail';
import { citizenMail, imapSession, mailTestEnv, useMailServers } from '../email/mail-env';
import { portalConfig } from '../portal/portal-test-env';

skipFileUnless(DOVECOT);
jest.setTimeout(60_000);

const ADMIN = 'penghubung@aduan.test';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `DD/MM/YYYY HH:MM` in WIB, as a LAPOR! notification writes its dates. */
function wib(at: Date): string {
  const local = new Date(at.getTime() + 7 * HOUR);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
}

/** A disposition notification; a date left out is a line left out. */
function notificationText(id: string, dates: { submitted?: Date; forwarded?: Date; disposed?: Date }): string {
  return [
    'Laporan berikut telah didisposisikan kepada instansi Anda melalui SP4N-LAPOR!.',
    '',
    `Tracking ID: #${id}`,
    'Judul Laporan: Akta kelahiran belum terbit',
    ...(dates.submitted ? [`Tanggal Laporan: ${wib(dates.submitted)}`] : []),
    ...(dates.forwarded ? [`Tanggal Diteruskan: ${wib(dates.forwarded)}`] : []),
    ...(dates.disposed ? [`Tanggal Disposisi: ${wib(dates.disposed)}`] : []),
    'Nama Pelapor: Rugun Simbolon',
    'Isi Laporan:',
    `Akta kelahiran anak saya (laporan ${id}) belum terbit padahal berkas sudah lengkap sejak bulan lalu.`,
    '',
    `Tautan: https://www.lapor.go.id/laporan/detil/${id}`,
  ].join('\n');
}

const routed = async (service: RunningService, ticket: Ticket) =>
  (await service.store.getEffect(effectKey(ticket.id, 'route')))?.state === 'done';

/**
 * A LAPOR! source read for the first time (a mailbox without a cursor, an HTTP source without a position): a
 * report's age counts from when it reached the office, not from its LAPOR! submission. A report submitted a
 * week ago and disposed to the office today is today's work (routed, on LAPOR!'s clock); only a report that
 * reached the office long ago is history. All dates are relative to the service's clock, fixed at the test's
 * start, so the outcome does not depend on the calendar.
 */
describe('LAPOR! on a first read: age from the arrival at the office', () => {
  describe('notification mailbox (real Dovecot, SMTP sink)', () => {
    const servers = useMailServers();

    it('routes a week-old report disposed today, and one whose notification came today; imports the old one', async () => {
      const now = new Date();
      const user = servers.dovecot.addUser('lapor');
      const mail = (id: string, text: string) =>
        citizenMail({
          from: 'SP4N-LAPOR! <notifikasi@lapor.go.id>',
          to: 'lapor@disdukcapil.dairikab.go.id',
          messageId: `<${id}@notifikasi.lapor.go.id>`,
          subject: `LAPOR! Disposisi laporan #${id}`,
          text,
          onTop: [`Authentication-Results: ${authResults('lapor.go.id', 'pass')}`],
        });
      await imapSession(servers.dovecot, user, async (client) => {
        // Submitted 8 days ago, forwarded 6 days ago, disposed to the office an hour ago.
        const disposedToday = notificationText('3100001', {
          submitted: new Date(now.getTime() - 8 * DAY),
          forwarded: new Date(now.getTime() - 6 * DAY),
          disposed: new Date(now.getTime() - HOUR),
        });
        await client.append('INBOX', mail('3100001', disposedToday), [], new Date(now.getTime() - HOUR));
        // Only the submission date (9 days ago): the notification that reached the mailbox an hour ago is the arrival.
        const notifiedToday = notificationText('3100002', { submitted: new Date(now.getTime() - 9 * DAY) });
        await client.append('INBOX', mail('3100002', notifiedToday), [], new Date(now.getTime() - HOUR));
        // Everything, the notification included, 10 days ago: history.
        const old = new Date(now.getTime() - 10 * DAY);
        const oldReport = notificationText('3100003', { submitted: old, forwarded: old, disposed: old });
        await client.append('INBOX', mail('3100003', oldReport), [], old);
      });
      // Team mail goes out by SMTP to the sink; the office's LAPOR! mailbox is the only one read.
      servers.env = mailTestEnv(servers.dovecot, user, servers.sink, { enabled: false }, (c) => ({
        ...c,
        channels: {
          ...c.channels,
          lapor: laporChannelSchema.parse({
            enabled: true,
            adminPenghubung: [ADMIN],
            notifications: {
              account: {
                name: 'lapor',
                host: servers.dovecot.host,
                port: servers.dovecot.port,
                security: 'plain',
                user: user.user,
                password: user.password,
                senderAuth: { authservIds: [TRUSTED_AUTHSERV_ID] },
              },
            },
          }),
        },
      }));
      const service = await startTestService(servers.env, { channels: undefined, clock: new FixedClock(now) });
      servers.service = service;
      await waitFor(async () => (await service.store.countTickets()) === 3, 30_000, 'three tickets');

      const disposed = (await service.store.findBySource('lapor', '3100001'))!;
      const notified = (await service.store.findBySource('lapor', '3100002'))!;
      const old = (await service.store.findBySource('lapor', '3100003'))!;
      expect(disposed.historicalImport).toBeUndefined();
      expect(notified.historicalImport).toBeUndefined();
      expect(old.historicalImport).toBeDefined();
      expect(old.status).toBe('resolved');
      expect(await service.store.listEffects(old.id)).toEqual([]);
      await waitFor(() => routed(service, disposed), 15_000, '3100001 routed');
      await waitFor(() => routed(service, notified), 15_000, '3100002 routed');

      // The ticket keeps LAPOR!'s dates: its own time is the submission, the LAPOR! clock runs from the forwarding.
      expect(Date.parse(disposed.receivedAt)).toBeLessThan(now.getTime() - 7 * DAY);
      expect(disposed.meta).toMatchObject({ laporClockBasis: 'forwarded', laporEntry: 'mail' });
      expect(Date.parse(disposed.meta.laporForwardedAt!)).toBeLessThan(now.getTime() - 5 * DAY);
      expect(Date.parse(disposed.arrivedAt!)).toBeGreaterThan(now.getTime() - 2 * HOUR);
      expect(Date.parse(notified.arrivedAt!)).toBe(Math.floor((now.getTime() - HOUR) / 1000) * 1000);

      // Both reports reached their team by real SMTP; the old one sent nothing.
      const teamMails = await servers.sink.waitFor(
        () => servers.sink.received.filter((m) => m.header('x-aduan-purpose') === 'team-ticket').length >= 2,
        15_000,
        'two team mails',
      );
      expect(teamMails).toBeTruthy();
      const subjects = servers.sink.received
        .filter((m) => m.header('x-aduan-purpose') === 'team-ticket')
        .map((m) => m.mail.subject ?? '');
      expect(subjects.filter((s) => s.includes(disposed.ticketNumber))).toHaveLength(1);
      expect(subjects.filter((s) => s.includes(notified.ticketNumber))).toHaveLength(1);
      expect(servers.sink.received.some((m) => (m.mail.subject ?? '').includes(old.ticketNumber))).toBe(false);
    });
  });

  describe('HTTP source (fake regional export, polled)', () => {
    let env: TestEnv | undefined;
    let fake: FakePortalServer | undefined;
    let service: RunningService | undefined;

    afterEach(async () => {
      await service?.stop();
      await fake?.close();
      await env?.cleanup();
    });

    it('routes a week-old report disposed today and one without a disposition date; imports the old one', async () => {
      const now = new Date();
      const iso = (ago: number) => new Date(now.getTime() - ago).toISOString();
      fake = await FakePortalServer.start({ paging: 'page' });
      const record = (id: string, submitted: number, dates: Record<string, string>) => ({
        id,
        dibuat_pada: iso(submitted),
        diperbarui_pada: iso(HOUR),
        judul: 'Akta kelahiran belum terbit',
        isi: `Akta kelahiran anak saya (laporan ${id}) belum terbit padahal berkas sudah lengkap sejak bulan lalu.`,
        pelapor: { nama: 'Marihot Padang' },
        ...dates,
      });
      fake.records.push(
        record('3200001', 8 * DAY, { tanggal_diteruskan: iso(6 * DAY), tanggal_disposisi: iso(HOUR) }),
        record('3200002', 10 * DAY, { tanggal_diteruskan: iso(10 * DAY), tanggal_disposisi: iso(10 * DAY) }),
        // No step after the submission is known: it reached the office when the export was first read.
        record('3200003', 10 * DAY, {}),
      );
      const source = portalConfig(fake, {
        name: 'lapor-export',
        channel: 'lapor',
        mapping: {
          sourceId: 'id',
          receivedAt: 'dibuat_pada',
          text: 'isi',
          subject: 'judul',
          name: 'pelapor.nama',
          meta: { laporForwardedAt: 'tanggal_diteruskan', laporDisposedAt: 'tanggal_disposisi' },
        },
      });
      env = createTestEnv((c) => ({
        ...c,
        channels: {
          ...c.channels,
          http: [source],
          lapor: laporChannelSchema.parse({ enabled: true, adminPenghubung: [ADMIN] }),
        },
      }));
      const s = await startTestService(env, { channels: undefined, clock: new FixedClock(now) });
      service = s;
      await waitFor(async () => (await s.store.countTickets()) === 3, 15_000, 'three tickets');

      const disposed = (await s.store.findBySource('lapor', '3200001'))!;
      const old = (await s.store.findBySource('lapor', '3200002'))!;
      const undated = (await s.store.findBySource('lapor', '3200003'))!;
      expect(disposed.historicalImport).toBeUndefined();
      expect(undated.historicalImport).toBeUndefined();
      expect(old.historicalImport).toBeDefined();
      expect(await s.store.listEffects(old.id)).toEqual([]);
      await waitFor(() => routed(s, disposed), 15_000, '3200001 routed');
      await waitFor(() => routed(s, undated), 15_000, '3200003 routed');
      expect(disposed.receivedAt).toBe(iso(8 * DAY));
      expect(disposed.meta).toMatchObject({ laporForwardedAt: iso(6 * DAY), laporClockBasis: 'forwarded' });
      expect(disposed.arrivedAt).toBe(iso(HOUR));
      // The office's own target counts from the arrival too: not overdue the moment it is read.
      expect(Date.parse(disposed.dueAt)).toBeGreaterThan(Date.parse(disposed.arrivedAt!));
      expect(undated.arrivedAt).toBe(now.toISOString());
    });
  });
});
