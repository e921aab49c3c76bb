import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runDlqList, runDlqReplay } from '../../src/cli/commands/dlq';
import type { ComplaintInputDraft } from '../../src/domain/complaint';
import { OutboxTransport } from '../../src/outbound/outbox-transport';
import type { RunningService } from '../../src/main';
import { connectionRefused, FlakyTransport, smtpError } from '../support/flaky-transport';
import { createTestEnv, jobDone, startTestService, waitFor, type TestEnv } from '../support/service-harness';
import { tokenTagOf } from '../support/staff-mail';

function complaint(overrides: Partial<ComplaintInputDraft> = {}): ComplaintInputDraft {
  return {
    channel: 'email',
    sourceId: `<${Math.random().toString(36).slice(2)}@mail.gmail.com>`,
    receivedAt: '2026-11-30T09:00:00+07:00',
    complainant: { name: 'Rosmawati Sinaga', email: 'rosma@example.com' },
    subject: 'Surat keterangan belum menikah',
    text: 'Dengan hormat, saya membutuhkan surat keterangan belum menikah untuk pendaftaran CPNS. Mohon bantuannya.',
    ...overrides,
  };
}

function capture() {
  let text = '';
  return {
    stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

describe('pipeline on real Redis', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  const outboxFiles = () => {
    try {
      return readdirSync(env.config.outbound.outboxDir).sort();
    } catch {
      return [];
    }
  };
  const effectsDone = async (ticketId: string, n = 2) =>
    (await service!.store.listEffects(ticketId)).filter((e) => e.state === 'done').length >= n;

  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  test('the same source message submitted twice yields one ticket, one reply, one team mail', async () => {
    service = await startTestService(env);
    const c = complaint();
    expect(await service.sink.submit(c, { channel: 'email' })).toEqual({ status: 'queued' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(() => effectsDone(ticket.id), 10_000, 'effects');
    // Again after the first one finished: its job may be gone, the store still knows the message, and
    // nothing is queued for it (the queue is paused so a queued job would be seen waiting).
    await service.queues.intake.pause();
    expect(await service.sink.submit(c, { channel: 'email' })).toEqual({ status: 'duplicate' });
    expect(await service.queues.intake.getJobCounts('waiting', 'active')).toEqual({ waiting: 0, active: 0 });
    await service.queues.intake.resume();
    // And once more straight onto the queue under a new job id, as a replayed or re-polled job would.
    await service.queues.intake.add('complaint', { complaint: c }, { jobId: 'manual-replay-1' });
    await waitFor(() => jobDone(service!.queues.intake, 'manual-replay-1'), 10_000, 'replay');
    await new Promise((r) => setTimeout(r, 300));
    expect(await service.store.countTickets()).toBe(1);
    expect(outboxFiles().sort()).toEqual(
      [`${ticket.ticketNumber}.ack.eml`, `${tokenTagOf(ticket.ticketNumber)}.team.eml`].sort(),
    );
    const stored = await service.store.getTicket(ticket.id);
    expect(stored?.status).toBe('routed');
    expect(stored?.classification.category).toBe('unmarried-certificate');
    expect(stored?.team).toBe('capil');
    expect(stored?.history.map((h) => h.event)).toEqual(
      expect.arrayContaining(['received', 'classified', 'acknowledged', 'routed']),
    );
  });

  test('a transient failure is retried with backoff and then succeeds, delivering once', async () => {
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, {
      address: 'pengaduan@aduan.test',
      name: 'Aduan',
    });
    const flaky = new FlakyTransport(outbox, (m, attempt) =>
      m.purpose === 'acknowledgement' && attempt <= 2 ? connectionRefused() : undefined,
    );
    service = await startTestService(env, { transports: { citizen: { email: flaky }, team: outbox } });
    const c = complaint();
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(() => effectsDone(ticket.id), 10_000, 'effects');
    expect(flaky.attempts.filter((m) => m.purpose === 'acknowledgement')).toHaveLength(3);
    expect(flaky.delivered).toHaveLength(1);
    const respond = (await service.store.listEffects(ticket.id)).find((e) => e.kind === 'respond');
    expect(respond).toMatchObject({ state: 'done', attempts: 3 });
    expect(env.logLines.some((l) => l.includes('"class":"retryable"'))).toBe(true);
  });

  test('the initial response does not wait for a slow team mail server, nor the team mail for it', async () => {
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, {
      address: 'pengaduan@aduan.test',
      name: 'Aduan',
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowTeam = {
      deliver: async (m: Parameters<OutboxTransport['deliver']>[0]) => (await held, outbox.deliver(m)),
    };
    service = await startTestService(env, { transports: { citizen: { email: outbox }, team: slowTeam } });
    const c = complaint();
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    const effect = async (kind: string) => (await service!.store.listEffects(ticket.id)).find((e) => e.kind === kind);
    await waitFor(
      async () => (await effect('respond'))?.state === 'done',
      10_000,
      'initial response while the team mail is held',
    );
    expect((await effect('route'))?.state).toBe('started');
    expect(outboxFiles()).toEqual([`${ticket.ticketNumber}.ack.eml`]);
    release();
    await waitFor(() => effectsDone(ticket.id), 10_000, 'team mail once released');
    expect(outboxFiles().sort()).toEqual(
      [`${ticket.ticketNumber}.ack.eml`, `${tokenTagOf(ticket.ticketNumber)}.team.eml`].sort(),
    );
    expect((await service.store.getTicket(ticket.id))?.status).toBe('routed');
  });

  test('a permanent failure is not retried, lands in the DLQ, and dlq replay delivers it once', async () => {
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, {
      address: 'pengaduan@aduan.test',
      name: 'Aduan',
    });
    let rejecting = true;
    const flaky = new FlakyTransport(outbox, (m) =>
      rejecting && m.purpose === 'team-ticket' ? smtpError(550, '5.1.1 mailbox unavailable') : undefined,
    );
    service = await startTestService(env, { transports: { citizen: { email: outbox }, team: flaky } });
    const c = complaint();
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(async () => (await service!.queues.deadLetter.getWaitingCount()) === 1, 10_000, 'dead letter');
    expect(flaky.attempts).toHaveLength(1);

    const listed = capture();
    await runDlqList(env.config, listed.stream);
    expect(listed.text()).toMatch(/1 job\(s\) in the dead-letter queue/);
    expect(listed.text()).toContain(`${ticket.ticketNumber}: ticket mail to the team + first reply to the citizen`);
    expect(listed.text()).toContain('550 5.1.1 mailbox unavailable');

    rejecting = false; // the admin fixed the team address
    const replayed = capture();
    await runDlqReplay(env.config, { all: true }, replayed.stream);
    expect(replayed.text()).toMatch(/replayed 1 job/);
    await waitFor(() => effectsDone(ticket.id), 10_000, 'effects after replay');
    expect(flaky.delivered).toHaveLength(1);
    expect(await service.queues.deadLetter.getWaitingCount()).toBe(0);
    expect((await service.store.getTicket(ticket.id))?.status).toBe('routed');
  });

  test('an invalid record is quarantined with its reason, never dropped', async () => {
    service = await startTestService(env);
    const result = await service.sink.submit(
      { ...complaint(), receivedAt: 'kemarin sore' },
      { channel: 'email', hint: 'uid 7' },
    );
    expect(result).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('receivedAt') });
    const [q] = await service.store.listQuarantine();
    expect(q).toMatchObject({ channel: 'email', reason: expect.stringContaining('receivedAt') });
    expect(await service.store.countTickets()).toBe(0);
  });

  test('a reply in the thread is a follow-up: forwarded to the team, no second ticket or acknowledgement', async () => {
    service = await startTestService(env);
    const first = complaint();
    await service.sink.submit(first, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', first.sourceId), 10_000, 'ticket');
    await waitFor(() => effectsDone(ticket.id), 10_000, 'effects');
    const reply = complaint({
      sourceId: '<reply-1@mail.gmail.com>',
      subject: 'Re: Surat keterangan',
      text: 'Saya tambahkan: nama ayah di KK juga salah ketik, mohon sekalian diperbaiki.',
      references: [first.sourceId],
    });
    await service.sink.submit(reply, { channel: 'email' });
    await service.sink.submit(reply, { channel: 'email' });
    await waitFor(() => effectsDone(ticket.id, 3), 10_000, 'follow-up effect');
    await new Promise((r) => setTimeout(r, 300));
    expect(await service.store.countTickets()).toBe(1);
    const stored = await service.store.getTicket(ticket.id);
    expect(stored?.history.filter((h) => h.event === 'follow-up')).toHaveLength(1);
    const files = outboxFiles();
    expect(files.filter((f) => f.includes('.ack'))).toHaveLength(1);
    expect(files.filter((f) => f.includes('.fu-'))).toHaveLength(1);
  });

  test('several messages of one conversation arriving together make one ticket and follow-ups', async () => {
    service = await startTestService(env);
    const messages = Array.from({ length: 6 }, (_, i) =>
      complaint({
        channel: 'messenger',
        sourceId: `m_burst_${i}`,
        threadId: 'page-1:user-9',
        complainant: { name: 'Dewi', platformUserId: 'user-9' },
        subject: undefined,
        text: `min tolong, pesan ke-${i} soal akta kelahiran anak sy`,
      }),
    );
    await Promise.all(messages.map((m) => service!.sink.submit(m, { channel: 'messenger' })));
    await waitFor(
      async () =>
        (await service!.store.listPendingIntake(new Date(Date.now() + 60_000).toISOString(), 10)).length === 0,
      10_000,
      'intake drained',
    );
    const tickets = await service.store.listTickets({});
    expect(tickets).toHaveLength(1);
    await waitFor(() => effectsDone(tickets[0]!.id, 2 + 5), 10_000, 'follow-ups forwarded');
    expect(
      (await service.store.getTicket(tickets[0]!.id))?.history.filter((h) => h.event === 'follow-up'),
    ).toHaveLength(5);
  });

  test('work lost from Redis is put back by the reconciler from the store', async () => {
    service = await startTestService(env);
    const c = complaint();
    // Accepted into the durable inbox, but the queue never got it (Redis lost it).
    await service.store.acceptIntake(
      'email',
      c.sourceId,
      JSON.stringify({ ...c, references: [], attachments: [], autoReplyAllowed: true, meta: {} }),
    );
    const repaired = await service.reconciler.runOnce(Date.now() + 10 * 60_000);
    expect(repaired.intake).toBe(1);
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(() => effectsDone(ticket.id), 10_000, 'effects');
    // Nothing left to repair, and running again creates nothing new.
    expect(await service.reconciler.runOnce(Date.now() + 10 * 60_000)).toEqual({ intake: 0, effects: 0 });
    expect(outboxFiles()).toHaveLength(2);
  });

  test('a dead job whose dead-letter copy was lost is found again by the next reconciler pass', async () => {
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, {
      address: 'pengaduan@aduan.test',
      name: 'Aduan',
    });
    const flaky = new FlakyTransport(outbox, (m) =>
      m.purpose === 'team-ticket' ? smtpError(550, '5.1.1 no such mailbox') : undefined,
    );
    service = await startTestService(env, { transports: { citizen: { email: outbox }, team: flaky } });
    await service.sink.submit(complaint(), { channel: 'email' });
    await waitFor(async () => (await service!.queues.deadLetter.getWaitingCount()) === 1, 10_000, 'dead letter');
    await service.queues.deadLetter.obliterate({ force: true }); // the copy is lost; the failed job remains
    expect(await service.queues.deadLetter.getWaitingCount()).toBe(0);
    await service.reconciler.runOnce();
    expect(await service.queues.deadLetter.getWaitingCount()).toBe(1);
  });

  test('a follow-up whose job Redis lost is forwarded after the reconciler runs intake again', async () => {
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, {
      address: 'pengaduan@aduan.test',
      name: 'Aduan',
    });
    let losing = true;
    const flaky = new FlakyTransport(outbox, (m) =>
      losing && m.purpose === 'team-follow-up' ? smtpError(550, 'lost') : undefined,
    );
    service = await startTestService(env, { transports: { citizen: { email: outbox }, team: flaky } });
    const first = complaint();
    await service.sink.submit(first, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', first.sourceId), 10_000, 'ticket');
    await waitFor(() => effectsDone(ticket.id), 10_000, 'first effects');
    const reply = complaint({
      sourceId: '<reply-lost@mail.gmail.com>',
      text: 'Bagaimana kelanjutannya?',
      references: [first.sourceId],
    });
    await service.sink.submit(reply, { channel: 'email' });
    await waitFor(async () => (await service!.queues.deadLetter.getWaitingCount()) === 1, 10_000, 'follow-up failed');
    // Redis forgets everything about it: the failed job and its dead-letter copy.
    await service.queues.effects.obliterate({ force: true });
    await service.queues.deadLetter.obliterate({ force: true });
    await service.queues.intake.obliterate({ force: true });
    losing = false;
    const later = Date.now() + 10 * 60_000;
    // The store marked it dead when its job died: the reconciler leaves it alone, `dlq list` shows it,
    // and `dlq replay --all` makes it pending again.
    expect((await service.reconciler.runOnce(later)).intake).toBe(0);
    const listed = capture();
    await runDlqList(env.config, listed.stream);
    expect(listed.text()).toContain('1 message(s) marked dead in the store');
    expect(listed.text()).toContain('<reply-lost@mail.gmail.com>');
    const replayed = capture();
    await runDlqReplay(env.config, { all: true }, replayed.stream);
    expect(replayed.text()).toContain('1 message(s) marked dead in the store are pending again');
    expect((await service.reconciler.runOnce(later)).intake).toBe(1); // the store has it pending again
    await waitFor(() => effectsDone(ticket.id, 3), 10_000, 'follow-up forwarded');
    expect(flaky.delivered.filter((m) => m.purpose === 'team-follow-up')).toHaveLength(1);
    expect((await service.reconciler.runOnce(later)).intake).toBe(0);
  });

  test('channels without automatic replies are acknowledged by staff, and the ticket says so', async () => {
    service = await startTestService(env);
    const c = complaint({
      channel: 'walk-in',
      sourceId: 'walkin-A012',
      queueNumber: 'A012',
      complainant: { name: 'Hotman' },
    });
    await service.sink.submit(c, { channel: 'walk-in' });
    const ticket = await waitFor(() => service!.store.findBySource('walk-in', 'walkin-A012'), 10_000, 'ticket');
    await waitFor(() => effectsDone(ticket.id), 10_000, 'effects');
    const stored = await service.store.getTicket(ticket.id);
    expect(stored?.history.find((h) => h.event === 'acknowledgement-skipped')?.note).toMatch(/petugas/);
    expect(outboxFiles()).toEqual([`${tokenTagOf(ticket.ticketNumber)}.team.eml`]);
  });

  test('health reports Redis, store and channels', async () => {
    service = await startTestService(env);
    const report = await service.health();
    expect(report).toMatchObject({ status: 'ok', redis: { ok: true }, store: { ok: true }, channels: [] });
  });

  test('no NIK or full phone number reaches the logs', async () => {
    service = await startTestService(env);
    const c = complaint({
      text: 'NIK 1211045706890002 ditolak BPJS, hubungi 0812-3456-7890',
      complainant: { name: 'Jhon', email: 'jhon@example.com', phone: '+6281234567890' },
    });
    await service.sink.submit(c, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', c.sourceId), 10_000, 'ticket');
    await waitFor(() => effectsDone(ticket.id), 10_000, 'effects');
    await service.sink.submit({ ...c, sourceId: 'bad', receivedAt: 'x' }, { channel: 'email' });
    const all = env.logLines.join('\n');
    expect(env.logLines.length).toBeGreaterThan(3);
    expect(all).not.toMatch(/1211045706890002|81234567890|3456-7890/);
    expect(path.basename(env.dir)).toMatch(/aduan-test-/);
  });
});
