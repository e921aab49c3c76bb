import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../../support/service-harness';
import type { RunningService } from '../../../src/main';
import { append, citizenMail, mailTestEnv, OUR_DOMAIN, startWithEmail, ticketsOf, useMailServers } from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/**
 * Automated mail through the real IMAP adapter (Dovecot), the real service and a real SMTP sink: no
 * ticket, no mail to anyone, one noise record each, counted in /metrics, noted on a ticket it concerns.
 */

jest.setTimeout(90_000);

const servers = useMailServers();

const CURSOR = 'email:uji:INBOX';
const lastUid = async (s: RunningService) =>
  (JSON.parse((await s.store.getCursor(CURSOR)) ?? '{}') as { lastUid?: number }).lastUid;

function fixture(name: string): Buffer {
  return readFileSync(path.resolve(__dirname, '../../fixtures/email', name));
}

async function noiseMetric(s: RunningService, kind: string): Promise<number> {
  const text = await s.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`aduan_noise_total{channel="email",kind="${kind}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

const outOfOffice = citizenMail({
  messageId: '<ooo-new@mail.gmail.com>',
  from: 'Lamhot Simanjuntak <lamhot.s@gmail.com>',
  subject: 'Balasan Otomatis: Undangan rapat koordinasi',
  headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes', Precedence: 'bulk' },
  text: 'Saya sedang cuti sampai 14 Desember.',
});
const newsletter = citizenMail({
  messageId: '<buletin-12@news.marketplace.example>',
  from: 'Promo Toko <promo@news.marketplace.example>',
  subject: 'Diskon akhir tahun hingga 70%',
  headers: { 'List-Unsubscribe': '<https://news.marketplace.example/u/abc>, <mailto:u@news.marketplace.example>' },
  text: 'Belanja sekarang, diskon hingga 70% untuk semua produk.',
});
const phishing = citizenMail({
  messageId: '<phish-7731@mailer.evil.example>',
  from: `Admin Email <pengaduan@${OUR_DOMAIN}>`,
  subject: 'Kotak surat Anda hampir penuh - verifikasi dalam 24 jam',
  text: 'Klik tautan berikut dan masukkan kata sandi Anda untuk memverifikasi kotak surat: http://evil.example/login',
});

describe('automated mail through IMAP', () => {
  it('an out-of-office, a newsletter, a DSN and a phishing mail with our own address: no ticket, no mail, one record each, counted', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    await append(
      servers.dovecot,
      user,
      outOfOffice,
      newsletter,
      fixture('dsn-unrelated-backscatter.eml'),
      phishing,
      citizenMail({ messageId: '<warga-asli@mail.gmail.com>', from: 'Warga Asli <warga.asli@gmail.com>' }),
    );
    await waitFor(async () => (await lastUid(servers.service!)) === 5, 20_000, 'every message read');
    await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'team-ticket',
      15_000,
      'the citizen ticket at the team',
    );

    const tickets = await ticketsOf(servers.service);
    expect(tickets.map((t) => t.sourceId)).toEqual(['<warga-asli@mail.gmail.com>']);
    const noise = await servers.service.store.listNoise();
    expect(noise.map((n) => [n.sourceId, n.kind, n.sender, n.mailbox]).sort()).toEqual(
      [
        ['<ooo-new@mail.gmail.com>', 'auto-reply', 'lamhot.s@gmail.com', 'uji/INBOX'],
        ['<buletin-12@news.marketplace.example>', 'bulk', 'promo@news.marketplace.example', 'uji/INBOX'],
        [
          '<20261130040000.AAAA@mx.spam-relay.example>',
          'delivery-report',
          'mailer-daemon@mx.spam-relay.example',
          'uji/INBOX',
        ],
        ['<phish-7731@mailer.evil.example>', 'forged-own-address', `pengaduan@${OUR_DOMAIN}`, 'uji/INBOX'],
      ].sort(),
    );
    const phish = noise.find((n) => n.kind === 'forged-own-address')!;
    expect(phish).toMatchObject({
      subject: 'Kotak surat Anda hampir penuh - verifikasi dalam 24 jam',
      size: Buffer.byteLength(phishing),
    });
    expect(phish.ticketNumber).toBeUndefined();
    expect(await servers.service.store.listQuarantine()).toEqual([]);
    for (const kind of ['auto-reply', 'bulk', 'delivery-report', 'forged-own-address'])
      expect(await noiseMetric(servers.service, kind)).toBe(1);

    // Nobody but the real citizen and the team heard of anything.
    await new Promise((r) => setTimeout(r, 500));
    expect(servers.sink.received.flatMap((m) => m.envelope.to).sort()).toEqual(
      ['warga.asli@gmail.com', ...servers.sink.withPurpose('team-ticket').flatMap((m) => m.envelope.to)].sort(),
    );
  });

  it('the same automated mail read again is recorded once and never becomes a ticket', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    await append(servers.dovecot, user, outOfOffice, newsletter);
    await waitFor(async () => (await lastUid(servers.service!)) === 2, 20_000, 'both read');
    const cursor = JSON.parse((await servers.service.store.getCursor(CURSOR))!) as { uidValidity: string };
    await servers.service.stop();
    servers.service = undefined;

    // The servers.service restarts with the cursor back at the start (as after a restore): the mailbox is read again.
    const again = await startWithEmail(servers.env);
    servers.service = again;
    await again.store.setCursor(CURSOR, JSON.stringify({ uidValidity: cursor.uidValidity, lastUid: 0 }));
    await append(
      servers.dovecot,
      user,
      citizenMail({ messageId: '<penanda@mail.gmail.com>', from: 'Penanda <penanda@gmail.com>' }),
    );
    await waitFor(async () => (await ticketsOf(again)).length === 1, 20_000, 'the marker ticket');
    await waitFor(async () => (await lastUid(again)) === 3, 20_000, 'all three read');
    // Both were met again (the cursor was reset before the marker arrived) and left as they were.
    await waitFor(
      async () => servers.env!.logLines.filter((l) => l.includes('automated mail seen again')).length === 2,
      10_000,
      'both automated mails read a second time',
    );
    expect((await again.store.listNoise()).map((n) => n.kind).sort()).toEqual(['auto-reply', 'bulk']);
    expect(await noiseMetric(again, 'auto-reply')).toBe(1);
  });

  it('an out-of-office answering our acknowledgement becomes an internal note on the ticket: no team mail, no reply, nothing changes', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    await append(servers.dovecot, user, citizenMail({ messageId: '<asli-ooo@mail.gmail.com>' }));
    const ack = await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'acknowledgement', 15_000, 'the ack');
    await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket', 15_000, 'the team mail');
    const [before] = await ticketsOf(servers.service);

    await append(
      servers.dovecot,
      user,
      citizenMail({
        messageId: '<ooo-ack@mail.gmail.com>',
        to: `pengaduan+${before!.ticketNumber}@${OUR_DOMAIN}`,
        subject: `Balasan Otomatis: ${ack.mail.subject}`,
        inReplyTo: ack.mail.messageId!,
        references: ['<asli-ooo@mail.gmail.com>', ack.mail.messageId!],
        headers: { 'Auto-Submitted': 'auto-replied' },
        text: 'Saya sedang cuti sampai 7 Desember. Untuk hal mendesak hubungi 081234567890.',
      }),
    );
    const ticket = await waitFor(
      async () => {
        const t = (await servers.service!.store.getTicket(before!.id))!;
        return t.history.some((h) => h.ref === '<ooo-ack@mail.gmail.com>') ? t : undefined;
      },
      15_000,
      'the note on the ticket',
    );
    const note = ticket.history.find((h) => h.ref === '<ooo-ack@mail.gmail.com>')!;
    expect(note).toMatchObject({ event: 'note', automated: 'auto-reply', by: 'rosmawati.sinaga@gmail.com' });
    expect(note.note).toMatch(/^\[EMAIL OTOMATIS — balasan otomatis; tidak diteruskan ke tim dan tidak dibalas\]/);
    expect(note.note).toContain('Saya sedang cuti sampai 7 Desember.');
    expect(ticket.history.filter((h) => h.event === 'follow-up')).toEqual([]);
    expect(ticket.dueAt).toBe(before!.dueAt);
    expect(await ticketsOf(servers.service)).toHaveLength(1);
    expect(await servers.service.store.listNoise()).toEqual([
      expect.objectContaining({
        sourceId: '<ooo-ack@mail.gmail.com>',
        kind: 'auto-reply',
        ticketNumber: ticket.ticketNumber,
      }),
    ]);
    expect(await noiseMetric(servers.service, 'auto-reply')).toBe(1);

    await waitFor(async () => (await lastUid(servers.service!)) === 2, 10_000, 'the cursor past the out-of-office');
    await new Promise((r) => setTimeout(r, 700));
    expect(servers.sink.withPurpose('team-follow-up')).toHaveLength(0);
    expect(servers.sink.received).toHaveLength(2);
    expect((await servers.service.store.getTicket(before!.id))!.status).toBe(ticket.status);
  });
});
