import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { OfficeCalendar } from '../../../src/domain/sla';
import { createLogger } from '../../../src/lib/logger';
import { deleteKeysWithPrefix } from '../../../src/lib/redis-keys';
import type { EffectJob } from '../../../src/pipeline/queues';
import { SlaSweep } from '../../../src/pipeline/sla-sweep';
import { resumedDueAt } from '../../../src/domain/ticket-life';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { effectKey, type NewTicket } from '../../../src/store/store';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Open around the clock: working minutes are wall minutes, so the times below read plainly. */
const ALWAYS_OPEN: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, '00:00-24:00'])),
  holidays: [],
};
const NOW = Date.parse('2026-11-30T03:00:00.000Z');
const minutes = (m: number) => new Date(NOW + m * 60_000).toISOString();

function ticket(receivedAt: string, dueAt: string): NewTicket {
  return {
    channel: 'email',
    sourceId: `<${Math.random().toString(36).slice(2)}@mail.example.com>`,
    references: [],
    receivedAt,
    complainant: { name: 'Rosmawati', email: 'rosma@example.com' },
    text: 'Mohon surat keterangan domisili',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'routed',
    targetMinutes: 30,
    dueAt,
    team: 'pendaftaran',
    classification: { category: 'domicile-certificate', confidence: 0.9, evidence: [] },
    history: [{ at: receivedAt, event: 'received' }],
  };
}

describe('SLA sweep (real SQLite store, real Redis queue)', () => {
  let dir: string;
  let store: SqliteStore;
  let connection: IORedis;
  let effects: Queue<EffectJob>;
  let sweep: SlaSweep;
  const prefix = `aduan-test-sla-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-sla-'));
    store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
    await store.init();
    connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    effects = new Queue<EffectJob>('effects', { connection, prefix });
    const log = createLogger({ level: 'silent' });
    sweep = new SlaSweep({ store, effects, calendar: ALWAYS_OPEN, reminderAtShare: 0.5, intervalMs: 60_000, log });
  });
  afterEach(async () => {
    await effects.close();
    connection.disconnect();
    await deleteKeysWithPrefix(REDIS_URL, prefix);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const done = async (ticketId: string, kind: string) => {
    await store.beginEffect(effectKey(ticketId, kind), ticketId, kind, 60_000);
    await store.completeEffect(effectKey(ticketId, kind), 'ok');
  };
  const insert = async (receivedAt: string, dueAt: string, doneKinds: string[]) => {
    const { ticket: t } = await store.insertTicket(ticket(receivedAt, dueAt), 2026);
    for (const kind of doneKinds) await done(t.id, kind);
    return t.id;
  };
  const queued = async () =>
    (await effects.getJobs(['waiting'])).map((job) => `${job.data.ticketId}:${job.data.effects.join('+')}`).sort();

  test('queues the reminder at its share and the escalation at the due time, each once, for routed open tickets only', async () => {
    const early = await insert(minutes(-10), minutes(20), ['route']); // reminder at -10 + 15 = +5 min
    const remindNow = await insert(minutes(-20), minutes(10), ['route']); // reminder was due at -5 min
    const overdue = await insert(minutes(-31), minutes(-1), ['route']); // overdue, never reminded: escalation only
    const reminded = await insert(minutes(-20), minutes(10), ['route', 'remind']);
    const notRouted = await insert(minutes(-40), minutes(-10), []);
    const escalated = await insert(minutes(-40), minutes(-10), ['route', 'remind', 'escalate']);
    const resolved = await insert(minutes(-40), minutes(-10), ['route']);
    await store.appendHistory(resolved, { at: minutes(-5), event: 'resolved' }, 'resolved');

    expect(await sweep.runOnce(NOW)).toEqual({ reminders: 1, escalations: 1 });
    expect(await queued()).toEqual([`${remindNow}:remind`, `${overdue}:escalate`].sort());

    // A second pass while those jobs wait queues nothing new.
    await sweep.runOnce(NOW + 1000);
    expect(await queued()).toHaveLength(2);

    // Later: the early ticket's reminder and the reminded ticket's escalation fall due.
    await sweep.runOnce(NOW + 11 * 60_000);
    const later = await queued();
    expect(later).toEqual(expect.arrayContaining([`${early}:remind`, `${reminded}:escalate`, `${remindNow}:escalate`]));
    expect(later.filter((j) => j.startsWith(notRouted) || j.startsWith(escalated) || j.startsWith(resolved))).toEqual(
      [],
    );
  });

  test('a reminder done by then is not queued again; a ticket escalated leaves the sweep', async () => {
    const id = await insert(minutes(-20), minutes(10), ['route']);
    await sweep.runOnce(NOW);
    await effects.obliterate({ force: true }); // Redis lost the job, the store still says: not reminded
    expect(await sweep.runOnce(NOW)).toEqual({ reminders: 1, escalations: 0 });
    await done(id, 'remind');
    await effects.obliterate({ force: true });
    expect(await sweep.runOnce(NOW)).toEqual({ reminders: 0, escalations: 0 });
    expect(await sweep.runOnce(NOW + 15 * 60_000)).toEqual({ reminders: 0, escalations: 1 });
    await done(id, 'escalate');
    expect(await sweep.runOnce(NOW + 60 * 60_000)).toEqual({ reminders: 0, escalations: 0 });
  });

  test('a ticket waiting on the citizen is neither reminded nor escalated; its reply restarts the clock, moved on', async () => {
    const id = await insert(minutes(-20), minutes(10), ['route']);
    // The team asked the citizen at -18 (two minutes after it arrived): the clock paused there.
    await store.appendHistory(id, { at: minutes(-18), event: 'waiting-citizen' }, 'waiting-citizen');
    expect(await sweep.runOnce(NOW)).toEqual({ reminders: 0, escalations: 0 });
    expect(await sweep.runOnce(NOW + 60 * 60_000)).toEqual({ reminders: 0, escalations: 0 });
    // The citizen replies at +60: the wait (78 minutes) moves the due time from +10 to +88.
    const resumed = resumedDueAt(
      { dueAt: minutes(10), waitingSince: minutes(-18), repliedAt: minutes(60) },
      ALWAYS_OPEN,
    );
    expect(resumed).toEqual({ dueAt: minutes(88), waitedMinutes: 78 });
    const entry = { at: minutes(60), event: 'citizen-replied' as const, ref: '<balas@x>', waitedMinutes: 78 };
    await store.attachFollowUp(id, 'email', '<balas@x>', entry, { status: 'routed', dueAt: resumed.dueAt });
    // Back in the sweep: at +61 the reminder checkpoint (half way from arrival to the moved due time: +34) is
    // past, the due time is not; at +88 it is.
    expect(await sweep.runOnce(NOW + 61 * 60_000)).toEqual({ reminders: 1, escalations: 0 });
    await done(id, 'remind');
    expect(await sweep.runOnce(NOW + 87 * 60_000)).toEqual({ reminders: 0, escalations: 0 });
    expect(await sweep.runOnce(NOW + 88 * 60_000)).toEqual({ reminders: 0, escalations: 1 });
  });
});
