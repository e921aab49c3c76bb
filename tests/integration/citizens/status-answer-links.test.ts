import type { ComplaintInputDraft, Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { statusNotFoundOwner } from '../../../src/pipeline/status-answers';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { emailComplaint, submitAndWait } from './citizen-env';

/**
 * Whose tickets a status question may see (issue #22 §2). A NIK is written by whoever writes it: a stranger
 * who types a citizen's NIK into a complaint of their own has their record linked to that citizen's by the
 * system, but must not read that citizen's ticket status (its step, the office's answer) back. A link staff
 * made after checking (an ID card at the counter) still counts.
 */

jest.setTimeout(60_000);

const NIK = '1211045706890002';
const VICTIM = 'Mohon konsolidasi NIK saya, ditolak BPJS Kesehatan karena tidak padan.';
const STRANGER = 'Saya mau tanya syarat pindah domisili ke Kota Medan, dokumen apa saja yang dibawa?';

describe('status answer and linked citizen records', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  /** Submits a status question and waits for what intake decided: the answer on `ticket` or "not found". */
  async function ask(s: RunningService, draft: ComplaintInputDraft, ticket: Ticket): Promise<'status' | 'not-found'> {
    expect(await s.sink.submit(draft, { channel: draft.channel })).toEqual({ status: 'queued' });
    return waitFor(
      async () => {
        const after = await s.store.getTicket(ticket.id);
        if (after?.history.some((h) => h.event === 'status-question' && h.ref === draft.sourceId)) return 'status';
        const owner = statusNotFoundOwner(draft.channel, draft.sourceId);
        if (await s.store.getEffect(`${owner}:status-not-found`)) return 'not-found';
        return undefined;
      },
      15_000,
      'the status decision',
    );
  }

  test('a record linked only by a NIK typed in a complaint reads "not found", not the other citizen\'s status', async () => {
    env = createTestEnv();
    const s = (service = await startTestService(env));
    const victim = await submitAndWait(s, emailComplaint('rugun@example.com', `${VICTIM} NIK ${NIK}`));
    const own = await submitAndWait(s, emailComplaint('penipu@example.net', `${STRANGER} NIK saya ${NIK}`));
    // The system linked the two records by the NIK (the team sees them as one person).
    const victimRecord = (await s.store.citizenOfTicket(victim.id))!;
    expect(await s.store.linkedCitizens((await s.store.citizenOfTicket(own.id))!)).toContain(victimRecord);

    const probe = emailComplaint('penipu@example.net', `cek status ${victim.ticketNumber}`);
    expect(await ask(s, probe, victim)).toBe('not-found');
    expect((await s.store.getTicket(victim.id))!.history.some((h) => h.event === 'status-question')).toBe(false);
  });

  test('a NIK link staff confirmed after checking is answered', async () => {
    env = createTestEnv();
    const s = (service = await startTestService(env));
    const ticket = await submitAndWait(s, emailComplaint('rugun@example.com', `${VICTIM} NIK ${NIK}`));
    const other = await submitAndWait(s, emailComplaint('rugun.kantor@example.org', `${STRANGER} NIK saya ${NIK}`));
    const [a, b] = [(await s.store.citizenOfTicket(ticket.id))!, (await s.store.citizenOfTicket(other.id))!];
    expect(await s.store.linkedCitizens(b)).toContain(a);
    const confirmed = { a, b, reason: 'KTP diperiksa di loket', by: 'operator:rina', at: new Date().toISOString() };
    expect(await s.store.linkCitizens(confirmed)).toBe(true);
    const question = emailComplaint('rugun.kantor@example.org', `cek status ${ticket.ticketNumber}`);
    expect(await ask(s, question, ticket)).toBe('status');
  });

  test('a record staff linked to the citizen’s is answered', async () => {
    env = createTestEnv();
    const s = (service = await startTestService(env));
    const ticket = await submitAndWait(s, emailComplaint('rugun@example.com', VICTIM));
    const other = await submitAndWait(s, emailComplaint('rugun.kantor@example.org', STRANGER));
    await s.store.linkCitizens({
      a: (await s.store.citizenOfTicket(ticket.id))!,
      b: (await s.store.citizenOfTicket(other.id))!,
      reason: 'datang ke loket dengan KTP',
      by: 'operator:rina',
      at: new Date().toISOString(),
    });
    const question = emailComplaint('rugun.kantor@example.org', `cek status ${ticket.ticketNumber}`);
    expect(await ask(s, question, ticket)).toBe('status');
  });
});
