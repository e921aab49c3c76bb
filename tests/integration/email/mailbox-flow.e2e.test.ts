import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEmail } from '../../../src/channels/email/parse';
import type { RunningService } from '../../../src/main';
import { waitFor } from '../../support/service-harness';
import { append, citizenMail, imapSession, mailTestEnv, startWithEmail, ticketsOf, useMailServers } from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/** Bad and big input never stops the mailbox; housekeeping (\Seen, move) happens only to durable mail. */

jest.setTimeout(90_000);

const FIXTURES = path.resolve(__dirname, '../../fixtures/email');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const MB = 1024 * 1024;

const servers = useMailServers();

const cursorOf = async (s: RunningService) =>
  JSON.parse((await s.store.getCursor('email:uji:INBOX')) ?? '{}') as { lastUid?: number };

it('processes or quarantines bad input with a reason and keeps flowing; flags and moves only durable mail', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink, { markSeen: true, moveTo: 'Diproses' });
  servers.service = await startWithEmail(servers.env);
  const names = [
    'malformed-mime.eml',
    'missing-from.eml',
    'header-8bit-garbage.eml',
    'no-content.eml',
    'empty-body.eml',
    'forwarded-rfc822.eml',
    'own-team-mail.eml',
    'dsn-unrelated-backscatter.eml',
    'iso-8859-1-8bit.eml',
    'html-only-gmail-reply.eml',
    'with-attachments.eml',
  ];
  await append(
    servers.dovecot,
    user,
    ...names.map(fixture),
    citizenMail({ messageId: '<terakhir@mail.gmail.com>', from: 'Warga Terakhir <terakhir@gmail.com>' }),
  );

  await waitFor(
    async () => (await cursorOf(servers.service!)).lastUid === names.length + 1,
    20_000,
    'every message read',
  );
  await servers.sink.waitFor(
    (m) => m.envelope.to.includes('terakhir@gmail.com'),
    15_000,
    'the last citizen to be answered',
  );

  const tickets = await ticketsOf(servers.service);
  expect(tickets.map((t) => t.sourceId).sort()).toEqual(
    [
      '<malformed-0001@example.net>',
      '<no-from-0001@kios-informasi.example>',
      '<garbage-headers-0001@example.org>',
      '<CAEmpty0001@mail.gmail.com>',
      '<CAF7nS2xQ9pL1@mail.gmail.com>',
      '<20261202040244.7731@kantor-desa.example.net>',
      '<CAK9mF0pQ2sVt6uHq1wE@mail.gmail.com>',
      '<CAattach0001@mail.gmail.com>',
      '<terakhir@mail.gmail.com>',
    ].sort(),
  );
  const quarantined = await servers.service.store.listQuarantine();
  expect(quarantined.map((q) => [q.sourceId, q.reason]).sort()).toEqual([
    ['<CAEmpty0002@mail.gmail.com>', 'text: complaint has no text, no subject and no attachment'],
  ]);
  expect((await servers.service.store.listNoise()).map((n) => [n.sourceId, n.kind, n.reason])).toEqual([
    [
      '<20261130040000.AAAA@mx.spam-relay.example>',
      'delivery-report',
      'laporan pengiriman tentang email yang tidak pernah dikirim kantor (backscatter)',
    ],
  ]);
  const noFrom = tickets.find((t) => t.sourceId === '<no-from-0001@kios-informasi.example>')!;
  await waitFor(
    async () =>
      (await servers.service!.store.listEffects(noFrom.id)).some((e) => e.kind === 'respond' && e.state === 'done'),
    10_000,
    'the skipped reply',
  );
  expect((await servers.service.store.listEffects(noFrom.id)).find((e) => e.kind === 'respond')?.detail).toBe(
    'skipped: alamat balasan pelapor tidak diketahui',
  );
  const forwarded = tickets.find((t) => t.sourceId === '<CAF7nS2xQ9pL1@mail.gmail.com>')!;
  const team = await servers.sink.waitFor(
    (m) => m.header('x-aduan-purpose') === 'team-ticket' && m.mail.subject!.startsWith(`[${forwarded.ticketNumber}]`),
    15_000,
    'the forwarded mail to the team',
  );
  // The forwarded mail is unpacked into the ticket text (marked), not passed on as an opaque .eml.
  expect(team.raw.toString()).not.toContain('message/rfc822');
  expect(team.mail.text).toContain('---- Pesan yang diteruskan ----');
  expect(team.mail.text).toContain('pembukaan rekening Anda tidak dapat diproses');

  const withFiles = tickets.find((t) => t.sourceId === '<CAattach0001@mail.gmail.com>')!;
  const filesMail = await servers.sink.waitFor(
    (m) => m.header('x-aduan-purpose') === 'team-ticket' && m.mail.subject!.startsWith(`[${withFiles.ticketNumber}]`),
    15_000,
    'the team mail with attachments',
  );
  const sent = await parseEmail(fixture('with-attachments.eml'));
  expect(filesMail.mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString('base64')])).toEqual(
    sent.attachments.map((a, i) => [
      a.filename ?? `lampiran-${i + 1}.png`,
      a.contentType,
      a.content.toString('base64'),
    ]),
  );

  // Queued and duplicate mail was flagged and moved; quarantined, skipped and noise mail stays for a person to see.
  const [inbox, processed] = await imapSession(servers.dovecot, user, async (client) => {
    const list = async (box: string) => {
      await client.mailboxOpen(box);
      const out: Array<{ subject: string; seen: boolean }> = [];
      for await (const m of client.fetch('1:*', { envelope: true, flags: true }))
        out.push({ subject: m.envelope?.subject ?? '', seen: m.flags?.has('\\Seen') ?? false });
      return out;
    };
    return [await list('INBOX'), await list('Diproses')];
  });
  expect(inbox.map((m) => m.subject).sort()).toEqual(
    [
      '',
      '[ADU-2026-000004] Tiket baru: Lainnya — batas Senin, 30 November 2026 pukul 10.00 WIB',
      'Undelivered Mail Returned to Sender',
    ].sort(),
  );
  expect(inbox.every((m) => !m.seen)).toBe(true);
  expect(processed).toHaveLength(9);
  expect(processed.every((m) => m.seen)).toBe(true);
});

it('lets a complaint with a 30 MB attachment through without storing the attachment, and the next mail follows', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
  servers.service = await startWithEmail(servers.env);
  await append(
    servers.dovecot,
    user,
    withAttachment('<besar@mail.gmail.com>', 'rekaman-layar.mp4', 'video/mp4', randomBytes(30 * MB)),
    citizenMail({ messageId: '<sesudah@mail.gmail.com>', from: 'Sesudah <sesudah@gmail.com>' }),
  );

  await servers.sink.waitFor(
    (m) => m.envelope.to.includes('sesudah@gmail.com'),
    60_000,
    'the mail after the big one to be answered',
  );
  const big = (await ticketsOf(servers.service)).find((t) => t.sourceId === '<besar@mail.gmail.com>')!;
  expect(big.attachments).toEqual([
    {
      filename: 'rekaman-layar.mp4',
      contentType: 'video/mp4',
      size: 30 * MB,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      skippedReason: 'tidak disimpan: ukuran 30,0 MB melebihi batas 10,0 MB',
    },
  ]);
  const team = await servers.sink.waitFor(
    (m) => m.header('x-aduan-purpose') === 'team-ticket' && m.mail.subject!.startsWith(`[${big.ticketNumber}]`),
    15_000,
    'the team mail',
  );
  expect(team.mail.text).toContain(
    'rekaman-layar.mp4 (video/mp4, 31457280 byte) — tidak disimpan: ukuran 30,0 MB melebihi batas 10,0 MB',
  );
  expect(team.mail.attachments).toHaveLength(0);
});

it('quarantines a message over maxMessageBytes without downloading it, and moves on', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink, { maxMessageBytes: 1 * MB });
  servers.service = await startWithEmail(servers.env);
  await append(
    servers.dovecot,
    user,
    withAttachment('<kebesaran@mail.gmail.com>', 'scan.pdf', 'application/pdf', randomBytes(2 * MB)),
    citizenMail({ messageId: '<normal@mail.gmail.com>', from: 'Normal <normal@gmail.com>' }),
  );

  await servers.sink.waitFor((m) => m.envelope.to.includes('normal@gmail.com'), 15_000, 'the next mail to be answered');
  const [quarantined] = await servers.service.store.listQuarantine();
  expect(quarantined!.reason).toMatch(/^message of \d+ bytes exceeds maxMessageBytes \(1048576\); not downloaded$/);
  expect(JSON.parse(quarantined!.payload)).toEqual({
    origin: 'uji/INBOX#1',
    headers: expect.stringContaining('Message-ID: <kebesaran@mail.gmail.com>'),
  });
  expect((await ticketsOf(servers.service)).map((t) => t.sourceId)).toEqual(['<normal@mail.gmail.com>']);
});

function withAttachment(messageId: string, filename: string, contentType: string, content: Buffer): Buffer {
  const head = [
    'From: Rudi Sitohang <rudi.sitohang@gmail.com>',
    'To: pengaduan@disdukcapil.dairikab.go.id',
    'Subject: Bukti antrean perekaman KTP-el',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="besar"',
    '',
    '--besar',
    'Content-Type: text/plain; charset="UTF-8"',
    '',
    'Terlampir rekaman layar antrean perekaman KTP-el di Sidikalang yang tidak bergerak sejak pagi.',
    '',
    '--besar',
    `Content-Type: ${contentType}; name="${filename}"`,
    `Content-Disposition: attachment; filename="${filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  const base64 = content.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.concat([Buffer.from(head), Buffer.from(base64), Buffer.from('\r\n--besar--\r\n')]);
}
