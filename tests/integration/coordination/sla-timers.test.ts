import type { ComplaintInputDraft } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import type { Transport } from '../../../src/outbound/message';
import { effectJobId } from '../../../src/pipeline/queues';
import { FlakyTransport, smtpError } from '../../support/flaky-transport';
import {
  createTestEnv,
  jobDone,
  startTestService,
  waitFor,
  type TestEnv,
  recordingOutbox,
} from '../../support/service-harness';

/** An office open around the clock, so the timers fire within the test whatever time it runs. */
const ALWAYS_OPEN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, '00:00-24:00']),
);
const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

function complaint(text: string, receivedAt: string): ComplaintInputDraft {
  return {
    channel: 'email',
    sourceId: `<${Math.random().toString(36).slice(2)}@mail.gmail.com>`,
    receivedAt,
    complainant: { name: 'Lamhot Simanjuntak', email: 'lamhot@example.com' },
    text,
  };
}

describe('SLA reminder and escalation (the SLA sweep, end to end on real Redis)', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  let sent: FlakyTransport;
  let transports: { citizen: { email: Transport }; team: Transport };
  const sentWith = (suffix: string) => sent.delivered.filter((m) => m.id.endsWith(suffix));
  const effect = async (ticketId: string, kind: string) =>
    (await service!.store.listEffects(ticketId)).find((e) => e.kind === kind);

  beforeEach(() => {
    env = createTestEnv((c) => ({
      ...c,
      calendar: { hours: ALWAYS_OPEN, holidays: [] },
      sla: {
        ...c.sla,
        timers: true,
        checkEverySeconds: 1,
        reminderAtShare: 0.5,
        supervisorEmails: ['kabid@aduan.test'],
      },
    }));
    sent = recordingOutbox(env);
    transports = { citizen: { email: sent }, team: sent };
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  test('the reminder and the escalation each fire once, across a worker restart and a repeated job', async () => {
    service = await startTestService(env, { transports });
    // 30-minute target, received 30 min minus 8 s ago: the reminder (at 50 %) is due at once, the escalation in 8 s.
    const c = complaint(
      'Dengan hormat, saya membutuhkan surat keterangan belum menikah untuk pendaftaran CPNS.',
      secondsFromNow(-30 * 60 + 8),
    );
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    expect(ticket.classification.category).toBe('unmarried-certificate');
    await waitFor(async () => sentWith('.remind').length === 1, 10_000, 'the reminder');
    expect(sentWith('.remind')[0]).toMatchObject({
      to: env.config.teams[ticket.team]!.emails,
      subject: expect.stringContaining('Pengingat: 50% waktu target'),
    });
    expect(sentWith('.escalate')).toHaveLength(0);

    // The service goes away before the escalation is due; the next one's sweep finds it due.
    await service.stop();
    service = await startTestService(env, { transports });
    await waitFor(async () => sentWith('.escalate').length === 1, 20_000, 'the escalation');
    expect(sentWith('.escalate')[0]).toMatchObject({
      to: ['kabid@aduan.test'],
      subject: `[${ticket.ticketNumber}] Melewati batas waktu: ${env.config.categories['unmarried-certificate'].label}`,
    });

    // The same timers delivered again (a replayed job, a re-run first response): nothing more is sent.
    // (Wait for the record first: while the send is being recorded a repeat would wait out the lease.)
    await waitFor(
      async () => (await effect(ticket.id, 'escalate'))?.state === 'done',
      10_000,
      'the escalation recorded',
    );
    const again = await service.queues.effects.add(
      'escalate',
      { ticketId: ticket.id, effects: ['escalate'] },
      { jobId: 'manual-escalate-again' },
    );
    const firstAgain = { ticketId: ticket.id, effects: ['route' as const, 'respond' as const] };
    await service.queues.effects.add('first-response', firstAgain, { jobId: `${effectJobId(firstAgain)}-again` });
    await waitFor(() => jobDone(service!.queues.effects, again.id!), 10_000, 'the repeated escalation job');
    await new Promise((r) => setTimeout(r, 500));
    expect(sentWith('.remind')).toHaveLength(1);
    expect(sentWith('.escalate')).toHaveLength(1);
    const stored = (await service.store.getTicket(ticket.id))!;
    expect(stored.history.filter((h) => h.event === 'reminder')).toHaveLength(1);
    expect(stored.history.filter((h) => h.event === 'escalated')).toHaveLength(1);
    expect(await effect(ticket.id, 'escalate')).toMatchObject({ state: 'done', attempts: 1 });
    expect(await service.metrics.registry.metrics()).toContain(
      `aduan_sla_breaches_total{team="${ticket.team}",category="unmarried-certificate"} 1`,
    );
  });

  test('an emptied Redis loses no reminder or escalation: the sweep works from the store', async () => {
    service = await startTestService(env, { transports });
    const c = complaint(
      'Dengan hormat, saya membutuhkan surat keterangan belum menikah untuk pendaftaran CPNS.',
      secondsFromNow(-30 * 60 + 4),
    );
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(async () => sentWith('.remind').length === 1, 10_000, 'the reminder');
    // What an empty Redis looks like to the effects queue: no jobs at all.
    await service.queues.effects.obliterate({ force: true });
    await waitFor(async () => sentWith('.escalate').length === 1, 15_000, 'the escalation');
    await new Promise((r) => setTimeout(r, 1500)); // another sweep or two
    expect(sentWith('.remind')).toHaveLength(1);
    expect(sentWith('.escalate')).toHaveLength(1);
    expect(await effect(ticket.id, 'escalate')).toMatchObject({ state: 'done', attempts: 1 });
  });

  test("the timers start when the team has the ticket, even if the citizen's reply fails for good", async () => {
    const refusing = new FlakyTransport(sent, (m) =>
      m.purpose === 'acknowledgement' ? smtpError(550, '5.1.1 mailbox unavailable') : undefined,
    );
    service = await startTestService(env, { transports: { citizen: { email: refusing }, team: sent } });
    const c = complaint(
      'Dengan hormat, saya membutuhkan surat keterangan belum menikah untuk pendaftaran CPNS.',
      secondsFromNow(-30 * 60 + 60),
    );
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(async () => sentWith('.remind').length === 1, 10_000, 'the reminder');
    expect(refusing.attempts.filter((m) => m.purpose === 'acknowledgement').length).toBeGreaterThan(0);
    expect((await effect(ticket.id, 'respond'))?.state).not.toBe('done');
  });

  test('a ticket resolved before its timers gets neither reminder nor escalation', async () => {
    service = await startTestService(env, { transports });
    // Two-hour target: the reminder falls due in 3 s, the escalation in an hour.
    const c = complaint(
      'Mohon bantuan pengurusan SPTJM perceraian, akta cerai kami belum keluar',
      secondsFromNow(-60 * 60 + 3),
    );
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    expect(ticket.classification.category).toBe('divorce-sptjm');
    await waitFor(async () => (await effect(ticket.id, 'route'))?.state === 'done', 10_000, 'routing');
    await service.store.appendHistory(
      ticket.id,
      { at: new Date().toISOString(), event: 'resolved', note: 'selesai di loket' },
      'resolved',
    );
    await new Promise((r) => setTimeout(r, 6000)); // past the reminder's time, several sweeps
    expect(await effect(ticket.id, 'remind')).toBeUndefined();

    // A reminder or escalation job that was already queued when the ticket was resolved sends nothing.
    await service.queues.effects.add(
      'remind',
      { ticketId: ticket.id, effects: ['remind'] },
      { jobId: 'manual-remind-resolved' },
    );
    await service.queues.effects.add(
      'escalate',
      { ticketId: ticket.id, effects: ['escalate'] },
      { jobId: 'manual-escalate-resolved' },
    );
    await waitFor(
      async () =>
        (await effect(ticket.id, 'escalate'))?.state === 'done' &&
        (await effect(ticket.id, 'remind'))?.state === 'done',
      10_000,
      'the queued jobs',
    );
    expect(await effect(ticket.id, 'remind')).toMatchObject({
      detail: expect.stringMatching(/^skipped: ticket resolved/),
    });
    expect(await effect(ticket.id, 'escalate')).toMatchObject({
      detail: expect.stringMatching(/^skipped: ticket resolved/),
    });
    expect(sentWith('.remind')).toHaveLength(0);
    expect(sentWith('.escalate')).toHaveLength(0);
    expect((await service.store.getTicket(ticket.id))!.history.map((h) => h.event)).not.toContain('reminder');
  });
  test('a reopened ticket gets its own reminder and escalation, once each, after those of its first period', async () => {
    service = await startTestService(env, { transports });
    const c = complaint(
      'Dengan hormat, saya membutuhkan surat keterangan belum menikah untuk pendaftaran CPNS.',
      secondsFromNow(-30 * 60 + 2),
    );
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(
      async () => (await effect(ticket.id, 'escalate'))?.state === 'done',
      15_000,
      'the first escalation recorded',
    );
    expect(sentWith('.remind')).toHaveLength(1);
    expect(sentWith('.escalate')).toHaveLength(1);

    // Resolved, then reopened by the citizen's message received 2 minutes ago (the intake stage's write), with a
    // new due time 6 s away: the reminder of that period (at 50 %, a minute in) is due at once.
    await service.store.appendHistory(ticket.id, { at: new Date().toISOString(), event: 'resolved' }, 'resolved');
    const reopenedAt = secondsFromNow(-120);
    await service.store.attachFollowUp(
      ticket.id,
      'email',
      '<lagi@mail.gmail.com>',
      { at: reopenedAt, event: 'reopened', ref: '<lagi@mail.gmail.com>' },
      { status: 'reopened', dueAt: secondsFromNow(6) },
    );
    // Every sweep in between (one a second) finds them recorded and queues nothing more.
    await waitFor(async () => sentWith('.remind-p1').length === 1, 10_000, 'the reminder of the reopened period');
    expect(sentWith('.escalate-p1')).toHaveLength(0);
    await waitFor(async () => sentWith('.escalate-p1').length === 1, 15_000, 'the escalation of the reopened period');
    expect(sentWith('.escalate-p1')[0]).toMatchObject({ to: ['kabid@aduan.test'] });
    await waitFor(
      async () => (await effect(ticket.id, 'escalate@1'))?.state === 'done',
      10_000,
      'the second escalation recorded',
    );

    // A repeated job of the reopened period, and a late one of the first period, send nothing.
    const again = await service.queues.effects.add(
      'escalate',
      { ticketId: ticket.id, effects: ['escalate'], ref: '1' },
      { jobId: 'manual-escalate-p1-again' },
    );
    await waitFor(() => jobDone(service!.queues.effects, again.id!), 10_000, 'the repeated escalation job');
    await new Promise((r) => setTimeout(r, 1500)); // another sweep or two
    expect(sentWith('.remind')).toHaveLength(1);
    expect(sentWith('.escalate')).toHaveLength(1);
    expect(sentWith('.remind-p1')).toHaveLength(1);
    expect(sentWith('.escalate-p1')).toHaveLength(1);
    expect(await effect(ticket.id, 'remind@1')).toMatchObject({ state: 'done', attempts: 1 });
    expect(await effect(ticket.id, 'escalate@1')).toMatchObject({ state: 'done', attempts: 1 });
    const stored = (await service.store.getTicket(ticket.id))!;
    expect(stored.history.filter((h) => h.event === 'reminder')).toHaveLength(2);
    expect(stored.history.filter((h) => h.event === 'escalated')).toHaveLength(2);
    expect(await service.store.listSlaCandidates('2000-01-01T00:00:00.000Z', 10)).toEqual([]);
  });
  test("a first period's escalation that runs after the reopening sends nothing", async () => {
    service = await startTestService(env, { transports });
    const c = complaint(
      'Mohon bantuan pengurusan SPTJM perceraian, akta cerai kami belum keluar',
      secondsFromNow(-30 * 60),
    );
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(async () => (await effect(ticket.id, 'route'))?.state === 'done', 10_000, 'routing');
    await service.store.appendHistory(ticket.id, { at: new Date().toISOString(), event: 'resolved' }, 'resolved');
    await service.store.attachFollowUp(
      ticket.id,
      'email',
      '<lagi@mail.gmail.com>',
      { at: new Date().toISOString(), event: 'reopened', ref: '<lagi@mail.gmail.com>' },
      { status: 'reopened', dueAt: secondsFromNow(3600) },
    );
    // Queued for the first period (before the resolution), run only now.
    await service.queues.effects.add(
      'escalate',
      { ticketId: ticket.id, effects: ['escalate'] },
      { jobId: 'manual-escalate-period-0' },
    );
    await waitFor(async () => (await effect(ticket.id, 'escalate'))?.state === 'done', 10_000, 'the late job');
    expect(await effect(ticket.id, 'escalate')).toMatchObject({
      detail: 'skipped: ticket reopened after its due time',
    });
    expect(sent.delivered.filter((m) => m.id.includes('.escalate'))).toHaveLength(0);
    expect(await service.store.listSlaCandidates('2000-01-01T00:00:00.000Z', 10)).toMatchObject([
      { ticketId: ticket.id, period: 1, reminded: false },
    ]);
  });
});
