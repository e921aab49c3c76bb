import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emailChannelSchema } from '../../../src/channels/email/config-schema';
import { EmailProcessor } from '../../../src/channels/email/email-processor';
import type { EmailSettings } from '../../../src/channels/email/settings';
import type { ComplaintSink } from '../../../src/channels/complaint-sink';
import { createLogger } from '../../../src/lib/logger';
import { AdminAlerts } from '../../../src/ops/admin-alerts';
import type { OutgoingMessage, Transport } from '../../../src/outbound/message';
import { SqliteStore } from '../../../src/store/sqlite-store';

/**
 * Anyone can write a delivery report that answers a (guessable) Message-ID of our team mail. Each such
 * report naming a new recipient must not mail the admins again: a bounce alert is per staff address we
 * know; reports about any other address share one alert (once per repeat window).
 */

const DOMAIN = 'disdukcapil.dairikab.go.id';
const TEAM = `capil@${DOMAIN}`;
let work: string;
let store: SqliteStore;
let processor: EmailProcessor;
let sent: OutgoingMessage[];

const sink: ComplaintSink = { submit: () => Promise.reject(new Error('a bounce was submitted as a complaint')) };

beforeEach(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'aduan-forged-bounce-'));
  store = new SqliteStore(path.join(work, 'aduan.sqlite'));
  await store.init();
  sent = [];
  const transport = { deliver: async (m: OutgoingMessage) => void sent.push(m) } as unknown as Transport;
  const log = createLogger({ level: 'silent' });
  const alerts = new AdminAlerts(store, transport, { adminEmails: [`admin@${DOMAIN}`], repeatAfterMinutes: 60 }, log);
  const settings: EmailSettings = {
    channel: emailChannelSchema.parse({}),
    ownDomain: DOMAIN,
    ownAddresses: new Set([`pengaduan@${DOMAIN}`, TEAM, `admin@${DOMAIN}`]),
    intakeAddresses: new Set([`pengaduan@${DOMAIN}`]),
    attachmentsFolder: path.join(work, 'attachments'),
  };
  processor = new EmailProcessor(settings, store, log, alerts);
});
afterEach(async () => {
  await store.close();
  rmSync(work, { recursive: true, force: true });
});

function dsn(i: number, recipient: string): Buffer {
  return Buffer.from(
    [
      `From: Mail Delivery Subsystem <mailer-daemon@example.net>`,
      `To: pengaduan@${DOMAIN}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn-${i}@example.net>`,
      `In-Reply-To: <ADU-2026-000001.team@${DOMAIN}>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered. Please call +62 812 0000 0000 to verify your account.',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      `Final-Recipient: rfc822; ${recipient}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '--b--',
      '',
    ].join('\r\n'),
  );
}

test('forged reports naming ever new recipients mail the admins once, not once each', async () => {
  for (let i = 0; i < 8; i++)
    await processor.process(dsn(i, `korban${i}@example.org`), { origin: `kantor/INBOX#${i}` }, sink);
  expect(sent.length).toBeLessThanOrEqual(1);
});

test('a bounce of our mail to a team address still alerts', async () => {
  await processor.process(dsn(1, TEAM), { origin: 'kantor/INBOX#1' }, sink);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.subject).toContain(TEAM);
});
