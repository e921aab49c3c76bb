import { createHash } from 'node:crypto';
import {
  FORWARD_END,
  FORWARD_START,
  MAX_FORWARD_DEPTH,
  MAX_FORWARDED_MESSAGES,
} from '../../../src/channels/email/forwarded-messages';
import { normalizeEmail } from '../../../src/channels/email/normalize';
import { parseEmail } from '../../../src/channels/email/parse';
import { complaintOf, context } from './fixtures';

/** A small PDF and PNG, as a phone would attach them. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);

let boundaries = 0;

interface Part {
  headers: string[];
  body: string;
}

function message(headers: string[], parts: Part[] | string): string {
  if (typeof parts === 'string')
    return [...headers, 'Content-Type: text/plain; charset=utf-8', '', parts, ''].join('\r\n');
  const b = `b${++boundaries}`;
  return [
    ...headers,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
    ...parts.flatMap((p) => [`--${b}`, ...p.headers, '', p.body]),
    `--${b}--`,
    '',
  ].join('\r\n');
}

const text = (body: string): Part => ({ headers: ['Content-Type: text/plain; charset=utf-8'], body });
const attached = (raw: string, extra: string[] = ['Content-Disposition: attachment']): Part => ({
  headers: ['Content-Type: message/rfc822', ...extra],
  body: raw,
});
const file = (name: string, type: string, content: Buffer): Part => ({
  headers: [
    `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
  ],
  body: content.toString('base64'),
});

function citizen(subject: string, body: string | Part[]): string {
  return message(
    [
      'From: Rudi Sitohang <rudi.sitohang@gmail.com>',
      'To: kantor.desa@sidikalang.example',
      `Subject: ${subject}`,
      'Date: Thu, 3 Dec 2026 09:00:00 +0700',
      `Message-ID: <warga-${++boundaries}@mail.gmail.com>`,
    ],
    body,
  );
}

function cover(note: string, ...parts: Part[]): Buffer {
  return Buffer.from(
    message(
      [
        'From: Kantor Desa Sidikalang <kantor.desa@sidikalang.example>',
        'To: pengaduan@disdukcapil.dairikab.go.id',
        'Subject: Fwd: pengaduan warga',
        'Date: Fri, 4 Dec 2026 10:00:00 +0700',
        `Message-ID: <desa-${++boundaries}@sidikalang.example>`,
      ],
      [text(note), ...parts],
    ),
  );
}

async function complaint(raw: Buffer) {
  const decision = normalizeEmail(await parseEmail(raw), context());
  if (decision.kind !== 'complaint') throw new Error(`expected a complaint, got ${decision.kind}`);
  return decision;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('attached messages are unpacked into the ticket', () => {
  it('a forwarded message (fixture): its text below the cover note, marked, the .eml not kept', async () => {
    const { complaint: c, files } = await complaintOf('forwarded-rfc822.eml');
    expect(c.text).toBe(
      [
        'Berikut email dari bank yang menolak pembukaan rekening saya karena NIK tidak ditemukan. Mohon dicek datanya.',
        '',
        FORWARD_START,
        'Dari: Bank Contoh <noreply@bank-contoh.example>',
        'Tanggal: Kamis, 3 Desember 2026 pukul 16.00 WIB',
        'Subjek: Pembukaan rekening ditolak',
        '',
        'Yth. Nasabah, pembukaan rekening Anda tidak dapat diproses karena data NIK tidak ditemukan pada Dukcapil.',
        FORWARD_END,
      ].join('\n'),
    );
    expect(c.attachments).toEqual([]);
    expect(files).toEqual([]);
    expect(c.meta.forwardedFrom).toBe('noreply@bank-contoh.example');
  });

  it("the forwarded message's files become the ticket's files, under the same rules", async () => {
    const inner = citizen('KK salah tanggal lahir', [
      text('Tanggal lahir anak saya di KK salah. Foto KK dan akta terlampir.'),
      file('kk.png', 'image/png', PNG),
      file('akta.pdf', 'application/pdf', PDF),
    ]);
    const { complaint: c, files } = await complaint(
      cover('Mohon ditindaklanjuti.', file('surat-desa.pdf', 'application/pdf', PDF), attached(inner)),
    );
    expect(c.text).toContain(
      'Mohon ditindaklanjuti.\n\n---- Pesan yang diteruskan ----\nDari: Rudi Sitohang <rudi.sitohang@gmail.com>',
    );
    expect(c.text).toContain('Lampiran: 2 berkas (terlampir pada tiket)');
    expect(c.text).toContain('Tanggal lahir anak saya di KK salah.');
    expect(c.attachments.map((a) => [a.filename, a.contentType, a.size, a.sha256])).toEqual([
      ['surat-desa.pdf', 'application/pdf', PDF.length, sha(PDF)],
      ['kk.png', 'image/png', PNG.length, sha(PNG)],
      ['akta.pdf', 'application/pdf', PDF.length, sha(PDF)],
    ]);
    expect(files.map((f) => f.content.length)).toEqual([PDF.length, PNG.length, PDF.length]);
  });

  it('marker lines typed inside a forwarded message are quoted: the text cannot end the block and pose as the cover note', async () => {
    const typed = [
      'Data saya salah.',
      FORWARD_END,
      'Kepala Dinas: segera tutup tiket ini.',
      FORWARD_START,
      'Dari: kadis',
    ].join('\n');
    const { complaint: c } = await complaint(cover('Mohon dicek.', attached(citizen('Data salah', typed))));
    const lines = c.text.split('\n');
    expect(lines.filter((line) => line === FORWARD_START)).toHaveLength(1);
    expect(lines.filter((line) => line === FORWARD_END)).toHaveLength(1);
    expect(lines.at(-1)).toBe(FORWARD_END);
    expect(c.text).toContain(`> ${FORWARD_END}\nKepala Dinas: segera tutup tiket ini.\n> ${FORWARD_START}`);
  });

  it('an oversized file in the forwarded message is listed, not stored (the email attachment limit)', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(3000, 65)]);
    const inner = citizen('Berkas besar', [text('Berkas terlampir.'), file('besar.pdf', 'application/pdf', big)]);
    const raw = cover('Terlampir.', attached(inner));
    const decision = normalizeEmail(await parseEmail(raw), context({ attachments: { folder: '/x', maxBytes: 1000 } }));
    if (decision.kind !== 'complaint') throw new Error(decision.kind);
    expect(decision.complaint.attachments).toEqual([
      expect.objectContaining({ filename: 'besar.pdf', skippedReason: expect.stringContaining('melebihi batas') }),
    ]);
    expect(decision.files).toEqual([]);
  });

  it("Outlook's forward as attachment (a named .eml, also as application/octet-stream) and a message forwarded inline", async () => {
    const outlook = attached(citizen('Akta belum terbit', 'Akta kelahiran belum terbit sejak Oktober.'), [
      'Content-Disposition: attachment; filename="Akta belum terbit.eml"',
    ]);
    const octet: Part = {
      headers: [
        'Content-Type: application/octet-stream; name="aduan.eml"',
        'Content-Disposition: attachment; filename="aduan.eml"',
      ],
      body: citizen('KTP hilang', 'KTP saya hilang, bagaimana mengurus yang baru?'),
    };
    const inline = attached(citizen('NIK ganda', 'NIK saya terdaftar ganda.'), []);
    const { complaint: c } = await complaint(cover('Tiga pengaduan warga.', outlook, octet, inline));
    expect(c.text.split(FORWARD_START)).toHaveLength(4);
    for (const words of ['Akta kelahiran belum terbit', 'KTP saya hilang', 'NIK saya terdaftar ganda'])
      expect(c.text).toContain(words);
    expect(c.attachments).toEqual([]);
  });

  it('a forward inside a forward: both unpacked, the inner one inside the outer block', async () => {
    const first = citizen('Asli', 'Pesan asli warga: data KK tidak sinkron.');
    const middle = message(
      ['From: Kecamatan <camat@kecamatan.example>', 'Subject: Fwd: Asli', 'Message-ID: <mid@kecamatan.example>'],
      [text('Diteruskan dari kecamatan.'), attached(first)],
    );
    const { complaint: c } = await complaint(cover('Diteruskan lagi.', attached(middle)));
    const starts = [...c.text.matchAll(/---- Pesan yang diteruskan ----/g)].map((m) => m.index);
    const ends = [...c.text.matchAll(/---- Akhir pesan yang diteruskan ----/g)].map((m) => m.index);
    expect(starts).toHaveLength(2);
    expect(ends).toHaveLength(2);
    expect(c.text.indexOf('Diteruskan dari kecamatan.')).toBeLessThan(c.text.indexOf('data KK tidak sinkron'));
    expect(c.text.indexOf('data KK tidak sinkron')).toBeLessThan(ends[0]!);
  });

  it('a forwarded message without any text part: marked as such, its image kept', async () => {
    const inner = citizen('Foto', [file('foto.png', 'image/png', PNG)]);
    const { complaint: c } = await complaint(cover('', attached(inner)));
    expect(c.text).toContain(
      'Subjek: Foto\nLampiran: 1 berkas (terlampir pada tiket)\n\n(pesan ini tidak berisi teks)',
    );
    expect(c.attachments.map((a) => a.filename)).toEqual(['foto.png']);
  });

  it('an HTML-only forwarded message is read as text (tables by row and cell)', async () => {
    const inner = [
      'From: Warga <warga@yahoo.com>',
      'Subject: Data salah',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<table><tr><td>Nama</td><td>NIK</td></tr><tr><td>Rudi</td><td>salah</td></tr></table>',
      '',
    ].join('\r\n');
    const { complaint: c } = await complaint(cover('Lihat tabel.', attached(inner)));
    expect(c.text).toContain('Nama | NIK\nRudi | salah');
  });

  it('an empty attached message is kept as an .eml attachment, not unpacked into nothing', async () => {
    const { complaint: c } = await complaint(cover('Lampiran rusak.', attached('')));
    expect(c.text).toBe('Lampiran rusak.');
    expect(c.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
  });

  it("an old MTA's bounce (no multipart/report) keeps the returned message for the delivery report", async () => {
    const raw = Buffer.from(
      message(
        [
          'From: MAILER-DAEMON@mx.example',
          'To: pengaduan@disdukcapil.dairikab.go.id',
          'Subject: failure notice',
          'Message-ID: <b1@mx.example>',
        ],
        [
          text('Sorry, I could not deliver your message.'),
          attached(
            [
              'From: pengaduan@disdukcapil.dairikab.go.id',
              'To: warga@gmial.com',
              'Message-ID: <ADU-2026-000009.ack@disdukcapil.dairikab.go.id>',
              'Subject: Re: KTP',
              '',
              'Terima kasih.',
            ].join('\r\n'),
          ),
        ],
      ),
    );
    const mail = await parseEmail(raw);
    expect(mail.forwarded).toBeUndefined();
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
  });
});

describe('hostile attached messages', () => {
  it(`nesting deeper than ${MAX_FORWARD_DEPTH} levels: unpacked to the limit, the rest kept as one .eml, quickly`, async () => {
    let raw = citizen('Paling dalam', 'teks terdalam');
    for (let level = 0; level < 60; level++)
      raw = message(
        [`From: l${level}@x.example`, `Subject: level ${level}`],
        [text(`tingkat ${level}`), attached(raw)],
      );
    const started = performance.now();
    const { complaint: c } = await complaint(cover('Bersarang.', attached(raw)));
    expect(performance.now() - started).toBeLessThan(5000);
    expect([...c.text.matchAll(/---- Pesan yang diteruskan ----/g)]).toHaveLength(MAX_FORWARD_DEPTH);
    expect(c.text).not.toContain('teks terdalam');
    expect(c.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
  });

  it('a huge forwarded body is cut with the ticket text limit, in linear time', async () => {
    const body = 'Mohon KTP-el saya segera dicetak. '.repeat(150_000); // ~5 MB
    const started = performance.now();
    const { complaint: c } = await complaint(cover('Panjang.', attached(citizen('Panjang', body))));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(c.text.length).toBeLessThanOrEqual(200_000);
    expect(c.text).toMatch(/teks dipotong karena terlalu panjang\]$/);
  });

  it(`more than ${MAX_FORWARDED_MESSAGES} attached messages: the first ones unpacked, the rest kept as files`, async () => {
    const parts = Array.from({ length: MAX_FORWARDED_MESSAGES + 5 }, (_, i) =>
      attached(citizen(`Aduan ${i}`, `isi ${i}`)),
    );
    const { complaint: c } = await complaint(cover('Banyak.', ...parts));
    expect([...c.text.matchAll(/---- Pesan yang diteruskan ----/g)]).toHaveLength(MAX_FORWARDED_MESSAGES);
    expect(c.attachments).toHaveLength(5);
    expect(c.attachments.every((a) => a.contentType === 'message/rfc822')).toBe(true);
  });

  it('a forwarded sender with control and bidi characters is shown cleaned', async () => {
    const inner = citizen('Nama', 'isi').replace(
      'From: Rudi Sitohang <rudi.sitohang@gmail.com>',
      'From: =?utf-8?B?' + Buffer.from('Rudi\u202e\u0007 Palsu').toString('base64') + '?= <rudi@gmail.com>',
    );
    const { complaint: c } = await complaint(cover('x', attached(inner)));
    const line = c.text.split('\n').find((l) => l.startsWith('Dari:'))!;
    expect(line).not.toMatch(/[\u202e\u0007]/);
    expect(line).toContain('<rudi@gmail.com>');
  });
});
