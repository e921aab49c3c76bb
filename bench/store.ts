/**
 * The store's share of a complaint: the writes and reads the pipeline makes per complaint (intake inbox,
 * threading lookup, ticket insert, ticket read, two effects begun and completed with history), from
 * CONCURRENCY complaints at a time, so the group commit batches as it does under load. Prints wall and
 * CPU microseconds per complaint and the database size per complaint.
 *   npm run build && node dist/bench/store.js [N] [CONCURRENCY]
 * BENCH_DIR: where the database goes (default: the system's temporary folder).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewTicket } from '../src/store/store';
import { SqliteStore } from '../src/store/sqlite-store';

const N = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 30);

function newTicket(i: number): NewTicket {
  const now = new Date().toISOString();
  return {
    channel: 'email',
    sourceId: `<${Math.random().toString(36).slice(2)}.${i}@bench.test>`,
    references: [],
    receivedAt: now,
    complainant: { name: `Warga ${i}`, email: `bench-${i}@bench.test` },
    subject: 'Pengaduan',
    text: 'min sy lupa password perkebbas gk bs login tlg dibantu',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'received',
    classification: { category: 'perkebbas-account', confidence: 0.9, evidence: ['password', 'perkebbas'] },
    targetMinutes: 15,
    dueAt: now,
    team: 'layanan-online',
    history: [
      { at: now, event: 'received' },
      { at: now, event: 'classified', note: 'perkebbas-account (0.90)' },
    ],
  };
}

async function oneComplaint(store: SqliteStore, i: number): Promise<void> {
  const ticket = newTicket(i);
  await store.acceptIntake('email', ticket.sourceId, JSON.stringify(ticket));
  await store.findByMessageRefs('email', [ticket.sourceId]);
  const { ticket: stored } = await store.insertTicket(ticket, 2026);
  await store.getTicket(stored.id);
  for (const [kind, event, status] of [
    ['route', 'routed', 'routed'],
    ['respond', 'acknowledged', 'acknowledged'],
  ] as const) {
    const key = `${stored.id}:${kind}`;
    await store.beginEffect(key, stored.id, kind, 60_000);
    await store.completeEffect(key, 'outbox: bench.eml', {
      entry: { at: new Date().toISOString(), event, note: 'bench' },
      status,
    });
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'aduan-store-bench-'));
  const file = path.join(dir, 'aduan.sqlite');
  const store = new SqliteStore(file);
  await store.init();
  let next = 0;
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) await oneComplaint(store, next++);
    }),
  );
  const wallUs = Number(process.hrtime.bigint() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  console.log(`store, ${N} complaints, ${CONCURRENCY} at a time, files in ${dir}`);
  console.log(
    `  ${(wallUs / N).toFixed(1)} µs per complaint (wall), ${((cpu.user + cpu.system) / N).toFixed(1)} µs CPU; database ${(statSync(file).size / N).toFixed(0)} bytes per complaint`,
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
