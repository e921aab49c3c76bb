import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load';
import type { ComplaintInput, Ticket } from '../../../src/domain/complaint';
import { createClassifier, routingRules } from '../../../src/main';
import { reclassifyOnFollowUp } from '../../../src/pipeline/follow-up-reclassify';
import type { EffectJob } from '../../../src/pipeline/queues';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { effectKey } from '../../../src/store/store';
import { REPO_CONFIG_DIR } from '../../support/service-harness';

/** The shipped classifier and routing, a real SQLite store; which branch depends on whether the ticket was routed. */
describe('reclassifyOnFollowUp', () => {
  const config = loadConfig(REPO_CONFIG_DIR, { ...process.env, REDIS_URL: 'redis://127.0.0.1:6379', MONGODB_URL: '' });
  const classifier = createClassifier(config, REPO_CONFIG_DIR);
  let dir: string;
  let store: SqliteStore;
  let queued: EffectJob[];
  const deps = () => ({
    store,
    classifier,
    categories: config.categories,
    routing: routingRules(config),
    queue: async (job: EffectJob) => void queued.push(job),
  });
  const result = (c: { category: Ticket['classification']['category']; confidence: number; evidence: string[] }) => ({
    category: c.category,
    confidence: c.confidence,
    evidence: c.evidence,
  });
  const followUp: ComplaintInput = {
    channel: 'messenger',
    sourceId: 'm_2',
    threadId: 'page:7001',
    references: [],
    receivedAt: '2026-11-30T02:05:00.000Z',
    complainant: { platformUserId: '7001' },
    text: 'NIK saya ditolak waktu daftar BPJS Kesehatan karena data tidak padan. Mohon dibantu konsolidasi.',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
  };
  async function vagueTicket(): Promise<Ticket> {
    const { ticket } = await store.insertTicket(
      {
        ...followUp,
        sourceId: 'm_1',
        text: 'Min, saya ada urusan yang belum selesai, bagaimana ini?',
        status: 'received',
        classification: { category: 'other', confidence: 0.44, evidence: ['urusan'], triage: 'low-confidence' },
        targetMinutes: 1440,
        dueAt: '2026-12-01T02:00:00.000Z',
        team: 'triase',
        history: [{ at: '2026-11-30T02:00:00.000Z', event: 'received' }],
      },
      2026,
    );
    return ticket;
  }
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-reclassify-'));
    store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
    await store.init();
    queued = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('before routing: the kind and the team change, nothing is re-routed', async () => {
    const ticket = await vagueTicket();
    expect(await reclassifyOnFollowUp(deps(), ticket, followUp, result)).toBe(true);
    const after = (await store.getTicket(ticket.id))!;
    expect(after).toMatchObject({ team: 'piak', classification: { category: 'nik-consolidation' } });
    expect(after.history.map((h) => h.event)).toEqual(['received', 'classified']);
    expect(queued).toEqual([]);
  });

  it('after routing: re-routed with the reason and the reroute effect; a second run changes nothing', async () => {
    const ticket = await vagueTicket();
    await store.beginEffect(effectKey(ticket.id, 'route'), ticket.id, 'route', 60_000);
    await store.completeEffect(effectKey(ticket.id, 'route'), 'sent');
    await reclassifyOnFollowUp(deps(), ticket, followUp, result);
    const after = (await store.getTicket(ticket.id))!;
    expect(after.team).toBe('piak');
    expect(after.history.find((h) => h.event === 'rerouted')!.note).toBe(
      'dari triase ke piak. Alasan: diklasifikasi ulang sebagai Konsolidasi NIK setelah pesan lanjutan warga',
    );
    expect(queued).toEqual([{ ticketId: ticket.id, effects: ['reroute'], ref: expect.stringMatching(/^rr-/) }]);
    expect(await reclassifyOnFollowUp(deps(), after, followUp, result)).toBe(false);
    expect(queued).toHaveLength(1);
  });

  it('leaves alone a clear kind, a resolved ticket, a follow-up with nothing to classify, one still unclear', async () => {
    const ticket = await vagueTicket();
    expect(await reclassifyOnFollowUp(deps(), { ...ticket, status: 'resolved' }, followUp, result)).toBe(false);
    const clear = {
      ...ticket,
      classification: { category: 'domicile-certificate' as const, confidence: 0.9, evidence: [] },
    };
    expect(await reclassifyOnFollowUp(deps(), clear, followUp, result)).toBe(false);
    const chatter = { ...followUp, text: 'terima kasih min 🙏', meta: { chatter: 'greeting' } };
    expect(await reclassifyOnFollowUp(deps(), ticket, chatter, result)).toBe(false);
    const vagueAgain = { ...followUp, text: 'bagaimana ya min?' };
    expect(await reclassifyOnFollowUp(deps(), ticket, vagueAgain, result)).toBe(false);
    expect((await store.getTicket(ticket.id))!.classification.category).toBe('other');
  });
});
