import { readdirSync } from 'node:fs';
import { runTicketResolve } from '../../../src/cli/commands/ticket';
import type { RunningService } from '../../../src/main';
import { intakeJobId } from '../../../src/pipeline/queues';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { resolvedEmailTicket } from '../../support/resolved-ticket';
import { tokenTagOf } from '../../support/staff-mail';

/**
 * Nothing twice: the intake job of a reopening message run again (a retry, a duplicate job, the
 * reconciler), even after the ticket was resolved once more, neither reopens the ticket again nor
 * mails the team again. Real pipeline, real Redis, SQLite store, outbox.
 */

jest.setTimeout(60_000);

let env: TestEnv;
let service: RunningService;

beforeEach(async () => {
  env = createTestEnv();
  service = await startTestService(env);
});
afterEach(async () => {
  await service.stop();
  await env.cleanup();
});

const quiet = { write: () => true } as unknown as NodeJS.WritableStream;

test('a reopening message processed again reopens nothing and sends nothing more', async () => {
  const { first, ticket } = await resolvedEmailTicket(service, env, '<asal-sekali@mail.gmail.com>');

  const again = {
    channel: 'email' as const,
    sourceId: '<lagi-sekali@mail.gmail.com>',
    references: [first.sourceId],
    receivedAt: new Date().toISOString(),
    complainant: { name: 'Rosmawati', email: 'rosmawati@gmail.com' },
    subject: 'Re: Surat pindah',
    text: 'Maaf, untuk anak di bawah umur apakah syaratnya sama?',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
  };
  await service.sink.submit(again, { channel: 'email' });
  const followUps = () =>
    readdirSync(env.config.outbound.outboxDir).filter((f) => f.startsWith(`${tokenTagOf(ticket.ticketNumber)}.fu-`));
  await waitFor(async () => (await service.store.getTicket(ticket.id))?.status === 'reopened', 10_000, 'reopened');
  await waitFor(async () => followUps().length === 1, 10_000, 'the reopened team mail');

  // Resolved again; then the same message's intake job runs twice more.
  expect(await runTicketResolve(env.config, ticket.ticketNumber, 'Sama, ditambah akta anak.', quiet, quiet)).toBe(0);
  for (const n of [1, 2])
    await service.queues.intake.add(
      'complaint',
      { complaint: again },
      { jobId: `${intakeJobId('email', again.sourceId)}-again-${n}` },
    );
  await waitFor(
    async () => (await service.queues.intake.getJobCounts('waiting', 'active', 'delayed')).waiting === 0,
    10_000,
    'the repeated jobs run',
  );
  await new Promise((r) => setTimeout(r, 1000));
  const stored = (await service.store.getTicket(ticket.id))!;
  expect(stored.status).toBe('resolved');
  expect(stored.history.filter((h) => h.event === 'reopened')).toHaveLength(1);
  expect(followUps()).toHaveLength(1);
  expect(await service.store.listTickets({})).toHaveLength(1);
});
