import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emailChannelSchema } from '../../../src/channels/email/config-schema';
import { EmailProcessor, NOISE_NOTES_PER_HOUR } from '../../../src/channels/email/email-processor';
import type { EmailSettings } from '../../../src/channels/email/settings';
import type { ComplaintSink } from '../../../src/channels/complaint-sink';
import { createLogger } from '../../../src/lib/logger';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { NewTicket } from '../../../src/store/store';

/** The email processor on a real store: noise on a ticket is noted once per message, and only so often. */

const DOMAIN = 'disdukcapil.dairikab.go.id';
let work: string;
let store: SqliteStore;
let processor: EmailProcessor;
const logLines: string[] = [];

/** Automated mail must never reach the pipeline. */
const sink: ComplaintSink = {
  submit: () => Promise.reject(new Error('automated mail was submitted as a complaint')),
};

beforeEach(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'aduan-noise-notes-'));
  store = new SqliteStore(path.join(work, 'aduan.sqlite'));
  await store.init();
  const settings: EmailSettings = {
    channel: emailChannelSchema.parse({}),
    ownDomain: DOMAIN,
    ownAddresses: new Set([`pengaduan@${DOMAIN}`]),
    intakeAddresses: new Set([`pengaduan@${DOMAIN}`]),
    attachmentsFolder: path.join(work, 'attachments'),
  };
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  processor = new EmailProcessor(settings, store, log);
});

afterEach(async () => {
  await store.close();
  rmSync(work, { recursive: true, force: true });
});

function ticket(): NewTicket {
  return {
    channel: 'email',
    sourceId: '<asli@mail.gmail.com>',
    references: [],
    receivedAt: '2026-12-01T02:00:00.000Z',
    complainant: { name: 'Rosmawati', email: 'rosmawati.sinaga@gmail.com' },
    text: 'Mohon surat keterangan belum menikah',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'routed',
    classification: { category: 'unmarried-certificate', confidence: 0.9, evidence: ['belum menikah'] },
    targetMinutes: 60,
    dueAt: '2026-12-01T03:00:00.000Z',
    team: 'capil',
    history: [{ at: '2026-12-01T02:00:00.000Z', event: 'received' }],
  };
}

function outOfOffice(i: number, number: string): Buffer {
  return Buffer.from(
    [
      'From: Rosmawati Sinaga <rosmawati.sinaga@gmail.com>',
      `To: pengaduan+${number}@${DOMAIN}`,
      `Subject: Balasan Otomatis: Re: Permohonan [${number}]`,
      `Message-ID: <ooo-${i}@mail.gmail.com>`,
      `In-Reply-To: <${number}.ack@${DOMAIN}>`,
      'Auto-Submitted: auto-replied',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Saya sedang cuti.',
    ].join('\r\n'),
  );
}

test('the same out-of-office read twice: one record, one note, no complaint', async () => {
  const { ticket: t } = await store.insertTicket(ticket(), 2026);
  const origin = 'kantor/INBOX#7';
  expect(await processor.process(outOfOffice(1, t.ticketNumber), { origin }, sink)).toMatchObject({
    status: 'ignored',
  });
  expect(await processor.process(outOfOffice(1, t.ticketNumber), { origin }, sink)).toMatchObject({
    status: 'ignored',
  });
  const after = (await store.getTicket(t.id))!;
  expect(after.history.filter((h) => h.automated)).toHaveLength(1);
  expect(after.status).toBe('routed');
  expect(after.dueAt).toBe(t.dueAt);
  expect(await store.listNoise()).toEqual([
    expect.objectContaining({ mailbox: 'kantor/INBOX', ticketNumber: t.ticketNumber, kind: 'auto-reply' }),
  ]);
  expect(logLines.some((l) => l.includes('automated mail seen again'))).toBe(true);
});

test(`made-up auto-replies naming a ticket: all recorded, at most ${NOISE_NOTES_PER_HOUR} notes an hour`, async () => {
  const { ticket: t } = await store.insertTicket(ticket(), 2026);
  for (let i = 0; i < NOISE_NOTES_PER_HOUR + 5; i++)
    await processor.process(outOfOffice(i, t.ticketNumber), { origin: `kantor/INBOX#${i}` }, sink);
  expect(await store.listNoise(1000)).toHaveLength(NOISE_NOTES_PER_HOUR + 5);
  expect((await store.getTicket(t.id))!.history.filter((h) => h.automated)).toHaveLength(NOISE_NOTES_PER_HOUR);
  expect(logLines.filter((l) => l.includes('noise note not kept: hourly cap'))).toHaveLength(5);
});

test('automated mail about no known ticket is recorded without a ticket number', async () => {
  await processor.process(outOfOffice(1, 'ADU-2026-999999'), { origin: path.join(work, 'folder', 'a.eml') }, sink);
  const [record] = await store.listNoise();
  expect(record).toMatchObject({ kind: 'auto-reply', mailbox: path.join(work, 'folder') });
  expect(record!.ticketNumber).toBeUndefined();
});

/*
 * Automated mail is anyone's to write, References included. A newsletter with tens of thousands of
 * References is recorded as noise like any other (bounded lookups), not turned into a store error that
 * sends the message round the retry and poison path.
 */
test('a bulk mail with 40 000 References is recorded as noise', async () => {
  const refs = Array.from({ length: 40_000 }, (_, i) => `<r${i}@spam.example>`).join(' ');
  const raw = Buffer.from(
    [
      'From: Promo <promo@spam.example>',
      `To: pengaduan@${DOMAIN}`,
      'Subject: Diskon besar',
      'Message-ID: <promo-1@spam.example>',
      `References: ${refs}`,
      'Precedence: bulk',
      'Content-Type: text/plain',
      '',
      'Beli sekarang.',
    ].join('\r\n'),
  );
  const started = Date.now();
  await expect(processor.process(raw, { origin: 'kantor/INBOX#1' }, sink)).resolves.toMatchObject({
    status: 'ignored',
  });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await store.listNoise()).toEqual([expect.objectContaining({ kind: 'bulk' })]);
});
