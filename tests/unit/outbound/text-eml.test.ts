import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { mailOptionsFor } from '../../../src/outbound/email-headers';
import type { OutgoingMessage } from '../../../src/outbound/message';
import { composeTextEml } from '../../../src/outbound/text-eml';

const from = { address: 'pengaduan@disdukcapil.dairikab.go.id', name: 'Layanan Pengaduan Disdukcapil Kabupaten Dairi' };

const message: OutgoingMessage = {
  id: 'ADU-2026-000042.ack',
  purpose: 'acknowledgement',
  channel: 'email',
  to: ['rosma@example.com'],
  subject: 'Re: Surat keterangan belum menikah — mohon dibantu [ADU-2026-000042] ' + 'panjang '.repeat(8).trim(),
  text:
    'Yth. Rosmawati,\nPengaduan Anda telah kami terima dengan nomor tiket ADU-2026-000042.\nTarget: 30 menit — ✓ hari kerja.\n' +
    'Baris panjang '.repeat(30).trim(),
  inReplyTo: '<CAJx7pQm@mail.gmail.com>',
  references: ['<root@mail.gmail.com>', '<CAJx7pQm@mail.gmail.com>'],
  replyTo: 'pengaduan+ADU-2026-000042@disdukcapil.dairikab.go.id',
};

describe('text-only .eml for the outbox', () => {
  test('parses back to the same fields as the MailComposer build of the same message', async () => {
    const fast = await simpleParser(composeTextEml(message, from, new Date('2026-11-30T02:00:00Z')));
    const reference = await simpleParser(await new MailComposer(mailOptionsFor(message, from)).compile().build());
    for (const parsed of [fast, reference]) {
      expect(parsed.subject).toBe(message.subject);
      expect(parsed.text?.trimEnd()).toBe(message.text);
      expect(parsed.messageId).toBe('<ADU-2026-000042.ack@disdukcapil.dairikab.go.id>');
      expect(parsed.inReplyTo).toBe('<CAJx7pQm@mail.gmail.com>');
      expect(parsed.references).toEqual(['<root@mail.gmail.com>', '<CAJx7pQm@mail.gmail.com>']);
      expect(parsed.from?.value).toEqual([{ address: from.address, name: from.name }]);
      expect(parsed.to).toMatchObject({ value: [{ address: 'rosma@example.com' }] });
      expect(parsed.replyTo?.value[0]?.address).toBe('pengaduan+ADU-2026-000042@disdukcapil.dairikab.go.id');
      expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    }
    expect(fast.date?.toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });

  test('no header line exceeds 78 characters and CR/LF in a subject cannot add a header', async () => {
    const raw = composeTextEml({ ...message, subject: 'Halo\r\nBcc: victim@example.com' }, from).toString('utf8');
    const head = raw.split('\r\n\r\n')[0]!;
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await simpleParser(raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('Halo Bcc: victim@example.com');
  });
});
