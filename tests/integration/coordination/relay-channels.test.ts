import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ComplaintInputDraft, Ticket } from '../../../src/domain/complaint';
import { teamMessageId, tokenTagOf } from '../../support/staff-mail';
import type { RunningService } from '../../../src/main';
import type { FlakyTransport } from '../../support/flaky-transport';
import { createTestEnv, startTestService, waitFor, type TestEnv, recordingOutbox } from '../../support/service-harness';

/** Step 4 on every channel: the staff answer goes back the way the complaint came, or becomes a call-back task. */

const TEXT = 'Saya mau tanya syarat membuat akta kelahiran anak, apa saja berkasnya?';
let seq = 0;
const id = () => `${Date.now().toString(36)}-${++seq}`;

/**
 * What the email channel makes of a team member's reply to the team mail: sent to the token-bearing reply
 * address, From the ticket's team address, authenticated by the receiving server.
 */
function staffAnswer(
  ticket: Ticket,
  text: string,
  extra: { from?: string; references?: string[] } = {},
): ComplaintInputDraft {
  return {
    references: extra.references ?? [],
    channel: 'email',
    sourceId: `<jawab-${id()}@disdukcapil.dairikab.go.id>`,
    receivedAt: new Date().toISOString(),
    complainant: { name: 'Petugas', email: teamAddress(ticket) },
    subject: `RE: [${ticket.ticketNumber}] Tiket baru`,
    text,
    autoReplyAllowed: false,
    meta: {
      automated: 'own',
      replyTag: tokenTagOf(ticket.ticketNumber),
      senderAuth: 'pass',
      senderAuthNote: 'dmarc=pass (mx.google.com)',
      ...(extra.from !== undefined ? { from: extra.from } : {}),
    },
  };
}

let teams: Record<string, { emails: string[] }> = {};
const teamAddress = (ticket: Ticket) => teams[ticket.team]!.emails[0]!;

describe('relaying staff answers per channel', () => {
  let env: TestEnv;
  let service: RunningService;
  let sent: FlakyTransport;

  beforeEach(async () => {
    env = createTestEnv();
    teams = env.config.teams;
    sent = recordingOutbox(env);
    service = await startTestService(env, {
      transports: { citizen: { email: sent, messenger: sent, instagram: sent, perkebbas: sent }, team: sent },
    });
  });
  afterEach(async () => {
    await service.stop();
    await env.cleanup();
  });

  async function ticketFrom(draft: ComplaintInputDraft) {
    await service.sink.submit(draft, { channel: draft.channel });
    const ticket = await waitFor(() => service.store.findBySource(draft.channel, draft.sourceId), 10_000, 'ticket');
    await waitFor(
      async () => (await service.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length === 2,
      10_000,
      'first effects',
    );
    return ticket;
  }

  test('Messenger: the answer is sent to the citizen in the conversation and resolves the ticket', async () => {
    const ticket = await ticketFrom({
      channel: 'messenger',
      sourceId: `m_${id()}`,
      threadId: `t_${id()}`,
      receivedAt: new Date().toISOString(),
      complainant: { name: 'Dame Tampubolon', platformUserId: '7712345678901234' },
      text: TEXT,
    });
    await service.sink.submit(staffAnswer(ticket, 'Syaratnya surat keterangan lahir, KK dan KTP orang tua.'), {
      channel: 'email',
    });
    const solution = await waitFor(
      async () => sent.delivered.find((m) => m.purpose === 'solution'),
      10_000,
      'the solution',
    );
    expect(solution).toMatchObject({ channel: 'messenger', to: ['7712345678901234'] });
    expect(solution.text).toContain('Syaratnya surat keterangan lahir, KK dan KTP orang tua.');
    await waitFor(async () => (await service.store.getTicket(ticket.id))?.status === 'resolved', 10_000, 'resolved');
  });

  test('Messenger: an answer with files hands the files to the Messenger transport (which uploads them)', async () => {
    const ticket = await ticketFrom({
      channel: 'messenger',
      sourceId: `m_${id()}`,
      threadId: `t_${id()}`,
      receivedAt: new Date().toISOString(),
      complainant: { name: 'Dame Tampubolon', platformUserId: '7712345678901266' },
      text: TEXT,
    });
    const storedAt = path.resolve(env.config.service.dataDir, 'attachments', 'email', 'cd', 'cd'.padEnd(64, '0'));
    mkdirSync(path.dirname(storedAt), { recursive: true });
    writeFileSync(storedAt, '%PDF-1.4');
    const answer = staffAnswer(ticket, 'Akta sudah jadi.');
    answer.attachments = [{ filename: 'akta.pdf', contentType: 'application/pdf', size: 8, storedAt }];
    await service.sink.submit(answer, { channel: 'email' });
    const solution = await waitFor(
      async () => sent.delivered.find((m) => m.purpose === 'solution'),
      10_000,
      'the solution',
    );
    expect(solution).toMatchObject({ channel: 'messenger', to: ['7712345678901266'] });
    expect(solution.attachments).toEqual([{ filename: 'akta.pdf', contentType: 'application/pdf', path: storedAt }]);
    expect(solution.text).toContain('Akta sudah jadi.');
    expect(solution.text).not.toContain('tidak dapat dikirim');
  });

  test.each([
    ['call-center', { phone: '+6281234567890' }],
    ['walk-in', { phone: '+6281298765432' }],
  ] as const)(
    '%s: the team gets a call-back task with the answer; nothing goes to the citizen',
    async (channel, complainant) => {
      const ticket = await ticketFrom({
        channel,
        sourceId: `${channel}-${id()}`,
        receivedAt: new Date().toISOString(),
        complainant: { name: 'Maruli Situmorang', ...complainant },
        text: TEXT,
        ...(channel === 'walk-in' ? { queueNumber: 'A012' } : {}),
      });
      await service.sink.submit(staffAnswer(ticket, 'Silakan bawa surat keterangan lahir dari bidan.'), {
        channel: 'email',
      });
      const task = await waitFor(
        async () => sent.delivered.find((m) => m.id.startsWith(`${tokenTagOf(ticket.ticketNumber)}.cb-`)),
        10_000,
        'the call-back task',
      );
      expect(task.to).toEqual(env.config.teams[ticket.team]!.emails);
      expect(task.subject).toBe(`[${ticket.ticketNumber}] Tugas: sampaikan solusi kepada pelapor`);
      expect(task.text).toContain(complainant.phone);
      expect(task.text).toContain('Silakan bawa surat keterangan lahir dari bidan.');
      expect(sent.delivered.filter((m) => m.purpose === 'solution')).toHaveLength(0);
      const stored = await waitFor(
        async () => {
          const t = await service.store.getTicket(ticket.id);
          return t?.status === 'resolved' ? t : undefined;
        },
        10_000,
        'resolved',
      );
      expect(stored.history.find((h) => h.event === 'resolved')?.note).toContain('tugas menghubungi pelapor');
    },
  );

  test('#internal answers are recorded and never relayed; an empty answer is not relayed either', async () => {
    const ticket = await ticketFrom({
      channel: 'messenger',
      sourceId: `m_${id()}`,
      threadId: `t_${id()}`,
      receivedAt: new Date().toISOString(),
      complainant: { name: 'Dame Tampubolon', platformUserId: '7712345678901299' },
      text: TEXT,
    });
    await service.sink.submit(staffAnswer(ticket, '#internal Sudah dicek di SIAK, data ganda.'), { channel: 'email' });
    await service.sink.submit(staffAnswer(ticket, '   '), { channel: 'email' });
    const stored = await waitFor(
      async () => {
        const t = await service.store.getTicket(ticket.id);
        return t && t.history.filter((h) => h.event === 'internal-note').length === 2 ? t : undefined;
      },
      10_000,
      'two internal notes',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(stored.history.find((h) => h.event === 'internal-note')?.note).toBe('Sudah dicek di SIAK, data ganda.');
    expect(sent.delivered.filter((m) => m.purpose === 'solution')).toHaveLength(0);
    expect((await service.store.getTicket(ticket.id))!.status).not.toBe('resolved');
  });

  test('mail whose Reply-To is a staff address but was sent by someone else is no answer: an unverified note and an alert', async () => {
    const ticket = await ticketFrom({
      channel: 'messenger',
      sourceId: `m_${id()}`,
      threadId: `t_${id()}`,
      receivedAt: new Date().toISOString(),
      complainant: { name: 'Dame Tampubolon', platformUserId: '7712345678901288' },
      text: TEXT,
    });
    // What the email channel makes of From: penipu@…, Reply-To: informasi@disdukcapil…: meta.from names the real sender.
    await service.sink.submit(
      staffAnswer(ticket, 'Silakan transfer biaya percepatan ke rekening berikut.', {
        from: 'penipu@attacker.example',
      }),
      { channel: 'email' },
    );
    const stored = await waitFor(
      async () => {
        const t = await service.store.getTicket(ticket.id);
        return t && t.history.some((h) => h.event === 'internal-note') ? t : undefined;
      },
      10_000,
      'the mail recorded as an unverified note',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sent.delivered.filter((m) => m.purpose === 'solution')).toHaveLength(0);
    expect(stored.status).not.toBe('resolved');
    expect(stored.history.map((h) => h.event)).not.toContain('staff-reply');
    expect(stored.history.find((h) => h.event === 'internal-note')?.unverified).toMatch(
      /penipu@attacker.example\) bukan alamat staf/,
    );
    expect(sent.delivered.filter((m) => m.purpose === 'alert' && m.subject.includes(ticket.ticketNumber))).toHaveLength(
      1,
    );
  });

  test("a supervisor's reply to an escalation stays among staff", async () => {
    const ticket = await ticketFrom({
      channel: 'messenger',
      sourceId: `m_${id()}`,
      threadId: `t_${id()}`,
      receivedAt: new Date().toISOString(),
      complainant: { name: 'Dame Tampubolon', platformUserId: '7712345678901277' },
      text: TEXT,
    });
    const escalation = teamMessageId(ticket.ticketNumber, 'escalate');
    await service.sink.submit(
      staffAnswer(ticket, 'Tim informasi, tolong segera diselesaikan hari ini.', { references: [escalation] }),
      { channel: 'email' },
    );
    const stored = await waitFor(
      async () => {
        const t = await service.store.getTicket(ticket.id);
        return t && t.history.some((h) => h.event === 'internal-note') ? t : undefined;
      },
      10_000,
      'the internal note',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sent.delivered.filter((m) => m.purpose === 'solution')).toHaveLength(0);
    expect(stored.status).not.toBe('resolved');
  });
});
