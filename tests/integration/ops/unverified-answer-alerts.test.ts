import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../src/lib/logger';
import { AdminAlerts } from '../../../src/ops/admin-alerts';
import { RateWindow } from '../../../src/ops/rate-window';
import { UnverifiedAnswerAlerts } from '../../../src/ops/unverified-answer-alerts';
import type { OutgoingMessage } from '../../../src/outbound/message';
import { SqliteStore } from '../../../src/store/sqlite-store';

/** Review #14 M2 (alert caps) and L7 (once per message), on the real SQLite store. */
let dir: string;
let store: SqliteStore;
let sent: OutgoingMessage[];
const log = createLogger({ level: 'silent' });

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-alerts-'));
  store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
  await store.init();
  sent = [];
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function reporter(perHour: number): UnverifiedAnswerAlerts {
  const transport = { deliver: async (m: OutgoingMessage) => (sent.push(m), 'ok') };
  const options = { adminEmails: ['admin@dairikab.go.id'], repeatAfterMinutes: 60 };
  const alerts = new AdminAlerts(store, transport, options, log);
  return new UnverifiedAnswerAlerts(store, alerts, perHour, log);
}
const event = (sender: string, messageId: string) => ({
  ticketNumber: 'ADU-2026-000001',
  sender,
  messageId,
  problems: ['pengirim tidak terautentikasi'],
});

test('L7: the same message reported again (a re-read after a crash) alerts once, even by a new process', async () => {
  await reporter(20).report(event('a@evil.example', '<m1@x>'));
  await reporter(20).report(event('a@evil.example', '<m1@x>'));
  expect(sent).toHaveLength(1);
});

test('M2: a sender refused by the global cap keeps their per-sender slot', async () => {
  const alerts = reporter(1);
  await alerts.report(event('b@evil.example', '<b1@x>'));
  await alerts.report(event('a@evil.example', '<a1@x>'));
  expect(sent).toHaveLength(1);
  // a@ has not used their one alert per hour: the per-sender window still admits them.
  const perSender = new RateWindow(store, 'alert:unverified-answer', { max: 1, windowMinutes: 60 });
  expect(await perSender.admit('a@evil.example', '<probe@x>')).toBe(true);
});

test('M2: the next alert says how many were suppressed, then the count starts again', async () => {
  const alerts = reporter(20);
  await alerts.report(event('a@evil.example', '<a1@x>'));
  await alerts.report(event('a@evil.example', '<a2@x>'));
  await alerts.report(event('a@evil.example', '<a3@x>'));
  await alerts.report(event('c@evil.example', '<c1@x>'));
  await alerts.report(event('d@evil.example', '<d1@x>'));
  expect(sent).toHaveLength(3);
  expect(sent[0]!.text).not.toMatch(/tidak dikirim/);
  expect(sent[1]!.text).toContain('2 peringatan serupa lainnya tidak dikirim sejak peringatan terakhir');
  expect(sent[2]!.text).not.toMatch(/tidak dikirim/);
});

test('M2: rate-limit keys nobody wrote within the window are deleted, others kept', async () => {
  await store.setCursor('alert:unverified-answer:old', '[]');
  await store.setCursor('alert:unverified-answers:other-window', '[]');
  await store.setCursor('email:cursor', 'keep');
  const later = new Date(Date.now() + 1000).toISOString();
  expect(await store.deleteCursorsBefore('alert:unverified-answer', later)).toBe(1);
  expect(await store.getCursor('alert:unverified-answer:old')).toBeUndefined();
  expect(await store.getCursor('alert:unverified-answers:other-window')).toBe('[]');
  expect(await store.getCursor('email:cursor')).toBe('keep');
  const aMinuteAgo = new Date(Date.now() - 60_000).toISOString();
  expect(await store.deleteCursorsBefore('alert:unverified-answers', aMinuteAgo)).toBe(0);
});
