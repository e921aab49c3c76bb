import type { ComplaintInputDraft, Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { effectKey } from '../../../src/store/store';
import { hashId } from '../../../src/pipeline/queues';
import { createTestEnv, outboxMessages, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { emailComplaint, submitAndWait, uniqueId, whatsappComplaint } from './citizen-env';

/** Issue #22 §1 "same problem, one ticket": a linked citizen's repeat complaint joins the open ticket. */

const KONSOLIDASI = 'NIK saya ditolak waktu daftar BPJS Kesehatan, katanya tidak padan. Mohon konsolidasi NIK saya.';
const KONSOLIDASI_2 = 'Saya sudah lapor sebelumnya: NIK tidak padan di BPJS Kesehatan, mohon konsolidasi NIK segera.';
const NIK = '1211045706890002';
const OTHER_NIK = '1211040101800011';

describe('same problem, one ticket', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  async function start(shared: string[] = []) {
    env = createTestEnv((c) => ({ ...c, citizens: { ...c.citizens, sharedIdentifiers: shared } }));
    service = await startTestService(env);
    return service;
  }

  /** Submits a repeat and waits until it is recorded on `open` and its effects are done. */
  async function joined(s: RunningService, open: Ticket, draft: ComplaintInputDraft) {
    expect(await s.sink.submit(draft, { channel: draft.channel })).toEqual({ status: 'queued' });
    const joinKey = effectKey(open.id, `joined:${hashId(draft.sourceId)}`);
    await waitFor(async () => (await s.store.getEffect(joinKey))?.state === 'done', 15_000, 'joined effect');
    await waitFor(
      async () =>
        (await s.store.getEffect(effectKey(open.id, `follow-up:${hashId(draft.sourceId)}`)))?.state === 'done',
      15_000,
      'follow-up to the team',
    );
    expect(await s.store.findBySource(draft.channel, draft.sourceId)).toBeUndefined();
    const after = (await s.store.getTicket(open.id))!;
    const entry = after.history.find((h) => h.ref === draft.sourceId && h.event === 'follow-up');
    expect(entry?.sameProblem?.channel).toBe(draft.channel);
    return { after, joinEffect: (await s.store.getEffect(joinKey))! };
  }

  test('WhatsApp → email (linked by NIK only): one ticket, one clock, told by email it joined (no number), no second response', async () => {
    const s = await start();
    const wa = await submitAndWait(s, whatsappComplaint('6281234567890', `${KONSOLIDASI} NIK ${NIK}`));
    const mail = emailComplaint('rugun@example.com', `${KONSOLIDASI_2} NIK ${NIK}`);
    const { after } = await joined(s, wa, mail);
    expect(await s.store.countTickets()).toBe(1);
    expect(after.dueAt).toBe(wa.dueAt);
    const files = outboxMessages(env.config.outbound.outboxDir);
    // Only a NIK ties the two senders (anyone can write one): the notice names no ticket (same-problem-nik.test).
    const notice = files.filter((f) => f.startsWith('join-'));
    expect(notice).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.ack.eml'))).toEqual([]);
    const { readFileSync } = await import('node:fs');
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(readFileSync(`${env.config.outbound.outboxDir}/${notice[0]}`));
    expect(parsed.to && 'value' in parsed.to ? parsed.to.value[0]?.address : undefined).toBe('rugun@example.com');
    expect(parsed.text).toContain('kami gabungkan dengan pengaduan yang sama yang sudah ada');
    expect(parsed.text).not.toContain(wa.ticketNumber);
    expect(
      after.history.filter((h) => h.event === 'acknowledged' || h.event === 'acknowledgement-skipped'),
    ).toHaveLength(1);
    // The team hears of it on the open ticket, told where it came from.
    const followUp = files.filter((f) => f.includes(`.fu-${hashId(mail.sourceId).slice(0, 12)}`));
    expect(followUp).toHaveLength(1);
    const team = await simpleParser(readFileSync(`${env.config.outbound.outboxDir}/${followUp[0]}`));
    expect(team.subject).toContain(`[${wa.ticketNumber}] Tindak lanjut`);
    expect(team.text).toContain('lewat Email, dari pengirim yang tertaut ke pelapor ini HANYA karena NIK yang sama;');
  });

  test('Messenger → walk-in (linked by NIK only): joined; the officer checks the KTP before telling the number', async () => {
    const s = await start();
    const fb = await submitAndWait(s, {
      channel: 'messenger',
      sourceId: uniqueId('mid'),
      receivedAt: '2026-11-30T09:00:00+07:00',
      complainant: { name: 'Rugun', platformUserId: '24680135791' },
      text: `${KONSOLIDASI} NIK ${NIK}`,
    });
    const walk: ComplaintInputDraft = {
      channel: 'walk-in',
      sourceId: uniqueId('walk'),
      receivedAt: '2026-12-01T09:00:00+07:00',
      complainant: { name: 'Rugun', nik: NIK },
      text: KONSOLIDASI_2,
      queueNumber: 'A007',
    };
    const { after, joinEffect } = await joined(s, fb, walk);
    expect(joinEffect.detail).toMatch(/^skipped: no automatic reply/);
    expect(
      after.history.some(
        (h) =>
          h.event === 'note' &&
          /Tatap muka digabung; pengirim tertaut hanya karena NIK yang sama: periksa identitasnya/.test(h.note ?? ''),
      ),
    ).toBe(true);
    expect(await s.store.countTickets()).toBe(1);
  });

  test('email → portal (linked by staff): joined; before the link, a ticket of its own', async () => {
    const s = await start();
    const mail = await submitAndWait(s, emailComplaint('rugun@example.com', KONSOLIDASI));
    const portal = (text: string): ComplaintInputDraft => ({
      channel: 'perkebbas',
      sourceId: uniqueId('rec'),
      receivedAt: '2026-12-01T09:00:00+07:00',
      complainant: { name: 'Rugun', platformUserId: 'akun-778' },
      text,
    });
    const own = await submitAndWait(s, portal(KONSOLIDASI_2));
    expect(own.id).not.toBe(mail.id);
    await s.store.linkCitizens({
      a: (await s.store.citizenOfTicket(mail.id))!,
      b: (await s.store.citizenOfTicket(own.id))!,
      reason: 'datang ke loket dengan KTP',
      by: 'operator:rina',
      at: new Date().toISOString(),
    });
    // The oldest open ticket of the kind is the one joined.
    await joined(s, mail, portal(KONSOLIDASI));
    expect(await s.store.countTickets()).toBe(2);
  });

  test('a shared family phone, a village operator mailbox and a mere hint stay separate tickets', async () => {
    const s = await start(['0813 7000 1111', 'operator.desa.sitinjo@gmail.com']);
    const call = (nik: string): ComplaintInputDraft => ({
      channel: 'call-center',
      sourceId: uniqueId('call'),
      receivedAt: '2026-11-30T09:00:00+07:00',
      complainant: { name: 'Keluarga Sinaga', phone: '+6281370001111', nik },
      text: KONSOLIDASI,
    });
    const a = await submitAndWait(s, call(NIK));
    const b = await submitAndWait(s, call(OTHER_NIK));
    expect(b.id).not.toBe(a.id);
    const op1 = await submitAndWait(s, emailComplaint('operator.desa.sitinjo@gmail.com', KONSOLIDASI));
    const op2 = await submitAndWait(s, emailComplaint('operator.desa.sitinjo@gmail.com', KONSOLIDASI_2));
    expect(op2.id).not.toBe(op1.id);
    // The same phone on WhatsApp and the call-center is only a hint: two tickets.
    const wa = await submitAndWait(s, whatsappComplaint('6281299990000', KONSOLIDASI));
    const cc = await submitAndWait(s, { ...call(OTHER_NIK), complainant: { phone: '+6281299990000' } });
    expect(cc.id).not.toBe(wa.id);
    expect(await s.store.countTickets()).toBe(6);
    expect(wa.classification.category).toBe(cc.classification.category);
  });

  test('two `other` complaints from one sender (triage, not a kind of problem) stay two tickets', async () => {
    const s = await start();
    const queue = await submitAndWait(
      s,
      emailComplaint('rugun@example.com', 'Antrian di loket sangat panjang dan tidak tertib.'),
    );
    const parking = await submitAndWait(
      s,
      emailComplaint('rugun@example.com', 'Parkir motor di depan kantor sempit dan becek.'),
    );
    expect(queue.classification.category).toBe('other');
    expect(parking.classification.category).toBe('other');
    expect(parking.id).not.toBe(queue.id);
  });

  test('an unlisted family phone: two names are two people (two tickets); the same name again joins', async () => {
    const s = await start();
    const call = (name: string, text: string): ComplaintInputDraft => ({
      channel: 'call-center',
      sourceId: uniqueId('call'),
      receivedAt: '2026-11-30T09:00:00+07:00',
      complainant: { name, phone: '+6281370002222' },
      text,
    });
    const father = await submitAndWait(s, call('Jonner Sinaga', KONSOLIDASI));
    const daughter = await submitAndWait(s, call('Rugun Sinaga', KONSOLIDASI));
    expect(daughter.id).not.toBe(father.id);
    await joined(s, father, call('jonner  sinaga', KONSOLIDASI_2));
    expect(await s.store.countTickets()).toBe(2);
  });
});
