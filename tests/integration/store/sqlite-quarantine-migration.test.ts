import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../src/store/sqlite-store';

test('a database made before quarantine deduplication keeps its records and deduplicates new ones', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aduan-quarantine-'));
  try {
    const file = path.join(dir, 'aduan.db');
    const old = new Database(file);
    old.exec(
      'CREATE TABLE quarantine (id TEXT PRIMARY KEY, channel TEXT NOT NULL, source_id TEXT, reason TEXT NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL)',
    );
    old
      .prepare('INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?)')
      .run('old-1', 'perkebbas', 'PKB-2', 'old', '{}', '2026-11-01T00:00:00.000Z');
    old.close();

    const store = new SqliteStore(file);
    await store.init();
    const record = { channel: 'perkebbas', sourceId: 'PKB-2', reason: 'new', payload: '{}' };
    const first = await store.quarantine(record);
    expect(first.repeated).toBeUndefined(); // the old row has no key: it never hides a new record
    expect((await store.quarantine(record)).repeated).toBe(true);
    expect((await store.listQuarantine()).map((q) => q.id)).toEqual([first.id, 'old-1']);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
