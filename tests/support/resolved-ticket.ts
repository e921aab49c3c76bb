import { runTicketResolve } from '../../src/cli/commands/ticket';
import type { ComplaintInputDraft, Ticket } from '../../src/domain/complaint';
import type { RunningService } from '../../src/main';
import { waitFor, type TestEnv } from './service-harness';

const quiet = { write: () => true } as unknown as NodeJS.WritableStream;

/** A citizen's first mail, its ticket with the first effects done, resolved by `aduan ticket resolve`. */
export async function resolvedEmailTicket(
  service: RunningService,
  env: TestEnv,
  sourceId: string,
): Promise<{ first: ComplaintInputDraft; ticket: Ticket }> {
  const first: ComplaintInputDraft = {
    channel: 'email',
    sourceId,
    receivedAt: new Date().toISOString(),
    complainant: { name: 'Rosmawati', email: 'rosmawati@gmail.com' },
    subject: 'Surat pindah',
    text: 'Mohon informasi syarat surat pindah ke Medan.',
  };
  await service.sink.submit(first, { channel: 'email' });
  const ticket = await waitFor(() => service.store.findBySource('email', sourceId), 10_000, 'the ticket');
  await waitFor(
    async () => (await service.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length === 2,
    10_000,
    'first effects',
  );
  expect(await runTicketResolve(env.config, ticket.ticketNumber, 'Syarat sudah dikirim.', quiet, quiet)).toBe(0);
  return { first, ticket };
}
