import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ticket } from '../../../src/domain/complaint';
import { recordExternalAnswer } from '../../../src/pipeline/external-answer';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { NewTicket } from '../../../src/store/store';

/**
 * The entry point for answers given outside aduan (a Page inbox): the same rule as relayed answers
 * (#tanya or the ask flag waits, anything else resolves), recorded once per answer id on the real store.
 */

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-external-'));
  store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
  await store.init();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
async function routedTicket(): Promise<Ticket> {
  const draft: NewTicket = {
    channel: 'messenger',
    sourceId: `m_${++seq}`,
    threadId: `t_${seq}`,
    references: [],
    receivedAt: '2026-12-01T02:00:00.000Z',
    complainant: { name: 'Budi', platformUserId: '7000000000000001' },
    text: 'KTP saya belum jadi',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'routed',
    classification: { category: 'nik-consolidation', confidence: 0.9, evidence: [] },
    targetMinutes: 60,
    dueAt: '2026-12-01T03:00:00.000Z',
    team: 'pendaftaran',
    history: [{ at: '2026-12-01T02:00:00.000Z', event: 'received' }],
  };
  return (await store.insertTicket(draft, 2026)).ticket;
}

const answer = (ticket: Ticket, ref: string, text: string, askFlag?: boolean) => ({
  ticket,
  channel: 'messenger' as const,
  ref,
  text,
  at: '2026-12-01T02:30:00.000Z',
  by: 'Halaman Disdukcapil Dairi',
  ...(askFlag ? { askFlag } : {}),
});

test('a #tanya answer leaves the ticket waiting, once; a retried job records nothing twice', async () => {
  const ticket = await routedTicket();
  expect(await recordExternalAnswer(store, answer(ticket, 'mid.1', '#tanya\nBoleh kirim foto KTP lama?'))).toEqual({
    recorded: true,
    outcome: 'ask',
  });
  expect(await recordExternalAnswer(store, answer(ticket, 'mid.1', '#tanya\nBoleh kirim foto KTP lama?'))).toEqual({
    recorded: false,
    outcome: 'ask',
  });
  const stored = (await store.getTicket(ticket.id))!;
  expect(stored.status).toBe('waiting-citizen');
  expect(stored.history.filter((h) => h.event === 'waiting-citizen')).toEqual([
    expect.objectContaining({
      ref: 'mid.1',
      ask: true,
      by: 'Halaman Disdukcapil Dairi',
      note: 'pertanyaan oleh Halaman Disdukcapil Dairi langsung lewat messenger: Boleh kirim foto KTP lama?',
    }),
  ]);
});

test('a plain answer resolves; the ask flag asks; an answer to a resolved ticket is only a note', async () => {
  const ticket = await routedTicket();
  expect((await recordExternalAnswer(store, answer(ticket, 'mid.2', 'Mohon kirim KK.', true))).outcome).toBe('ask');
  expect((await store.getTicket(ticket.id))!.status).toBe('waiting-citizen');
  const waiting = (await store.getTicket(ticket.id))!;
  expect((await recordExternalAnswer(store, answer(waiting, 'mid.3', 'KTP sudah bisa diambil.'))).outcome).toBe(
    'resolve',
  );
  const resolved = (await store.getTicket(ticket.id))!;
  expect(resolved.status).toBe('resolved');
  await recordExternalAnswer(store, answer(resolved, 'mid.4', 'Sama-sama, Pak.'));
  const after = (await store.getTicket(ticket.id))!;
  expect(after.status).toBe('resolved');
  expect(after.history.map((h) => h.event)).toEqual(['received', 'waiting-citizen', 'resolved', 'note']);
});
