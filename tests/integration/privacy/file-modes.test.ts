import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emailChannelSchema } from '../../../src/channels/email/config-schema';
import { EmailProcessor } from '../../../src/channels/email/email-processor';
import type { EmailSettings } from '../../../src/channels/email/settings';
import type { ComplaintSink } from '../../../src/channels/complaint-sink';
import { createLogger } from '../../../src/lib/logger';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { SqliteStore } from '../../../src/store/sqlite-store';

/**
 * Stored attachments and everything else in the data folder hold citizens' personal data: owner-only
 * (files 0600, folders 0700) even under a permissive umask and in a folder that existed before.
 */

const DOMAIN = 'disdukcapil.dairikab.go.id';
const mode = (p: string) => statSync(p).mode & 0o777;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [path.join(dir, e.name), ...filesUnder(path.join(dir, e.name))] : [path.join(dir, e.name)],
  );
}

describe('file modes', () => {
  let work: string;
  let previousUmask: number;
  beforeEach(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'aduan-modes-'));
    previousUmask = process.umask(0o002); // a permissive umask: group-writable, world-readable
  });
  afterEach(() => {
    process.umask(previousUmask);
    rmSync(work, { recursive: true, force: true });
  });

  test('the SQLite data folder, database, WAL and shared-memory files are owner-only', async () => {
    const dataDir = path.join(work, 'data');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755); // made by hand before the first start
    const store = new SqliteStore(path.join(dataDir, 'aduan.sqlite'));
    await store.init();
    await store.setCursor('k', 'v');
    expect(mode(dataDir)).toBe(0o700);
    for (const file of ['aduan.sqlite', 'aduan.sqlite-wal', 'aduan.sqlite-shm'])
      expect([file, mode(path.join(dataDir, file))]).toEqual([file, 0o600]);
    await store.close();
  });

  test('an email attachment is stored 0600 in 0700 folders; outbox messages too', async () => {
    const store = new SqliteStore(path.join(work, 'data', 'aduan.sqlite'));
    await store.init();
    const attachments = path.join(work, 'data', 'attachments');
    const settings: EmailSettings = {
      channel: emailChannelSchema.parse({}),
      ownDomain: DOMAIN,
      ownAddresses: new Set([`pengaduan@${DOMAIN}`]),
      intakeAddresses: new Set([`pengaduan@${DOMAIN}`]),
      attachmentsFolder: attachments,
    };
    const submitted: unknown[] = [];
    const sink: ComplaintSink = { submit: async (c) => (submitted.push(c), { status: 'queued' }) };
    const raw = Buffer.from(
      [
        'From: Rosmawati <rosmawati@gmail.com>',
        `To: pengaduan@${DOMAIN}`,
        'Subject: KTP belum jadi',
        'Message-ID: <ktp-1@mail.gmail.com>',
        'Date: Tue, 01 Dec 2026 09:00:00 +0700',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'KTP saya belum jadi, scan terlampir.',
        '--b',
        'Content-Type: image/png; name="ktp.png"',
        'Content-Disposition: attachment; filename="ktp.png"',
        'Content-Transfer-Encoding: base64',
        '',
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        '--b--',
        '',
      ].join('\r\n'),
    );
    const processor = new EmailProcessor(settings, store, createLogger({ level: 'silent' }));
    await processor.process(raw, { origin: 'kantor/INBOX#1' }, sink);
    expect(submitted).toHaveLength(1);
    const stored = filesUnder(attachments);
    expect(stored.length).toBeGreaterThanOrEqual(2); // a shard folder and the file
    for (const p of stored) expect([p, mode(p)]).toEqual([p, statSync(p).isDirectory() ? 0o700 : 0o600]);

    const outbox = path.join(work, 'data', 'outbox');
    const transport = new OutboxTransport(outbox, { address: `pengaduan@${DOMAIN}`, name: 'Pengaduan' });
    await transport.deliver({
      id: 'ADU-2026-000001.ack',
      purpose: 'acknowledgement',
      channel: 'whatsapp',
      to: ['+6281234567890'],
      subject: '',
      text: 'Pengaduan diterima',
    });
    await transport.close();
    expect(mode(outbox)).toBe(0o700);
    for (const file of readdirSync(outbox)) expect(mode(path.join(outbox, file))).toBe(0o600);
    await store.close();
  });
});
