import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { OutgoingMessage } from '../../../src/outbound/message';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { SmtpTransport } from '../../../src/outbound/smtp-transport';
import { SmtpSink } from '../../support/smtp-sink';

const from = { address: 'pengaduan@disdukcapil.dairikab.go.id', name: 'Layanan Pengaduan Disdukcapil Kabupaten Dairi' };

const message: OutgoingMessage = {
  id: 'ADU-2026-000042.ack',
  purpose: 'acknowledgement',
  channel: 'email',
  to: ['rosma@example.com'],
  subject: 'Re: Surat keterangan belum menikah — mohon dibantu [ADU-2026-000042] ' + 'panjang '.repeat(8).trim(),
  text:
    'Yth. Rosmawati,\nPengaduan Anda telah kami terima dengan nomor tiket ADU-2026-000042.\n' +
    'Target: 30 menit — ✓ hari kerja. Ñandú “kutip” ½ ' +
    'Baris panjang '.repeat(30).trim(),
  inReplyTo: '<CAJx7pQm@mail.gmail.com>',
  references: ['<root@mail.gmail.com>', '<CAJx7pQm@mail.gmail.com>'],
  replyTo: 'pengaduan+ADU-2026-000042@disdukcapil.dairikab.go.id',
};

describe('outbox .eml files', () => {
  let root: string;
  let sink: SmtpSink;
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'aduan-outbox-eml-'));
    sink = await SmtpSink.start();
  });
  afterAll(async () => {
    await sink.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('the body is readable as written (quoted-printable), not base64', async () => {
    const outbox = new OutboxTransport(root, from);
    await outbox.deliver(message);
    await outbox.close();
    const raw = readFileSync(path.join(root, 'ADU-2026-000042.ack.eml'), 'utf8');
    expect(raw).toMatch(/^Content-Transfer-Encoding: quoted-printable$/m);
    expect(raw).not.toMatch(/^Content-Transfer-Encoding: base64$/m);
    // What a person running `cat` reads: the lines as written (only those over 76 characters wrapped with "=").
    expect(raw).toContain(
      '\r\n\r\nYth. Rosmawati,\r\nPengaduan Anda telah kami terima dengan nomor tiket ADU-2026-000042.\r\n',
    );
    expect(raw).toContain('Baris panjang Baris panjang Baris panjang');
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trimEnd()).toBe(message.text);
  });

  test('is the mail live mode sends: same headers and body from the same composer', async () => {
    const outbox = new OutboxTransport(root, from);
    await outbox.deliver({ ...message, id: 'ADU-2026-000043.ack' });
    await outbox.close();
    const smtp = new SmtpTransport({ host: '127.0.0.1', port: sink.port, secure: false }, from);
    await smtp.deliver({ ...message, id: 'ADU-2026-000043.ack' });
    await smtp.close();
    const written = await simpleParser(readFileSync(path.join(root, 'ADU-2026-000043.ack.eml')));
    const sent = sink.received.at(-1)!;
    expect(sent.raw.toString('utf8')).toMatch(/^Content-Transfer-Encoding: quoted-printable$/m);
    for (const parsed of [written, sent.mail]) {
      expect(parsed.subject).toBe(message.subject);
      expect(parsed.text?.trimEnd()).toBe(message.text);
      expect(parsed.messageId).toBe('<ADU-2026-000043.ack@disdukcapil.dairikab.go.id>');
      expect(parsed.inReplyTo).toBe('<CAJx7pQm@mail.gmail.com>');
      expect(parsed.references).toEqual(['<root@mail.gmail.com>', '<CAJx7pQm@mail.gmail.com>']);
      expect(parsed.from?.value).toEqual([{ address: from.address, name: from.name }]);
      expect(parsed.replyTo?.value[0]?.address).toBe('pengaduan+ADU-2026-000042@disdukcapil.dairikab.go.id');
      expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    }
    const headerNames = (raw: string) =>
      raw
        .split('\r\n\r\n')[0]!
        .split('\r\n')
        .filter((l) => /^[A-Za-z-]+:/.test(l))
        .map((l) => l.split(':')[0]!.toLowerCase())
        .sort();
    expect(headerNames(readFileSync(path.join(root, 'ADU-2026-000043.ack.eml'), 'utf8'))).toEqual(
      headerNames(sent.raw.toString('utf8')),
    );
  });

  test('CR/LF in a subject cannot add a header', async () => {
    const outbox = new OutboxTransport(root, from);
    await outbox.deliver({ ...message, id: 'inject', subject: 'Halo\r\nBcc: victim@example.com' });
    await outbox.close();
    const parsed = await simpleParser(readFileSync(path.join(root, 'inject.eml')));
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.get('bcc')).toBeUndefined();
  });
});
