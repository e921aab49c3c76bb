import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { append, mailTestEnv, OUR_DOMAIN, startWithEmail, waitForTickets, useMailServers } from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/** A village office forwards a citizen's mail as an attachment: one ticket with the citizen's words and files. */

jest.setTimeout(60_000);

const servers = useMailServers();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const JPEG = Buffer.concat([
  Buffer.from('ffd8ffe000104a464946', 'hex'),
  Buffer.alloc(200, 7),
  Buffer.from('ffd9', 'hex'),
]);

function base64Part(name: string, type: string, content: Buffer): string[] {
  return [
    `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    content.toString('base64'),
  ];
}

/** Outlook's "forward as attachment": the citizen's mail as a named message/rfc822 part. */
function forwardedAsAttachment(): string {
  const citizen = [
    'From: Tiurma Br Sihombing <tiurma.sihombing@yahoo.co.id>',
    'To: kantordesa.bangun@gmail.com',
    'Subject: Akta kelahiran anak salah nama ayah',
    'Date: Wed, 2 Dec 2026 19:20:00 +0700',
    'Message-ID: <warga-akta-77@mail.yahoo.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="in1"',
    '',
    '--in1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bapak/Ibu, nama ayah di akta kelahiran anak saya tertulis "Sihombng", seharusnya "Sihombing". Scan akta dan KK saya lampirkan.',
    '--in1',
    ...base64Part('akta-anak.pdf', 'application/pdf', PDF),
    '--in1',
    ...base64Part('kk.jpg', 'image/jpeg', JPEG),
    '--in1--',
    '',
  ].join('\r\n');
  return [
    'From: Kantor Desa Bangun <kantordesa.bangun@gmail.com>',
    `To: pengaduan@${OUR_DOMAIN}`,
    'Subject: FW: Akta kelahiran anak salah nama ayah',
    `Date: ${new Date().toUTCString()}`,
    'Message-ID: <desa-fw-1@mail.gmail.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="out1"',
    '',
    '--out1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Selamat siang, kami teruskan pengaduan warga kami. Terima kasih.',
    '',
    'Kantor Desa Bangun',
    '--out1',
    'Content-Type: message/rfc822; name="Akta kelahiran anak salah nama ayah.eml"',
    'Content-Disposition: attachment; filename="Akta kelahiran anak salah nama ayah.eml"',
    '',
    citizen,
    '--out1--',
    '',
  ].join('\r\n');
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

it('one ticket with the cover note, the citizen text marked as forwarded and the citizen files; the team gets them too', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
  servers.service = await startWithEmail(servers.env);
  await append(servers.dovecot, user, forwardedAsAttachment());

  const [ticket] = await waitForTickets(servers.service, 1);
  expect(ticket!.text).toContain('Selamat siang, kami teruskan pengaduan warga kami. Terima kasih.');
  expect(ticket!.text).toContain(
    [
      '---- Pesan yang diteruskan ----',
      'Dari: Tiurma Br Sihombing <tiurma.sihombing@yahoo.co.id>',
      'Tanggal: Rabu, 2 Desember 2026 pukul 19.20 WIB',
      'Subjek: Akta kelahiran anak salah nama ayah',
      'Lampiran: 2 berkas (terlampir pada tiket)',
      '',
      'Bapak/Ibu, nama ayah di akta kelahiran anak saya tertulis "Sihombng", seharusnya "Sihombing".',
    ].join('\n'),
  );
  expect(ticket!.text).toMatch(/---- Akhir pesan yang diteruskan ----$/);
  expect(ticket!.meta.forwardedFrom).toBe('tiurma.sihombing@yahoo.co.id');
  expect(ticket!.attachments.map((a) => [a.filename, a.contentType, a.size, a.sha256])).toEqual([
    ['akta-anak.pdf', 'application/pdf', PDF.length, sha(PDF)],
    ['kk.jpg', 'image/jpeg', JPEG.length, sha(JPEG)],
  ]);
  for (const a of ticket!.attachments) expect(sha(readFileSync(a.storedAt!))).toBe(a.sha256);

  const team = await servers.sink.waitFor(
    (m) => m.header('x-aduan-purpose') === 'team-ticket',
    15_000,
    'the team mail',
  );
  expect(team.mail.text).toContain('nama ayah di akta kelahiran anak saya tertulis');
  expect(team.mail.attachments.map((a) => [a.filename, sha(a.content)])).toEqual([
    ['akta-anak.pdf', sha(PDF)],
    ['kk.jpg', sha(JPEG)],
  ]);
  // The initial response goes to the office that wrote to us.
  const ack = await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'acknowledgement', 15_000, 'the ack');
  expect(ack.envelope.to).toEqual(['kantordesa.bangun@gmail.com']);
});
