import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { composeEml } from '../../../src/outbound/eml-bytes';
import { mailOptionsFor } from '../../../src/outbound/email-headers';
import type { OutgoingMessage } from '../../../src/outbound/message';

const from = { address: 'pengaduan@disdukcapil.dairikab.go.id', name: 'Layanan Pengaduan Disdukcapil Kabupaten Dairi' };
const base: OutgoingMessage = {
  id: 'ADU-2026-000042.ack',
  purpose: 'acknowledgement',
  channel: 'email',
  to: ['rosma@example.com'],
  subject: 'Re: Surat keterangan belum menikah — mohon dibantu [ADU-2026-000042]',
  text: 'Yth. Rosmawati,\nPengaduan Anda telah kami terima.',
  inReplyTo: '<CAJx7pQm@mail.gmail.com>',
  references: ['<root@mail.gmail.com>', '<CAJx7pQm@mail.gmail.com>'],
  replyTo: 'pengaduan+ADU-2026-000042@disdukcapil.dairikab.go.id',
};

/** The same options both ways; the date and boundary fixed, as build() would otherwise pick its own. */
function optionsOf(message: OutgoingMessage): Mail.Options {
  return {
    ...mailOptionsFor(message, from),
    newline: '\r\n',
    date: new Date('2026-12-06T03:04:05Z'),
    baseBoundary: '0123456789abcdef',
  };
}

async function expectSameAsBuild(message: OutgoingMessage): Promise<string> {
  const expected = await new MailComposer(optionsOf(message)).compile().build();
  const actual = await composeEml(optionsOf(message));
  expect(actual.toString('utf8')).toBe(expected.toString('utf8'));
  expect(actual.equals(expected)).toBe(true);
  return actual.toString('utf8');
}

/** Deterministic pseudo-random text from pieces that stress the encoder: blanks, '=', CR, LF, non-ASCII, long runs. */
function noisyText(seed: number): string {
  const pieces = [
    ' ',
    '  ',
    '\t',
    '=',
    '==',
    '\n',
    '\r\n',
    '\r',
    'a',
    'kata ',
    'Ñandú ',
    '✓',
    '½',
    '😀',
    '.',
    '-',
    'x'.repeat(80),
  ];
  let state = seed;
  let text = '';
  const length = 1 + (seed % 120);
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    text += pieces[state % pieces.length];
  }
  return text;
}

describe('composeEml: the bytes of MailComposer.build(), without its stream', () => {
  test('the initial response as the pipeline writes it (quoted-printable)', async () => {
    const raw = await expectSameAsBuild({
      ...base,
      text: base.text + ' — ✓ hari kerja. ' + 'Baris panjang '.repeat(30),
    });
    expect(raw).toMatch(/^Content-Transfer-Encoding: quoted-printable$/m);
  });

  test('plain ASCII text (7bit), with and without a final line break', async () => {
    expect(await expectSameAsBuild({ ...base, text: 'Terima kasih.' })).toMatch(/^Content-Transfer-Encoding: 7bit$/m);
    await expectSameAsBuild({ ...base, text: 'Terima kasih.\n' });
  });

  test.each([
    ['trailing blanks', 'Mohon dibantu   \t'],
    ['only blanks', '   '],
    ['a lone CR at the end', 'akhir\r'],
    ['blanks before line breaks', 'a  \nb\t\r\nc '],
    ['a line of exactly 76', 'é' + 'x'.repeat(75)],
    ['an escape at the wrap point', 'x'.repeat(74) + '==é=é'],
    ['long words without blanks', 'Ñ'.repeat(300)],
    ['CR/LF in the subject cannot add a header', 'teks'],
  ])('%s', async (name, text) => {
    const subject = name.startsWith('CR/LF') ? 'Halo\r\nBcc: victim@example.com' : base.subject;
    await expectSameAsBuild({ ...base, subject, text });
  });

  test('300 noisy texts (blanks, =, lone CR, non-ASCII, long runs) agree byte for byte', async () => {
    for (let seed = 1; seed <= 300; seed++) await expectSameAsBuild({ ...base, text: noisyText(seed) });
  });

  test('text above the encoder slice and mail with attachments still agree (build() does them)', async () => {
    await expectSameAsBuild({ ...base, text: 'Ñandú kata '.repeat(7000) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-eml-bytes-'));
    try {
      const file = path.join(dir, 'akta.pdf');
      writeFileSync(file, '%PDF-1.4 bukti');
      const raw = await expectSameAsBuild({
        ...base,
        purpose: 'team-ticket',
        attachments: [{ filename: 'akta.pdf', contentType: 'application/pdf', path: file }],
      });
      expect(raw).toMatch(/^Content-Type: multipart\/mixed;/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without a boundary given, multipart mail still gets a random one per message', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-eml-bytes-'));
    try {
      const file = path.join(dir, 'a.txt');
      writeFileSync(file, 'isi');
      const message = { ...base, attachments: [{ filename: 'a.txt', contentType: 'text/plain', path: file }] };
      const boundaryOf = async () =>
        /boundary="([^"]+)"/.exec(
          (await composeEml({ ...mailOptionsFor(message, from), newline: '\r\n' })).toString('utf8'),
        )?.[1];
      const [first, second] = [await boundaryOf(), await boundaryOf()];
      expect(first).toMatch(/^--_NmP-[0-9a-f]{16}-Part_1$/);
      expect(second).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
