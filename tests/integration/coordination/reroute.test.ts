import { runTicketRoute } from '../../../src/cli/commands/ticket';
import type { RunningService } from '../../../src/main';
import type { FlakyTransport } from '../../support/flaky-transport';
import { createTestEnv, startTestService, waitFor, type TestEnv, recordingOutbox } from '../../support/service-harness';
import { tokenTagOf } from '../../support/staff-mail';

function capture() {
  let text = '';
  return {
    stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

describe('aduan ticket route', () => {
  let env: TestEnv;
  let service: RunningService;
  let sent: FlakyTransport;

  beforeEach(async () => {
    env = createTestEnv();
    sent = recordingOutbox(env);
    service = await startTestService(env, { transports: { citizen: { email: sent }, team: sent } });
  });
  afterEach(async () => {
    await service.stop();
    await env.cleanup();
  });

  test('sends the ticket to the new team once, recording who moved it and why', async () => {
    const draft = {
      channel: 'email' as const,
      sourceId: '<pindah@mail.gmail.com>',
      receivedAt: new Date().toISOString(),
      complainant: { name: 'Rosmawati Sinaga', email: 'rosma@example.com' },
      text: 'Saya mau tanya syarat membuat akta kelahiran anak, apa saja berkasnya?',
    };
    await service.sink.submit(draft, { channel: 'email' });
    const ticket = await waitFor(() => service.store.findBySource('email', draft.sourceId), 10_000, 'ticket');
    await waitFor(async () => sent.delivered.some((m) => m.purpose === 'team-ticket'), 10_000, 'the first team mail');
    const target = ticket.team === 'capil' ? 'piak' : 'capil';

    const out = capture();
    expect(
      await runTicketRoute(
        env.config,
        ticket.ticketNumber,
        { team: target, reason: 'akta kelahiran ditangani Capil', by: 'operator1' },
        out.stream,
        capture().stream,
      ),
    ).toBe(0);
    expect(out.text()).toContain(`dialihkan ke ${env.config.teams[target]!.name}`);
    const moved = await waitFor(
      async () => sent.delivered.find((m) => m.id.startsWith(`${tokenTagOf(ticket.ticketNumber)}.rr-`)),
      10_000,
      'the re-routed team mail',
    );
    expect(moved.to).toEqual(env.config.teams[target]!.emails);
    expect(moved.subject).toMatch(new RegExp(`^\\[${ticket.ticketNumber}\\] Dialihkan:`));
    expect(moved.text).toContain(
      `dari ${env.config.teams[ticket.team]!.name} ke ${env.config.teams[target]!.name}. Alasan: akta kelahiran ditangani Capil`,
    );

    await waitFor(
      async () =>
        (await service.store.listEffects(ticket.id)).some((e) => e.kind.startsWith('reroute:') && e.state === 'done'),
      10_000,
      'the reroute effect',
    );
    // The same command again: nothing changes, nothing is sent.
    const again = capture();
    expect(
      await runTicketRoute(
        env.config,
        ticket.ticketNumber,
        { team: target, reason: 'lagi' },
        again.stream,
        capture().stream,
      ),
    ).toBe(0);
    expect(again.text()).toContain('sudah ditangani');
    await new Promise((r) => setTimeout(r, 500));
    expect(sent.delivered.filter((m) => m.id.startsWith(`${tokenTagOf(ticket.ticketNumber)}.rr-`))).toHaveLength(1);
    const stored = (await service.store.getTicket(ticket.id))!;
    expect(stored.team).toBe(target);
    expect(stored.history.filter((h) => h.event === 'rerouted')).toEqual([
      expect.objectContaining({
        by: 'operator1',
        note: expect.stringContaining('Alasan: akta kelahiran ditangani Capil'),
      }),
    ]);
  });

  test('an unknown team or a missing reason is refused with the list of teams', async () => {
    const err = capture();
    expect(
      await runTicketRoute(
        env.config,
        'ADU-2026-000001',
        { team: 'keuangan', reason: 'x' },
        capture().stream,
        err.stream,
      ),
    ).toBe(2);
    expect(err.text()).toContain(
      'tim "keuangan" tidak dikenal; tim yang ada: pendaftaran, capil, piak, informasi, triase',
    );
    const noReason = capture();
    expect(
      await runTicketRoute(
        env.config,
        'ADU-2026-000001',
        { team: 'capil', reason: ' ' },
        capture().stream,
        noReason.stream,
      ),
    ).toBe(2);
    expect(noReason.text()).toContain('--reason');
  });
});
