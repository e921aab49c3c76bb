import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { PoisonGuard } from '../../../src/channels/poison-guard';
import { AdminAlerts } from '../../../src/ops/admin-alerts';
import type { OutgoingMessage } from '../../../src/outbound/message';
import { TransientError } from '../../../src/lib/errors';
import { SqliteStore } from '../../../src/store/sqlite-store';

/** The poison-message guard on a real SQLite store: attempts survive a restart, the Nth quarantines. */

let dir: string;
let store: SqliteStore;
let sent: OutgoingMessage[];
const log = pino({ level: 'silent' });

function guard(budgetMs = 10_000, clock?: () => number): PoisonGuard {
  const alerts = new AdminAlerts(
    store,
    { deliver: async (m) => (sent.push(m), m.id) },
    { adminEmails: ['admin@dairikab.go.id'], repeatAfterMinutes: 60 },
    log,
  );
  return new PoisonGuard(
    store,
    alerts,
    log,
    { maxAttempts: 3, budgetMs, rawFolder: path.join(dir, 'quarantine') },
    clock,
  );
}

const message = (key: string) => ({
  scope: 'email:kantor/INBOX',
  channel: 'email',
  key,
  origin: `kantor/INBOX#${key}`,
  raw: () => Buffer.from(`raw bytes of ${key}\u0000\u00ff`),
});

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-poison-'));
  store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
  await store.init();
  sent = [];
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a reading that throws is retried, and on the third failure quarantined with its raw bytes and one alert', async () => {
  const failing = () => {
    throw new TypeError('Cannot read properties of undefined');
  };
  await expect(guard().read(message('7:42'), failing)).rejects.toBeInstanceOf(TransientError);
  // A restart in between: the count is in the store.
  await expect(guard().read(message('7:42'), failing)).rejects.toThrow(/attempt 2 of 3/);
  const third = await guard().read(message('7:42'), failing);
  expect(third).toEqual({
    kind: 'quarantined',
    reason: expect.stringContaining('TypeError: Cannot read properties of undefined'),
  });

  const [record] = await store.listQuarantine(10);
  expect(record).toMatchObject({ channel: 'email', reason: expect.stringContaining('poison message') });
  const payload = JSON.parse(record!.payload) as { rawFile: string; attempts: number; origin: string };
  expect(payload).toMatchObject({ attempts: 3, origin: 'kantor/INBOX#7:42' });
  expect(readFileSync(payload.rawFile)).toEqual(Buffer.from('raw bytes of 7:42\u0000\u00ff'));
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({
    purpose: 'alert',
    to: ['admin@dairikab.go.id'],
    subject: expect.stringContaining('pesan bermasalah disisihkan'),
  });

  // The next message flows, and the count starts again for it.
  expect(await guard().read(message('7:43'), () => 'ok')).toEqual({ kind: 'read', value: 'ok' });
  expect(await store.getCursor('poison:email:kantor/INBOX')).toBe('');
});

it('a reading over the time budget counts as a failed attempt', async () => {
  let now = 0;
  const slowClock = () => (now += 6_000);
  const g = guard(5_000, slowClock);
  await expect(g.read(message('9:1'), () => 'late')).rejects.toThrow(/over the budget of 5000 ms/);
  await expect(g.read(message('9:1'), () => 'late')).rejects.toThrow(/attempt 2 of 3/);
  expect(await g.read(message('9:1'), () => 'late')).toMatchObject({ kind: 'quarantined' });
  expect(existsSync(path.join(dir, 'quarantine'))).toBe(true);
});

it('a success after a failure forgets the failure', async () => {
  const g = guard();
  await expect(g.read(message('3:1'), () => Promise.reject(new Error('sebentar')))).rejects.toThrow(TransientError);
  expect(await g.read(message('3:1'), () => 1)).toEqual({ kind: 'read', value: 1 });
  await expect(g.read(message('3:2'), () => Promise.reject(new Error('lain')))).rejects.toThrow(/attempt 1 of 3/);
  expect(await store.listQuarantine(10)).toHaveLength(0);
});
