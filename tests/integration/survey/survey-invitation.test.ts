import type { ComplaintInputDraft } from '../../../src/domain/complaint';
import { answeredResolution, invitationDueAt } from '../../../src/domain/survey-invitation';
import type { Ticket } from '../../../src/domain/complaint';
import { officeCalendar, type RunningService } from '../../../src/main';
import { effectJobId } from '../../../src/pipeline/queues';
import { effectKey } from '../../../src/store/store';
import { optOut } from '../../../src/survey/links';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { connectionRefused, FlakyTransport } from '../../support/flaky-transport';
import { createTestEnv, outboxMessages, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { answeredTicket, uniqueId } from '../../support/survey-service';

/**
 * The survey invitation end to end on the real service (Redis queues, SQLite store, outbox transports):
 * once per finally resolved ticket, on the ticket's channel, across a failed attempt and a restart, never
 * for a question (#tanya), an opted-out citizen, a walk-in or a suggestion-box slip.
 */
jest.setTimeout(120_000);

const TEXT = 'Saya mau tanya syarat membuat akta kelahiran anak, apa saja berkasnya?';
const WEEK = 7 * 24 * 3_600_000;
const now = () => Date.now();

describe('survey invitation', () => {
  let env: TestEnv;
  let service: RunningService;
  let sent: FlakyTransport;
  /** Attempts at survey messages to fail (by message id), once each. */
  let failOnce: Set<string>;

  async function start() {
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, {
      address: env.config.outbound.fromAddress,
      name: 'uji',
    });
    sent = new FlakyTransport(outbox, (message, attempt) =>
      failOnce.has(message.id) && attempt === 1 ? connectionRefused() : undefined,
    );
    service = await startTestService(env, {
      transports: {
        citizen: {
          email: sent,
          messenger: sent,
          instagram: sent,
          perkebbas: sent,
          whatsapp: sent,
          'call-center': sent,
        },
        team: sent,
      },
    });
  }

  beforeEach(async () => {
    failOnce = new Set();
    env = createTestEnv((c) => ({
      ...c,
      survey: {
        ...c.survey,
        enabled: true,
        port: 0,
        checkEverySeconds: 3600,
        publicBaseUrl: 'https://pengaduan.example',
      },
    }));
    await start();
  });
  afterEach(async () => {
    await service.stop();
    await env.cleanup();
  });

  const invitations = () => sent.delivered.filter((m) => m.purpose === 'survey-invitation');
  const draft = (channel: ComplaintInputDraft['channel'], complainant: ComplaintInputDraft['complainant'], meta = {}) =>
    ({
      channel,
      sourceId: `${channel}-${uniqueId()}`,
      threadId: `t-${uniqueId()}`,
      receivedAt: new Date().toISOString(),
      complainant,
      text: TEXT,
      meta,
    }) as ComplaintInputDraft;

  /** Just after the invitation is due: the delay passed, at an office hour (the reminder is days away). */
  const dueOf = (ticket: Ticket) =>
    Date.parse(invitationDueAt(answeredResolution(ticket)!, 60, officeCalendar(env.config))) + 60_000;

  async function sweepAndSettle(at: number, expected: number) {
    await service.survey!.sweepOnce(at);
    await waitFor(async () => invitations().length >= expected, 15_000, `${expected} invitation(s)`);
    // Let any job that would send more finish: every queued job is gone.
    await waitFor(
      async () => (await service.queues.effects.getJobCounts('waiting', 'active', 'delayed')).waiting === 0,
      15_000,
      'queue idle',
    );
    await new Promise((r) => setTimeout(r, 300));
  }

  test('one invitation on each channel that can carry it, to the ticket’s own contact; none where it cannot', async () => {
    const teams = env.config.teams;
    const tickets = {
      email: await answeredTicket(service, teams, draft('email', { name: 'Rosmawati', email: 'rosma@example.com' })),
      messenger: await answeredTicket(
        service,
        teams,
        draft('messenger', { name: 'Dame', platformUserId: '7712345678901234' }),
      ),
      instagram: await answeredTicket(
        service,
        teams,
        draft('instagram', { name: 'Ucok', platformUserId: '17841400000000001' }),
      ),
      perkebbas: await answeredTicket(service, teams, draft('perkebbas', { name: 'Tiur', platformUserId: 'pk-991' })),
      whatsapp: await answeredTicket(
        service,
        teams,
        draft('whatsapp', { name: 'Siti', platformUserId: '1111:6281376543210' }),
      ),
      callConsent: await answeredTicket(
        service,
        teams,
        draft('call-center', { name: 'Lamhot', phone: '+6281260001111' }, { surveyConsent: 'ya' }),
      ),
      callNoConsent: await answeredTicket(
        service,
        teams,
        draft('call-center', { name: 'Butet', phone: '+6281260002222' }),
      ),
      walkIn: await answeredTicket(service, teams, draft('walk-in', { name: 'Horas', phone: '+6281260003333' })),
    };
    // Not yet: the delay (1 h) has not passed.
    expect(await service.survey!.sweepOnce(now())).toEqual({ invitations: 0, reminders: 0 });
    await sweepAndSettle(now() + WEEK, 6);
    const byChannel = Object.fromEntries(invitations().map((m) => [m.channel, m]));
    expect(Object.keys(byChannel).sort()).toEqual([
      'call-center',
      'email',
      'instagram',
      'messenger',
      'perkebbas',
      'whatsapp',
    ]);
    expect(byChannel.email!.to).toEqual(['rosma@example.com']);
    expect(byChannel.messenger!.to).toEqual(['7712345678901234']);
    expect(byChannel.whatsapp!.to).toEqual(['1111:6281376543210']);
    expect(byChannel['call-center']!.to).toEqual(['+6281260001111']);
    for (const message of invitations()) {
      expect(message.text).toMatch(/https:\/\/pengaduan\.example\/survei\/[0-9a-z]{13}/);
      expect(message.text).not.toContain(TEXT);
    }
    expect(byChannel.email!.text).toContain('balas pesan ini dengan satu angka');
    expect(byChannel['call-center']!.text).not.toContain('balas pesan ini dengan satu angka');
    // The links are stored hashed: the token in the message is nowhere in the store's records.
    const token = /survei\/([0-9a-z]{13})/.exec(byChannel.email!.text)![1]!;
    expect(JSON.stringify(await service.store.listEffects(tickets.email.id))).not.toContain(token);
    for (const skipped of [tickets.callNoConsent, tickets.walkIn]) {
      const effect = await service.store.getEffect(effectKey(skipped.id, 'survey'));
      expect(effect?.detail).toMatch(/^skipped: /);
    }
    expect((await service.store.getEffect(effectKey(tickets.walkIn.id, 'survey')))?.detail).toContain(
      'tercetak pada tanda terima',
    );
    expect(
      (await service.store.getTicket(tickets.email.id))!.history.some((h) =>
        /undangan survei kepuasan dikirim/.test(h.note ?? ''),
      ),
    ).toBe(true);
  });

  test('exactly once across a failed attempt, another sweep, a re-queued job and a restart', async () => {
    const ticket = await answeredTicket(
      service,
      env.config.teams,
      draft('email', { name: 'Rosmawati', email: 'rosma2@example.com' }),
    );
    failOnce.add(`${ticket.ticketNumber}.survey`);
    expect(await service.survey!.sweepOnce(dueOf(ticket) - 120_000)).toEqual({ invitations: 0, reminders: 0 });
    await sweepAndSettle(dueOf(ticket), 1);
    expect(sent.attempts.filter((m) => m.purpose === 'survey-invitation')).toHaveLength(2);
    expect(invitations()).toHaveLength(1);
    await sweepAndSettle(dueOf(ticket), 1);
    // A job queued again (a lost completion, a replay) finds the effect done.
    await service.queues.effects.add(
      'survey',
      { ticketId: ticket.id, effects: ['survey'] },
      { jobId: `${effectJobId({ ticketId: ticket.id, effects: ['survey'] })}-again` },
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(invitations()).toHaveLength(1);

    await service.stop();
    await start();
    await service.survey!.sweepOnce(dueOf(ticket));
    await new Promise((r) => setTimeout(r, 1500));
    expect(invitations()).toHaveLength(0); // the new process sent none
    expect(outboxMessages(env.config.outbound.outboxDir).filter((f) => f.includes('.survey'))).toHaveLength(1);
    const record = await service.store.getEffect(effectKey(ticket.id, 'survey'));
    expect(record).toMatchObject({ state: 'done', attempts: 2 });
  });

  test('a question (#tanya) is no final answer; an opted-out citizen is not asked; one reminder, none after a response', async () => {
    const teams = env.config.teams;
    const asked = await answeredTicket(
      service,
      teams,
      draft('email', { name: 'A', email: 'tanya@example.com' }),
      '#tanya Mohon kirim foto KK.',
    );
    await optOut(service.store, 'email', 'berhenti@example.com', new Date());
    const stopped = await answeredTicket(service, teams, draft('email', { name: 'B', email: 'Berhenti@example.com' }));
    const reminded = await answeredTicket(service, teams, draft('email', { name: 'C', email: 'ingat@example.com' }));
    const answered = await answeredTicket(service, teams, draft('email', { name: 'D', email: 'jawab@example.com' }));
    const due = Math.max(dueOf(reminded), dueOf(answered), dueOf(stopped));
    await sweepAndSettle(due, 2);
    expect(
      invitations()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['ingat@example.com', 'jawab@example.com']);
    expect(await service.store.getEffect(effectKey(asked.id, 'survey'))).toBeUndefined();
    expect((await service.store.getEffect(effectKey(stopped.id, 'survey')))?.detail).toContain('tidak menerima survei');

    await service.store.submitSurvey({
      id: 'r1',
      source: 'closure',
      ticketId: answered.id,
      submittedAt: new Date().toISOString(),
      answers: {},
      overall: 4,
      via: 'chat',
    });
    // Before the reminder is due: nothing; after (3 days later, at an office hour): one reminder, to the one who did not answer.
    // The opted-out ticket's and the answered one's reminders are queued at once, to be skipped and recorded.
    expect(await service.survey!.sweepOnce(due)).toEqual({ invitations: 0, reminders: 2 });
    await sweepAndSettle(now() + 3 * WEEK, 3);
    const reminders = invitations().filter((m) => m.id.endsWith('.survey-reminder'));
    expect(reminders.map((m) => m.to[0])).toEqual(['ingat@example.com']);
    expect(reminders[0]!.text).toContain('Pengingat');
    expect((await service.store.getEffect(effectKey(answered.id, 'survey-reminder')))?.detail).toContain('sudah diisi');
    // Every ticket is settled: nothing more is queued.
    expect(await service.survey!.sweepOnce(now() + 5 * WEEK)).toEqual({ invitations: 0, reminders: 0 });
  });

  test('a citizen who restricts processing (UU PDP) after the answer is not invited; another citizen is', async () => {
    const teams = env.config.teams;
    const restricted = await answeredTicket(service, teams, draft('email', { name: 'E', email: 'batas@example.com' }));
    const other = await answeredTicket(service, teams, draft('email', { name: 'F', email: 'bebas@example.com' }));
    await service.store.setRestriction('email:batas@example.com', {
      subject: 'email:batas@example.com',
      at: new Date().toISOString(),
      by: 'operator:test',
    });
    await sweepAndSettle(Math.max(dueOf(restricted), dueOf(other)), 1);
    expect(invitations().map((m) => m.to[0])).toEqual(['bebas@example.com']);
    await waitFor(
      async () => (await service.store.getEffect(effectKey(restricted.id, 'survey')))?.state === 'done',
      15_000,
      'the restricted invitation recorded',
    );
    expect((await service.store.getEffect(effectKey(restricted.id, 'survey')))?.detail).toContain('dibatasi');
  });

  test('"Balas 1–4": a digit answers an open invitation from the invited contact; otherwise it is handled as today', async () => {
    const teams = env.config.teams;
    const mail = await answeredTicket(service, teams, draft('email', { name: 'E', email: 'balas@example.com' }));
    const chat = await answeredTicket(
      service,
      teams,
      draft('messenger', { name: 'M', platformUserId: '7712345670000001' }),
    );
    const early = await answeredTicket(service, teams, draft('email', { name: 'F', email: 'awal@example.com' }));
    const reply = (ticket: Ticket, text: string, from: ComplaintInputDraft['complainant']): ComplaintInputDraft => ({
      channel: ticket.channel,
      sourceId: `${ticket.channel}-reply-${uniqueId()}`,
      ...(ticket.threadId ? { threadId: ticket.threadId } : {}),
      references: ticket.channel === 'email' ? [ticket.sourceId] : [],
      receivedAt: new Date().toISOString(),
      complainant: from,
      text,
    });
    // Before any invitation, "4" is an ordinary message (here it reopens the ticket, as today).
    await service.sink.submit(reply(early, '4', { email: 'awal@example.com' }), { channel: 'email' });
    await waitFor(async () => (await service.store.getTicket(early.id))?.status === 'reopened', 10_000, 'reopened');
    expect(await service.store.getSurveyResponseOfTicket(early.id)).toBeUndefined();

    await sweepAndSettle(Math.max(dueOf(mail), dueOf(chat)), 2);
    await service.sink.submit(reply(mail, '4', { email: 'Balas@example.com' }), { channel: 'email' });
    await service.sink.submit(reply(chat, '2 - Kurang puas', { platformUserId: '7712345670000001' }), {
      channel: 'messenger',
    });
    const byMail = await waitFor(() => service.store.getSurveyResponseOfTicket(mail.id), 10_000, 'mail answer');
    const byChat = await waitFor(() => service.store.getSurveyResponseOfTicket(chat.id), 10_000, 'chat answer');
    expect(byMail).toMatchObject({ source: 'closure', via: 'chat', overall: 4, channel: 'email' });
    expect(byChat).toMatchObject({ via: 'chat', overall: 2, channel: 'messenger' });
    await waitFor(
      async () => (await service.store.getTicket(mail.id))!.history.some((h) => h.event === 'citizen-ack'),
      10_000,
      'the answer on the ticket',
    );
    const after = await service.store.getTicket(chat.id);
    expect(after!.status).toBe('resolved');
    expect(after!.history.find((h) => h.event === 'citizen-ack')?.note).toBe(
      'jawaban survei lewat balasan: 2 (Kurang puas)',
    );
  });
});
