import path from 'node:path';
import { validateComplaint, type ComplaintInput } from '../../../src/domain/complaint';
import { createLogger } from '../../../src/lib/logger';
import { CitizenDirectory } from '../../../src/pipeline/citizen-directory';
import type { EffectJob } from '../../../src/pipeline/queues';
import { StatusAnswers, STATUS_NOT_FOUND_PER_HOUR } from '../../../src/pipeline/status-answers';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { createTestEnv, type TestEnv } from '../../support/service-harness';

/**
 * The caps of the automatic status answer against a sender who forges their address (email From is anyone's to
 * write): "tidak ditemukan" goes to whatever address wrote, so without caps the office would mail anyone, as
 * often as asked. The per-sender cap counts one mailbox however its address is spelled, and all "not found"
 * answers together are capped per hour.
 */

describe('status answer caps', () => {
  let env: TestEnv;
  let store: SqliteStore;
  let jobs: EffectJob[];
  let answers: StatusAnswers;
  beforeEach(async () => {
    env = createTestEnv();
    store = new SqliteStore(path.join(env.dir, 'aduan.sqlite'));
    await store.init();
    jobs = [];
    answers = new StatusAnswers({
      store,
      citizens: new CitizenDirectory(store, new Set()),
      log: createLogger({ level: 'silent' }),
      queue: async (job) => {
        jobs.push(job);
      },
      perHour: 5,
    });
  });
  afterEach(async () => {
    await store.close();
    await env.cleanup();
  });

  let seq = 0;
  function question(from: string): ComplaintInput {
    const checked = validateComplaint({
      channel: 'email',
      sourceId: `<q-${++seq}@forged.example>`,
      receivedAt: new Date().toISOString(),
      complainant: { email: from },
      text: 'Sudah sampai mana pengaduan saya?',
    });
    if (!checked.ok) throw new Error(checked.reason);
    return checked.complaint;
  }

  test('one mailbox spelled in other cases is one sender', async () => {
    const spellings = ['korban@example.com', 'Korban@example.com', 'KORBAN@example.com', 'korban@Example.com'];
    const outcomes = [];
    for (const from of [...spellings, ...spellings.map((s) => s.replace('korban', 'KORban'))])
      outcomes.push(await answers.take(question(from)));
    expect(outcomes.every((o) => o?.kind === 'not-found')).toBe(true);
    expect(outcomes.filter((o) => o && !o.limited)).toHaveLength(5);
    expect(jobs).toHaveLength(5);
  });

  test('"not found" to everyone together is capped per hour', async () => {
    for (let i = 0; i < STATUS_NOT_FOUND_PER_HOUR + 5; i++) await answers.take(question(`orang${i}@example.net`));
    expect(jobs).toHaveLength(STATUS_NOT_FOUND_PER_HOUR);
  });
});
