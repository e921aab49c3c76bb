import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { ComplaintInputDraft, Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { effectKey } from '../../../src/store/store';
import { hashId } from '../../../src/pipeline/queues';
import { createTestEnv, outboxMessages, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { emailComplaint, submitAndWait } from './citizen-env';

/**
 * Same problem, one ticket — and a NIK proves nothing about who writes it (it is printed on every KTP). A
 * stranger who types a citizen's NIK into a complaint of the kind of that citizen's open ticket is joined to it
 * (one ticket, one clock; the team is told the link is by NIK only), but is told nothing of that ticket: not its
 * number, kind or dates, not in the text, the subject, the Message-ID nor the reply address. A sender's own
 * record and a record staff linked are told the number as before.
 */

jest.setTimeout(60_000);

const NIK = '1211045706890002';
const KONSOLIDASI = 'NIK saya ditolak waktu daftar BPJS Kesehatan, katanya tidak padan. Mohon konsolidasi NIK saya.';
const KONSOLIDASI_2 = 'Saya sudah lapor sebelumnya: NIK tidak padan di BPJS Kesehatan, mohon konsolidasi NIK segera.';
const PINDAH = 'Saya mau tanya syarat pindah domisili ke Kota Medan, dokumen apa saja yang dibawa?';
const UNNAMED =
  'Pengaduan Anda sudah kami terima dan kami gabungkan dengan pengaduan yang sama yang sudah ada;\npetugas akan menghubungi Anda.';

/** The kind's label as the citizen would read it. */
function label(env: TestEnv, ticket: Ticket): string {
  return env.config.categories[ticket.classification.category].label;
}

describe('same problem joined through a NIK only', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  /** Submits a repeat, waits for its joined notice and team follow-up; returns the mails sent for it. */
  async function join(s: RunningService, open: Ticket, draft: ComplaintInputDraft) {
    expect(await s.sink.submit(draft, { channel: draft.channel })).toEqual({ status: 'queued' });
    for (const effect of ['joined', 'follow-up'])
      await waitFor(
        async () =>
          (await s.store.getEffect(effectKey(open.id, `${effect}:${hashId(draft.sourceId)}`)))?.state === 'done',
        15_000,
        `${effect} effect`,
      );
    expect(await s.store.findBySource(draft.channel, draft.sourceId)).toBeUndefined();
    const after = (await s.store.getTicket(open.id))!;
    const entry = after.history.find((h) => h.ref === draft.sourceId && h.event === 'follow-up');
    expect(entry?.sameProblem?.channel).toBe(draft.channel);
    const dir = env.config.outbound.outboxDir;
    const mails = await Promise.all(
      outboxMessages(dir)
        .filter((f) => f.endsWith('.eml'))
        .map(async (f) => ({ file: f, raw: readFileSync(path.join(dir, f), 'utf8') })),
    );
    const parsed = await Promise.all(mails.map(async (m) => ({ ...m, mail: await simpleParser(m.raw) })));
    const to = (m: (typeof parsed)[number]) => (m.mail.to && 'value' in m.mail.to ? m.mail.to.value[0]?.address : '');
    const notices = parsed.filter((m) => to(m) === draft.complainant.email);
    const followUp = parsed.find((m) => m.file.includes(`.fu-${hashId(draft.sourceId).slice(0, 12)}`));
    return { after, entry: entry!, notices, followUp: followUp!.mail.text ?? '' };
  }

  test('a stranger with the citizen’s NIK is joined, told nothing of the ticket; the team mail says NIK only', async () => {
    env = createTestEnv();
    const s = (service = await startTestService(env));
    const victim = await submitAndWait(s, emailComplaint('rugun@example.com', `${KONSOLIDASI} NIK ${NIK}`));
    const probe = emailComplaint('penipu@example.net', `${KONSOLIDASI_2} NIK saya ${NIK}`, {
      complainant: { name: 'Budi', email: 'penipu@example.net' },
    });
    const { after, entry, notices, followUp } = await join(s, victim, probe);
    // One ticket, one clock.
    expect(await s.store.countTickets()).toBe(1);
    expect(after.dueAt).toBe(victim.dueAt);
    expect(entry.sameProblem?.nikOnly).toBe(true);
    // Told it joined; nothing of the ticket anywhere in the mail, headers included.
    expect(notices).toHaveLength(1);
    const [notice] = notices;
    expect(notice!.mail.text).toContain(UNNAMED);
    expect(notice!.mail.subject).toBe('Pengaduan Anda sudah kami terima');
    expect(notice!.raw).not.toContain(victim.ticketNumber);
    expect(notice!.raw).not.toMatch(/ADU-\d{4}/);
    expect(notice!.raw).not.toContain(label(env, victim));
    expect(notice!.raw).not.toContain('WIB');
    expect(notice!.mail.replyTo).toBeUndefined();
    expect(notice!.mail.inReplyTo).toBe(probe.sourceId);
    expect(after.history.some((h) => h.ref === probe.sourceId && /tanpa nomor tiket/.test(h.note ?? ''))).toBe(true);
    // The team sees the join, and that only a NIK ties the sender to the citizen.
    expect(followUp).toContain('HANYA karena NIK yang sama');
    expect(followUp).toContain('tanpa nomor tiket');
    expect(followUp).not.toContain('Pelapor sudah diberi tahu nomor tiket ini');
  });

  test('a record staff linked to the citizen’s is told the number, as before', async () => {
    env = createTestEnv();
    const s = (service = await startTestService(env));
    const open = await submitAndWait(s, emailComplaint('rugun@example.com', KONSOLIDASI));
    const other = await submitAndWait(s, emailComplaint('rugun.kantor@example.org', PINDAH));
    expect(other.id).not.toBe(open.id);
    await s.store.linkCitizens({
      a: (await s.store.citizenOfTicket(open.id))!,
      b: (await s.store.citizenOfTicket(other.id))!,
      reason: 'datang ke loket dengan KTP',
      by: 'operator:rina',
      at: new Date().toISOString(),
    });
    const { entry, notices, followUp } = await join(s, open, emailComplaint('rugun.kantor@example.org', KONSOLIDASI_2));
    expect(entry.sameProblem?.nikOnly).toBeUndefined();
    expect(notices.map((n) => n.mail.subject)).toContain(`Pengaduan Anda sudah tercatat [${open.ticketNumber}]`);
    expect(notices.find((n) => n.mail.subject?.includes(open.ticketNumber))!.mail.text).toContain(
      `sudah tercatat dengan nomor ${open.ticketNumber}`,
    );
    expect(followUp).toContain('Pelapor sudah diberi tahu nomor tiket ini');
  });

  test('a sender with an open ticket of their own joins it, not an older one tied to them by a NIK alone', async () => {
    env = createTestEnv();
    const s = (service = await startTestService(env));
    const victim = await submitAndWait(
      s,
      emailComplaint('rugun@example.com', `${KONSOLIDASI} NIK ${NIK}`, { receivedAt: '2026-11-29T09:00:00+07:00' }),
    );
    const own = await submitAndWait(s, emailComplaint('budi@example.net', KONSOLIDASI));
    expect(own.id).not.toBe(victim.id);
    // Another kind with the NIK: the system links Budi's record to the citizen's.
    const other = await submitAndWait(s, emailComplaint('budi@example.net', `${PINDAH} NIK saya ${NIK}`));
    expect(await s.store.linkedCitizens((await s.store.citizenOfTicket(other.id))!)).toContain(
      (await s.store.citizenOfTicket(victim.id))!,
    );
    const { entry } = await join(s, own, emailComplaint('budi@example.net', KONSOLIDASI_2));
    expect(entry.sameProblem?.nikOnly).toBeUndefined();
    expect((await s.store.getTicket(victim.id))!.history.some((h) => h.event === 'follow-up')).toBe(false);
  });

  test('the same sender (own record, same NIK) is told the number, as before', async () => {
    env = createTestEnv();
    const s = (service = await startTestService(env));
    const open = await submitAndWait(s, emailComplaint('rugun@example.com', `${KONSOLIDASI} NIK ${NIK}`));
    const { entry, notices, followUp } = await join(
      s,
      open,
      emailComplaint('rugun@example.com', `${KONSOLIDASI_2} NIK ${NIK}`),
    );
    expect(entry.sameProblem?.nikOnly).toBeUndefined();
    const notice = notices.find((n) => n.file.startsWith(`${open.ticketNumber}.join-`));
    expect(notice!.mail.text).toContain(`sudah tercatat dengan nomor ${open.ticketNumber}`);
    expect(followUp).not.toContain('HANYA karena NIK');
  });
});
