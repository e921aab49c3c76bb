import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emailChannelSchema } from '../../../src/channels/email/config-schema';
import { EmailProcessor } from '../../../src/channels/email/email-processor';
import type { EmailSettings } from '../../../src/channels/email/settings';
import type { ComplaintSink } from '../../../src/channels/complaint-sink';
import { createLogger } from '../../../src/lib/logger';
import { SqliteStore } from '../../../src/store/sqlite-store';

/**
 * Automated mail is anyone's to write, References included. A newsletter with tens of thousands of
 * References is recorded as noise like any other (bounded lookups), not turned into a store error that
 * sends the message round the retry and poison path.
 */

const DOMAIN = 'disdukcapil.dairikab.go.id';
let work: string;
let store: SqliteStore;
let processor: EmailProcessor;
const sink: ComplaintSink = { submit: () => Promise.reject(new Error('noise was submitted as a complaint')) };

beforeEach(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'aduan-noise-refs-'));
  store = new SqliteStore(path.join(work, 'aduan.sqlite'));
  await store.init();
  const settings: EmailSettings = {
    channel: emailChannelSchema.parse({}),
    ownDomain: DOMAIN,
    ownAddresses: new Set([`pengaduan@${DOMAIN}`]),
    intakeAddresses: new Set([`pengaduan@${DOMAIN}`]),
    attachmentsFolder: path.join(work, 'attachments'),
  };
  processor = new EmailProcessor(settings, store, createLogger({ level: 'silent' }));
});
afterEach(async () => {
  await store.close();
  rmSync(work, { recursive: true, force: true });
});

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
