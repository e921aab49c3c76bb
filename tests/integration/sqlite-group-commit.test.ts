import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store';
import { effectKey, type NewTicket } from '../../src/store/store';

/**
 * SQLite group commit: writes arriving in the same turn of the event loop share one transaction.
 * What callers rely on must not change: each promise settles with its own outcome, only after the
 * commit, and a resolved write survives a crash.
 */

const REPO = path.resolve(__dirname, '..', '..');

function newTicket(sourceId: string): NewTicket {
  return {
    channel: 'email',
    sourceId,
    references: [],
    receivedAt: '2026-11-30T02:00:00.000Z',
    complainant: { name: 'Rosmawati', email: 'rosma@example.com' },
    text: 'Mohon surat keterangan domisili',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'received',
    classification: { category: 'domicile-certificate', confidence: 0.9, evidence: ['domisili'] },
    targetMinutes: 30,
    dueAt: '2026-11-30T02:30:00.000Z',
    team: 'pendaftaran',
    history: [{ at: '2026-11-30T02:00:00.000Z', event: 'received' }],
  };
}

describe('SQLite group commit', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-group-commit-'));
    file = path.join(dir, 'aduan.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a failing write in a batch rejects only its caller; the others are committed', async () => {
    const store = new SqliteStore(file);
    await store.init();
    const { ticket } = await store.insertTicket(newTicket('<first@x>'), 2026);
    // A batch of one failing write.
    await expect(store.appendHistory('missing', { at: 'x', event: 'note' })).rejects.toThrow(/not found/);
    // All issued in one tick: one batch. The failing writes send it round again, each write in a savepoint.
    const results = await Promise.allSettled([
      store.acceptIntake('email', '<a@x>', '{}'),
      store.completeEffect(effectKey(ticket.id, 'never'), 'x'), // throws inside the batch
      store.insertTicket(newTicket('<second@x>'), 2026),
      store.appendHistory('missing', { at: 'x', event: 'note' }), // no such ticket: throws
      store.appendHistory(ticket.id, { at: 'y', event: 'note', note: 'catatan' }),
      store.beginEffect(effectKey(ticket.id, 'route'), ticket.id, 'route', 60_000),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(
      expect.objectContaining({ message: expect.stringMatching(/never begun/) }),
    );
    expect((results[3] as PromiseRejectedResult).reason).toEqual(
      expect.objectContaining({ message: expect.stringMatching(/not found/) }),
    );
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'new' });
    expect(results[5]).toEqual({ status: 'fulfilled', value: 'new' });
    await store.close();

    // A fresh connection sees exactly the writes that resolved.
    const again = new SqliteStore(file);
    await again.init();
    expect(await again.countTickets()).toBe(2);
    expect((await again.getTicket(ticket.id))?.history.map((h) => h.event)).toEqual(['received', 'note']);
    expect(await again.getEffect(effectKey(ticket.id, 'never'))).toBeUndefined();
    expect((await again.getEffect(effectKey(ticket.id, 'route')))?.state).toBe('started');
    expect(await again.listPendingIntake('9999', 10)).toEqual([
      { channel: 'email', sourceId: '<a@x>', payload: '{}', acceptedAt: expect.any(String) },
    ]);
    await again.close();
  });

  test('every commit is synced to disk (synchronous=FULL): a power cut after an acknowledgement loses nothing', async () => {
    const store = new SqliteStore(file);
    await store.init();
    const db = (store as unknown as { db: { pragma(p: string, o: { simple: true }): unknown } }).db;
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL (1 = NORMAL)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();
  });

  test('writes in one batch see each other in order (ticket numbers, effect leases)', async () => {
    const store = new SqliteStore(file);
    await store.init();
    const { ticket } = await store.insertTicket(newTicket('<t@x>'), 2026);
    const key = effectKey(ticket.id, 'respond');
    const [first, second, ...inserts] = await Promise.all([
      store.beginEffect(key, ticket.id, 'respond', 60_000),
      store.beginEffect(key, ticket.id, 'respond', 60_000),
      store.insertTicket(newTicket('<u@x>'), 2026),
      store.insertTicket(newTicket('<u@x>'), 2026),
    ]);
    expect([first, second]).toEqual(['new', 'busy']);
    expect(inserts.map((r) => (r as { created: boolean }).created)).toEqual([true, false]);
    await store.close();
  });

  test('writes queued when the store closes are committed before it closes; later ones are refused', async () => {
    const store = new SqliteStore(file);
    await store.init();
    const queued = store.acceptIntake('email', '<late@x>', '{}');
    await store.close();
    await expect(queued).resolves.toBe('new');
    await expect(store.acceptIntake('email', '<after@x>', '{}')).rejects.toThrow(/closed/);
    const again = new SqliteStore(file);
    await again.init();
    expect((await again.listPendingIntake('9999', 10)).map((e) => e.sourceId)).toEqual(['<late@x>']);
    await again.close();
  });

  test('a write whose promise resolved survives the process being killed right after', async () => {
    // The compiled store (npm test builds first), in a process that SIGKILLs itself as soon as one write resolves.
    const script = `
      const { SqliteStore } = require(${JSON.stringify(path.join(REPO, 'dist', 'src', 'store', 'sqlite-store.js'))});
      const store = new SqliteStore(${JSON.stringify(file)});
      store.init().then(async () => {
        const writes = Array.from({ length: 50 }, (_, i) => store.acceptIntake('email', '<crash-' + i + '@x>', '{}'));
        await writes[0];
        process.kill(process.pid, 'SIGKILL');
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, sig) => resolve(sig)),
    );
    expect(signal).toBe('SIGKILL');
    const store = new SqliteStore(file);
    await store.init();
    const pending = (await store.listPendingIntake('9999', 100)).map((e) => e.sourceId);
    expect(pending).toContain('<crash-0@x>');
    await store.close();
  });
});
