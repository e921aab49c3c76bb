import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { FixedClock } from '../../../src/domain/clock';
import type { OfficeCalendar } from '../../../src/domain/sla';
import { createLogger } from '../../../src/lib/logger';
import { deleteKeysWithPrefix } from '../../../src/lib/redis-keys';
import { effectJobId, type EffectJob } from '../../../src/pipeline/queues';
import { SlaSweep } from '../../../src/pipeline/sla-sweep';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { effectKey, type NewTicket } from '../../../src/store/store';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ALWAYS_OPEN: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, '00:00-24:00'])),
  holidays: [],
};

function ticket(receivedAt: string, dueAt: string, extra: Partial<NewTicket> = {}): NewTicket {
  return {
    channel: 'call-center',
    sourceId: `log.csv#${Math.random().toString(36).slice(2)}`,
    references: [],
    receivedAt,
    complainant: { phone: '+6281210000001' },
    text: 'Menanyakan KTP-el',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'routed',
    targetMinutes: 30,
    dueAt,
    team: 'pendaftaran',
    classification: { category: 'population-data-check', confidence: 0.9, evidence: [] },
    history: [{ at: receivedAt, event: 'received' }],
    ...extra,
  };
}

/** The sweep decides on the service's clock: tests with fixed dates stay true whenever they run. */
describe('SLA sweep on an injected clock', () => {
  const prefix = `aduan-test-slaclock-${process.pid}`;
  let dir: string;
  let store: SqliteStore;
  let connection: IORedis;
  let effects: Queue<EffectJob>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-slaclock-'));
    store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
    await store.init();
    connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    effects = new Queue<EffectJob>('effects', { connection, prefix });
  });
  afterEach(async () => {
    await effects.close();
    connection.disconnect();
    await deleteKeysWithPrefix(REDIS_URL, prefix);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('escalates when the clock passes the due time, and never a historical ticket', async () => {
    const clock = new FixedClock(new Date());
    const now = clock.now().getTime();
    const at = (m: number) => new Date(now + m * 60_000).toISOString();
    const { ticket: live } = await store.insertTicket(ticket(at(-20), at(10)), 2026);
    const { ticket: old } = await store.insertTicket(
      ticket(at(-60 * 24 * 30), at(-60 * 24 * 29), { status: 'resolved', historicalImport: 'call-center@test' }),
      2026,
    );
    for (const id of [live.id, old.id]) {
      await store.beginEffect(effectKey(id, 'route'), id, 'route', 60_000);
      await store.completeEffect(effectKey(id, 'route'), 'ok');
    }
    const log = createLogger({ level: 'silent' });
    const sweep = new SlaSweep({
      store,
      effects,
      calendar: ALWAYS_OPEN,
      reminderAtShare: 0.9,
      intervalMs: 60_000,
      log,
      clock,
    });
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 0 });
    clock.advance(11 * 60_000);
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 1 });
    const jobs = await effects.getJobs(['waiting']);
    expect(jobs.map((j) => j.data)).toEqual([{ ticketId: live.id, effects: ['escalate'] }]);
  });
  it('times the reminder from when a report reached the office, not from its own (LAPOR! submission) date', async () => {
    const clock = new FixedClock(new Date());
    const now = clock.now().getTime();
    const at = (m: number) => new Date(now + m * 60_000).toISOString();
    // Submitted on LAPOR! eight days ago, disposed to the office 20 minutes ago; 30-minute target.
    const { ticket: report } = await store.insertTicket(
      ticket(at(-8 * 24 * 60), at(10), { channel: 'lapor', arrivedAt: at(-20) }),
      2026,
    );
    await store.beginEffect(effectKey(report.id, 'route'), report.id, 'route', 60_000);
    await store.completeEffect(effectKey(report.id, 'route'), 'ok');
    const sweep = new SlaSweep({
      store,
      effects,
      calendar: ALWAYS_OPEN,
      reminderAtShare: 0.9,
      intervalMs: 60_000,
      log: createLogger({ level: 'silent' }),
      clock,
    });
    // 90 % of the 30 minutes since arrival is 27 minutes: not yet at 20.
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 0 });
    clock.advance(8 * 60_000);
    expect(await sweep.runOnce()).toEqual({ reminders: 1, escalations: 0 });
  });

  it("after a reopening queues the new period's reminder and escalation, each once however often it runs", async () => {
    const clock = new FixedClock(new Date());
    const now = clock.now().getTime();
    const at = (m: number) => new Date(now + m * 60_000).toISOString();
    const { ticket: t } = await store.insertTicket(ticket(at(-40), at(-10)), 2026);
    const done = async (kind: string) => {
      await store.beginEffect(effectKey(t.id, kind), t.id, kind, 60_000);
      await store.completeEffect(effectKey(t.id, kind), 'ok');
    };
    for (const kind of ['route', 'remind', 'escalate']) await done(kind); // period 0: reminded, escalated
    const sweep = new SlaSweep({
      store,
      effects,
      calendar: ALWAYS_OPEN,
      reminderAtShare: 0.5,
      intervalMs: 60_000,
      log: createLogger({ level: 'silent' }),
      clock,
    });
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 0 });
    await store.appendHistory(t.id, { at: at(-5), event: 'resolved' }, 'resolved');
    // Reopened now with 30 minutes: the reminder falls due in 15, the escalation in 30.
    await store.attachFollowUp(
      t.id,
      'call-center',
      'log.csv#lagi',
      { at: at(0), event: 'reopened' },
      {
        status: 'reopened',
        dueAt: at(30),
      },
    );
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 0 });
    clock.advance(15 * 60_000);
    expect(await sweep.runOnce()).toEqual({ reminders: 1, escalations: 0 });
    expect(await sweep.runOnce()).toEqual({ reminders: 1, escalations: 0 }); // the same job id: not queued again
    await done('remind@1');
    clock.advance(15 * 60_000);
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 1 });
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 1 });
    const jobs = await effects.getJobs(['waiting']);
    expect(jobs.map((j) => j.data).sort((a, b) => a.effects[0]!.localeCompare(b.effects[0]!))).toEqual([
      { ticketId: t.id, effects: ['escalate'], ref: '1' },
      { ticketId: t.id, effects: ['remind'], ref: '1' },
    ]);
    // Their ids differ from period 0's, whose jobs may still be kept by the queue.
    expect(jobs.map((j) => j.id)).not.toContain(effectJobId({ ticketId: t.id, effects: ['escalate'] }));
    expect(new Set(jobs.map((j) => j.id)).size).toBe(2);
    await done('escalate@1');
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 0 });
  });
});
