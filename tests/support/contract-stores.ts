import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoStore } from '../../src/store/mongo-store';
import { SqliteStore } from '../../src/store/sqlite-store';
import type { NewTicket, Store } from '../../src/store/store';

/** The stores a contract suite runs against: SQLite always, MongoDB where MONGODB_URL points at a server. */
export type OpenStore = () => Promise<{ store: Store; dispose: () => Promise<void> }>;

export const MONGODB_URL = process.env.MONGODB_URL;

export const openSqlite: OpenStore = async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-store-'));
  const store = new SqliteStore(path.join(dir, 'nested', 'aduan.sqlite'));
  await store.init();
  return { store, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
};

export function openMongo(url: string): OpenStore {
  return async () => {
    const database = `aduan_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const store = new MongoStore(url, database);
    await store.init();
    return {
      store,
      dispose: async () => {
        const { MongoClient } = await import('mongodb');
        const client = await MongoClient.connect(url);
        await client.db(database).dropDatabase();
        await client.close();
      },
    };
  };
}

/** Runs `contract` against every store there is here; says plainly when MongoDB could not be run. */
export function everyStore(contract: (name: string, open: OpenStore) => void, what = 'store contract'): void {
  contract('SQLite', openSqlite);
  if (MONGODB_URL) contract('MongoDB', openMongo(MONGODB_URL));
  else
    describe(`MongoDB ${what}`, () => {
      // Said plainly in the test report: no MongoDB server can be installed on this machine.
      test.skip(`SKIPPED: MONGODB_URL is not set, so the MongoDB run of the ${what} did not happen`, () => undefined);
    });
}

export function newTicket(overrides: Partial<NewTicket> = {}): NewTicket {
  return {
    channel: 'email',
    sourceId: `<${Math.random().toString(36).slice(2)}@mail.example.com>`,
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
    ...overrides,
  };
}
