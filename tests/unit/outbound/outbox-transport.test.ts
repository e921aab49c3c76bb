import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OutgoingMessage } from '../../../src/outbound/message';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';

const FROM = { address: 'pengaduan@aduan.test', name: 'Layanan Pengaduan' };

function mail(id: string, text = 'Terima kasih, pengaduan Anda kami terima.'): OutgoingMessage {
  return {
    id,
    purpose: 'acknowledgement',
    channel: 'email',
    to: ['warga@example.com'],
    subject: 'Pengaduan diterima',
    text,
  };
}

describe('OutboxTransport', () => {
  let root: string;
  let outbox: OutboxTransport;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'aduan-outbox-'));
  });
  afterEach(async () => {
    await outbox?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('writes one file per message id, creating the folder; a repeat is recognised and not rewritten', async () => {
    const folder = path.join(root, 'nested', 'outbox');
    outbox = new OutboxTransport(folder, FROM);
    expect(await outbox.deliver(mail('ADU-2026-000001.ack'))).toBe('outbox: ADU-2026-000001.ack.eml');
    const first = readFileSync(path.join(folder, 'ADU-2026-000001.ack.eml'), 'utf8');
    expect(first).toContain('Message-ID: <ADU-2026-000001.ack@');
    expect(await outbox.deliver(mail('ADU-2026-000001.ack', 'lain'))).toBe(
      'outbox: already written ADU-2026-000001.ack.eml',
    );
    expect(readFileSync(path.join(folder, 'ADU-2026-000001.ack.eml'), 'utf8')).toBe(first);
    expect(readdirSync(folder)).toEqual(['ADU-2026-000001.ack.eml']); // no temp file left behind
  });

  test('many deliveries in one tick each get their own answer and file; non-mail goes to .json', async () => {
    outbox = new OutboxTransport(root, FROM);
    const ids = Array.from({ length: 25 }, (_, i) => `ADU-2026-${String(i + 1).padStart(6, '0')}.team`);
    const results = await Promise.all([
      ...ids.map((id) => outbox.deliver(mail(id))),
      outbox.deliver({ ...mail('ADU-2026-000099.ack'), channel: 'messenger', to: ['psid-123'] }),
    ]);
    expect(results).toEqual([...ids.map((id) => `outbox: ${id}.eml`), 'outbox: ADU-2026-000099.ack.json']);
    expect(readdirSync(root).sort()).toEqual([...ids.map((id) => `${id}.eml`), 'ADU-2026-000099.ack.json'].sort());
    expect(JSON.parse(readFileSync(path.join(root, 'ADU-2026-000099.ack.json'), 'utf8'))).toMatchObject({
      to: ['psid-123'],
      from: FROM.name,
    });
  });

  test('a failing write rejects only its own delivery, with the file system error code', async () => {
    const blocked = path.join(root, 'not-a-folder');
    writeFileSync(blocked, 'x');
    const good = new OutboxTransport(path.join(root, 'ok'), FROM);
    outbox = new OutboxTransport(blocked, FROM);
    const [bad, fine] = await Promise.allSettled([
      outbox.deliver(mail('ADU-2026-000001.ack')),
      good.deliver(mail('ADU-2026-000002.ack')),
    ]);
    await good.close();
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(fine).toEqual({ status: 'fulfilled', value: 'outbox: ADU-2026-000002.ack.eml' });
  });

  test('still delivers after close (a new writer thread starts)', async () => {
    outbox = new OutboxTransport(root, FROM);
    await outbox.deliver(mail('ADU-2026-000001.ack'));
    await outbox.close();
    await outbox.close(); // shared by several channels: closing twice is fine
    expect(await outbox.deliver(mail('ADU-2026-000002.ack'))).toBe('outbox: ADU-2026-000002.ack.eml');
  });
});
