import { Writable } from 'node:stream';
import { laporChannelSchema } from '../../../src/channels/lapor/config-schema';
import { runTicketForward } from '../../../src/cli/commands/ticket-forward';
import { runTicketShow } from '../../../src/cli/commands/ticket';
import type { ComplaintInputDraft } from '../../../src/domain/complaint';
import { laporComplaint } from '../../../src/domain/lapor-report';
import type { RunningService } from '../../../src/main';
import { SlaSweep } from '../../../src/pipeline/sla-sweep';
import type { FlakyTransport } from '../../support/flaky-transport';
import { createTestEnv, recordingOutbox, startTestService, waitFor, type TestEnv } from '../../support/service-harness';

jest.setTimeout(90_000);

const ADMIN = 'penghubung@aduan.test';
const KABID = 'kabid@aduan.test';
/** Open every day around the clock: "N working days" are N calendar days, whatever day the test runs. */
const ALWAYS_OPEN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, '00:00-24:00']),
);
const DAY = 24 * 3600_000;

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    }),
    text: () => text,
  };
}

describe("LAPOR!'s clock in the SLA sweep, and no wrong door", () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  let sent: FlakyTransport;

  beforeEach(() => {
    env = createTestEnv((c) => ({
      ...c,
      calendar: { hours: ALWAYS_OPEN, holidays: [] },
      sla: { ...c.sla, timers: true, checkEverySeconds: 1, supervisorEmails: [KABID] },
      channels: { ...c.channels, lapor: laporChannelSchema.parse({ enabled: true, adminPenghubung: [ADMIN] }) },
    }));
    sent = recordingOutbox(env);
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  const start = async () => {
    service = await startTestService(env, { transports: { citizen: { email: sent }, team: sent } });
    return service;
  };
  const withSuffix = (suffix: string) => sent.delivered.filter((m) => m.id.endsWith(suffix));
  const report = (trackingId: string, forwardedDaysAgo: number): ComplaintInputDraft => {
    const built = laporComplaint(
      {
        trackingId,
        text: 'Akta kelahiran anak saya salah nama ayah, sudah tiga kali datang belum diperbaiki.',
        forwardedAt: new Date(Date.now() - forwardedDaysAgo * DAY).toISOString(),
        entry: 'test',
      },
      new Date(),
    );
    if (!built.ok) throw new Error(built.reason);
    return built.complaint;
  };

  test('reminders at 3 and 4 working days and the escalation past 5: each the one due, once', async () => {
    const s = await start();
    // Forwarded 4, 5 and 6 days ago: the 3-day reminder is due; the 4-day one (not the 3-day one); the escalation.
    for (const [id, days] of [
      ['3100001', 4],
      ['3100002', 5],
      ['3100003', 6],
    ] as const)
      await s.sink.submit(report(id, days), { channel: 'lapor' });
    await waitFor(
      async () =>
        withSuffix('.lapor-remind-3').length +
          withSuffix('.lapor-remind-4').length +
          withSuffix('.lapor-escalate').length ===
        3,
      20_000,
      'the LAPOR! reminders and escalation',
    );
    const ticketOf = async (id: string) => (await s.store.findBySource('lapor', id))!;
    const [a, b, c] = [await ticketOf('3100001'), await ticketOf('3100002'), await ticketOf('3100003')];
    const ofTicket = (ticketNumber: string, suffix: string) =>
      withSuffix(suffix).filter((m) => m.subject.startsWith(`[${ticketNumber}]`));
    expect(ofTicket(a.ticketNumber, '.lapor-remind-3')).toHaveLength(1);
    expect(ofTicket(b.ticketNumber, '.lapor-remind-4')).toHaveLength(1);
    expect(ofTicket(b.ticketNumber, '.lapor-remind-3')).toHaveLength(0);
    expect(ofTicket(c.ticketNumber, '.lapor-escalate')).toHaveLength(1);
    const reminder = ofTicket(a.ticketNumber, '.lapor-remind-3')[0]!;
    expect(reminder.to).toEqual([...env.config.teams[a.team]!.emails, ADMIN]);
    expect(reminder.subject).toContain('Pengingat LAPOR! #3100001: 3 hari kerja berlalu');
    expect(ofTicket(c.ticketNumber, '.lapor-escalate')[0]!.to).toEqual([KABID]);

    // More sweeps, then a restarted service: nothing fires twice.
    await new Promise((r) => setTimeout(r, 2500));
    await s.stop();
    const again = await start();
    await new Promise((r) => setTimeout(r, 2500));
    expect(withSuffix('.lapor-remind-3')).toHaveLength(1);
    expect(withSuffix('.lapor-remind-4')).toHaveLength(1);
    expect(withSuffix('.lapor-escalate')).toHaveLength(1);
    expect((await again.store.getTicket(c.id))!.history.filter((h) => h.event === 'lapor-escalated')).toHaveLength(1);
    expect((await again.store.getTicket(a.id))!.history.filter((h) => h.event === 'lapor-reminder')).toHaveLength(1);

    // `aduan ticket show` names the Tracking ID and LAPOR!'s deadline.
    const shown = sink();
    expect(await runTicketShow(env.config, c.ticketNumber, shown.stream, shown.stream)).toBe(0);
    expect(shown.text()).toMatch(/LAPOR!\s+: #3100003, batas tindak lanjut .+ WIB \(sejak diteruskan\)/);
    expect(shown.text()).toContain('eskalasi batas LAPOR!');
  });

  test('the sweep offers a report until its follow-up is posted, then never again', async () => {
    env.config = { ...env.config, sla: { ...env.config.sla, timers: false } };
    const s = await start();
    const sweep = new SlaSweep({
      store: s.store,
      effects: s.queues.effects,
      calendar: { timeZone: 'Asia/Jakarta', hours: ALWAYS_OPEN, holidays: [] },
      reminderAtShare: 0.5,
      intervalMs: 60_000,
      log: env.log,
      lapor: env.config.channels.lapor!,
    });
    await s.sink.submit(report('3200001', 4), { channel: 'lapor' });
    const t = await waitFor(() => s.store.findBySource('lapor', '3200001'), 10_000, 'ticket');
    await waitFor(
      async () => (await s.store.listEffects(t.id)).some((e) => e.kind === 'route' && e.state === 'done'),
      10_000,
      'routed',
    );
    // Due: the 3-day LAPOR! reminder, and the office's own escalation (its target passed days ago).
    expect(await sweep.runOnce()).toEqual({ reminders: 1, escalations: 1 });
    const queued = (await s.queues.effects.getJobs(['waiting', 'active', 'delayed'])).map((j) => j.data);
    expect(queued).toContainEqual({ ticketId: t.id, effects: ['lapor-remind'], ref: '3' });
    await waitFor(async () => withSuffix('.lapor-remind-3').length === 1, 10_000, 'the reminder');
    // The reminder recorded done (not only sent): the next pass queues nothing more for LAPOR!.
    const recorded = (kind: string) => async () =>
      (await s.store.listEffects(t.id)).some((e) => e.kind === kind && e.state === 'done');
    await waitFor(recorded('lapor-remind@3'), 10_000, 'the reminder recorded');
    await waitFor(recorded('escalate'), 10_000, 'office escalation');
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 0 });

    // A second report, answered and posted before its reminder: nothing due at all.
    await s.sink.submit(report('3200002', 4), { channel: 'lapor' });
    const u = await waitFor(() => s.store.findBySource('lapor', '3200002'), 10_000, 'ticket');
    await s.store.appendHistory(u.id, { at: new Date().toISOString(), event: 'lapor-handoff' }, 'lapor-ready');
    await s.store.appendHistory(
      u.id,
      { at: new Date().toISOString(), event: 'lapor-posted', by: 'operator:x' },
      'resolved',
    );
    expect(await sweep.runOnce()).toEqual({ reminders: 0, escalations: 0 });
  });

  test('ticket forward: recorded, the citizen told once where it went (Indonesian), closed as forwarded', async () => {
    const s = await start();
    const complaint: ComplaintInputDraft = {
      channel: 'email',
      sourceId: '<bansos-1@mail.example.com>',
      receivedAt: new Date().toISOString(),
      complainant: { name: 'Lamhot Simanjuntak', email: 'lamhot@example.com' },
      subject: 'Bantuan sosial belum cair',
      text: 'Bantuan sosial PKH keluarga saya belum cair sejak Oktober, mohon dibantu.',
    };
    await s.sink.submit(complaint, { channel: 'email' });
    const ticket = await waitFor(() => s.store.findBySource('email', complaint.sourceId), 10_000, 'ticket');
    await waitFor(async () => withSuffix('.ack').length === 1, 10_000, 'the initial response');

    const out = sink();
    const err = sink();
    const missing = await runTicketForward(
      env.config,
      ticket.ticketNumber,
      { to: 'Dinas Sosial' },
      out.stream,
      err.stream,
    );
    expect(missing).toBe(2);
    expect(err.text()).toContain('--reason');
    const code = await runTicketForward(
      env.config,
      ticket.ticketNumber,
      {
        to: 'Dinas Sosial Kabupaten Dairi',
        via: 'lapor',
        reason: 'bantuan sosial PKH bukan urusan kependudukan',
        operator: 'rina',
      },
      out.stream,
      err.stream,
    );
    expect(err.text()).not.toContain('penerusan tercatat');
    expect(code).toBe(0);
    expect(out.text()).toContain('dicatat diteruskan ke Dinas Sosial Kabupaten Dairi lewat lapor oleh rina');

    const notice = await waitFor(
      async () => sent.delivered.find((m) => m.purpose === 'solution' && m.to.includes('lamhot@example.com')),
      15_000,
      'the notice to the citizen',
    );
    expect(notice.text).toContain('bukan kewenangan Disdukcapil Kabupaten Dairi');
    expect(notice.text).toContain(
      'telah kami teruskan kepada Dinas Sosial Kabupaten Dairi melalui SP4N-LAPOR! (lapor.go.id)',
    );
    expect(notice.text).toContain('Alasan: bantuan sosial PKH bukan urusan kependudukan.');
    const closed = await waitFor(
      async () => {
        const t = (await s.store.getTicket(ticket.id))!;
        return t.status === 'forwarded' ? t : undefined;
      },
      10_000,
      'forwarded status',
    );
    expect(closed.history.find((h) => h.forward)).toMatchObject({
      event: 'staff-reply',
      by: 'operator:rina',
      forward: {
        to: 'Dinas Sosial Kabupaten Dairi',
        via: 'lapor',
        reason: 'bantuan sosial PKH bukan urusan kependudukan',
      },
    });
    expect(closed.history.filter((h) => h.event === 'forwarded')).toHaveLength(1);

    // Forwarding again changes nothing; the citizen heard it once.
    expect(
      await runTicketForward(env.config, ticket.ticketNumber, { to: 'X', reason: 'y' }, out.stream, err.stream),
    ).toBe(0);
    expect(out.text()).toContain('sudah diteruskan ke Dinas Sosial Kabupaten Dairi; tidak diubah');
    await new Promise((r) => setTimeout(r, 1000));
    expect(sent.delivered.filter((m) => m.purpose === 'solution')).toHaveLength(1);
  });
});
