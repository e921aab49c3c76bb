import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Corpus items too big to commit, written by the test into its temporary folder. Deterministic: the
 * same bytes every run. Each returns the raw file; the manifest names them under `generated`.
 */

const TEXT = 'KTP-el saya sudah direkam bulan lalu tetapi belum dicetak, mohon dibantu.';
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const head = (id: string, extra = '') =>
  crlf(
    `From: Warga Dairi <warga.${id}@example.net>\nTo: pengaduan@disdukcapil.dairikab.go.id\nSubject: Aduan ${id}\nDate: Mon, 30 Nov 2026 09:00:00 +0700\nMessage-ID: <hostile-${id}@example.net>\nMIME-Version: 1.0\n${extra}`,
  );

const GENERATORS: Record<string, () => Buffer> = {
  /** 5,000 MIME parts, each a small attachment. */
  'email-many-parts': () => {
    const parts: string[] = [`--mp\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${TEXT}\r\n`];
    for (let i = 1; i <= 5000; i++)
      parts.push(
        `--mp\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="bagian-${i}.bin"\r\n\r\nbagian ${i}\r\n`,
      );
    return Buffer.from(head('g01', 'Content-Type: multipart/mixed; boundary="mp"\n\n') + parts.join('') + '--mp--\r\n');
  },
  /** 50,000 header lines before the body. */
  'email-huge-header-count': () => {
    const junk = Array.from({ length: 50_000 }, (_, i) => `X-Junk-${i}: ${'j'.repeat(20)}\r\n`).join('');
    return Buffer.from(head('g02', junk + 'Content-Type: text/plain; charset=utf-8\n\n') + `${TEXT}\r\n`);
  },
  /** A 10 MB text body (one complaint pasted over and over). */
  'email-10mb-body': () => {
    const line = `${TEXT} Mohon segera ditindaklanjuti.\r\n`;
    return Buffer.from(
      head('g03', 'Content-Type: text/plain; charset=utf-8\n\n') +
        line.repeat(Math.ceil((10 * 1024 * 1024) / line.length)),
    );
  },
  /** A subject of 1 MB, folded into many header lines. */
  'email-1mb-subject': () => {
    const subject = `Aduan ${'panjang '.repeat(131_072)}`.trimEnd().replace(/(.{900}) /g, '$1\r\n ');
    return Buffer.from(
      head('g04', 'Content-Type: text/plain; charset=utf-8\n\n').replace('Subject: Aduan g04', `Subject: ${subject}`) +
        `${TEXT}\r\n`,
    );
  },
  /** A From display name of 10,000 characters. */
  'email-10k-name': () =>
    Buffer.from(
      head('g05', 'Content-Type: text/plain; charset=utf-8\n\n').replace('Warga Dairi', 'N'.repeat(10_000)) +
        `${TEXT}\r\n`,
    ),
  /** One line of 200 KB of spaces and a letter after the complaint: 48 s in the old trimBlock. */
  'email-200kb-spaces': () =>
    Buffer.from(head('g06', 'Content-Type: text/plain; charset=utf-8\n\n') + `${TEXT}\r\n${' '.repeat(200_000)}x\r\n`),
  /** 4 MB of 400-digit lines that end like a phone reply header. */
  'email-400-digit-lines': () =>
    Buffer.from(
      head('g07', 'Content-Type: text/plain; charset=utf-8\n\n') +
        `${TEXT}\r\n` +
        `${'7'.repeat(391)} menulis:\r\n`.repeat(10_000),
    ),
  /** 1 MB of "[javascript:" without a closing bracket, then one that closes. */
  'email-script-links': () =>
    Buffer.from(
      head('g08', 'Content-Type: text/html; charset=utf-8\n\n') +
        `<p>${TEXT}</p><p>${'[javascript:'.repeat(85_000)}</p><a href="javascript:alert(1)">klik</a>\r\n`,
    ),
  /** A call-center JSON line whose notes have 300,000 characters, then a normal line. */
  'callcenter-oversized-notes': () => {
    const rec = (min: number, notes: string) =>
      JSON.stringify({
        Waktu: `30/11/2026 10.${min}`,
        'Nomor Penelepon': `08123450012${min % 10}`,
        Agen: 'Agen J',
        Ringkasan: notes,
      });
    return Buffer.from(
      `${rec(20, `Catatan 300 ribu huruf: ${'x'.repeat(300_000)}`)}\n${rec(21, 'Catatan biasa setelah baris besar: surat keterangan domisili')}\n`,
    );
  },
  /** A signed Meta notification whose message text has 300,000 characters. */
  'meta-text-300k': () =>
    Buffer.from(
      JSON.stringify({
        object: 'page',
        entry: [
          {
            id: '104000000000001',
            time: 1796007600000,
            messaging: [
              {
                sender: { id: '8000000000000013' },
                recipient: { id: '104000000000001' },
                timestamp: 1796007600000,
                message: { mid: 'm_hostile_13', text: `Teks sangat panjang: ${'a'.repeat(300_000)}` },
              },
            ],
          },
        ],
      }),
    ),
  /** A Meta notification over the 1 MB body limit. */
  'meta-over-1mb': () =>
    Buffer.from(
      JSON.stringify({
        object: 'page',
        entry: [
          {
            id: '104000000000001',
            time: 1796007600000,
            messaging: [
              {
                sender: { id: '8000000000000018' },
                recipient: { id: '104000000000001' },
                timestamp: 1796007600000,
                message: { mid: 'm_hostile_18', text: 'b'.repeat(1_100_000) },
              },
            ],
          },
        ],
      }),
    ),
  /** A portal record whose subject is 1 MB. */
  'portal-subject-1mb': () =>
    Buffer.from(
      JSON.stringify({
        id: 'PKB-H14',
        dibuat_pada: '2026-11-30T09:00:00+07:00',
        diperbarui_pada: '2026-11-30T09:00:00+07:00',
        judul: `Judul ${'panjang '.repeat(131_072)}`,
        isi: 'Rekaman PKB-H14: judul satu megabita, KTP-el belum dicetak.',
        pelapor: { nama: 'Judul Panjang' },
      }),
    ),
};

export function writeGenerated(name: string, folder: string, file: string): string {
  const generate = GENERATORS[name];
  if (!generate) throw new Error(`no generator "${name}"`);
  const target = path.join(folder, path.basename(file));
  writeFileSync(target, generate());
  return target;
}
