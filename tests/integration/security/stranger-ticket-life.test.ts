import type { ComplaintInputDraft } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { resolvedEmailTicket } from '../../support/resolved-ticket';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';

/**
 * A ticket's life belongs to its citizen: mail from a stranger that names a ticket only by its
 * (predictable) number — the bare +tag of the reply address, or one of our citizen Message-IDs — is kept
 * on the ticket for staff, but neither reopens a resolved ticket nor ends a wait on the citizen.
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

const resolvedTicket = async () => (await resolvedEmailTicket(service, env, '<asal-warga@mail.gmail.com>')).ticket;

const stranger = (sourceId: string, extra: Partial<ComplaintInputDraft>): ComplaintInputDraft => ({
  channel: 'email',
  sourceId,
  receivedAt: new Date().toISOString(),
  complainant: { name: 'Orang Lain', email: 'iseng@example.net' },
  subject: 'Buka lagi',
  text: 'Pengaduan ini belum selesai, tolong dibuka lagi dan dikerjakan ulang.',
  ...extra,
});

test('a stranger writing to a ticket reply address (bare +tag) does not reopen it', async () => {
  const ticket = await resolvedTicket();
  const mail = stranger('<iseng-tag@example.net>', { meta: { replyTag: ticket.ticketNumber } });
  await service.sink.submit(mail, { channel: 'email' });
  const stored = await waitFor(
    async () => {
      const t = await service.store.getTicket(ticket.id);
      return t?.history.some((h) => h.ref === mail.sourceId) ? t : undefined;
    },
    10_000,
    'the stranger mail on the ticket',
  );
  expect(stored.status).toBe('resolved');
  expect(stored.history.filter((h) => h.event === 'reopened')).toHaveLength(0);
});

test('a stranger answering a guessed citizen Message-ID does not reopen the ticket', async () => {
  const ticket = await resolvedTicket();
  const domain = env.config.outbound.fromAddress.split('@')[1]!;
  const mail = stranger('<iseng-ref@example.net>', {
    references: [`<${ticket.ticketNumber}.ack@${domain}>`],
    // A mail the loop guard would not answer (auth failed): byOwnMessageId takes it for any ticket.
    autoReplyAllowed: false,
  });
  await service.sink.submit(mail, { channel: 'email' });
  const stored = await waitFor(
    async () => {
      const t = await service.store.getTicket(ticket.id);
      return t?.history.some((h) => h.ref === mail.sourceId) ? t : undefined;
    },
    10_000,
    'the stranger mail on the ticket',
  );
  expect(stored.status).toBe('resolved');
  expect(stored.history.filter((h) => h.event === 'reopened')).toHaveLength(0);
});

test('the citizen herself writing to the +tag still reopens the ticket', async () => {
  const ticket = await resolvedTicket();
  const mail: ComplaintInputDraft = {
    channel: 'email',
    sourceId: '<warga-lagi@mail.gmail.com>',
    receivedAt: new Date().toISOString(),
    complainant: { name: 'Rosmawati', email: 'rosmawati@gmail.com' },
    subject: 'Surat pindah lagi',
    text: 'Maaf, untuk anak di bawah umur apakah syaratnya sama?',
    meta: { replyTag: ticket.ticketNumber },
  };
  await service.sink.submit(mail, { channel: 'email' });
  await waitFor(async () => (await service.store.getTicket(ticket.id))?.status === 'reopened', 10_000, 'reopened');
});

test('a stranger writing to a vague ticket by its +tag does not reclassify or re-route it', async () => {
  const first: ComplaintInputDraft = {
    channel: 'email',
    sourceId: '<samar-warga@mail.gmail.com>',
    receivedAt: new Date().toISOString(),
    complainant: { name: 'Rosmawati', email: 'rosmawati@gmail.com' },
    subject: 'Urusan',
    text: 'Min, saya ada urusan yang belum selesai, bagaimana ini?',
  };
  await service.sink.submit(first, { channel: 'email' });
  const ticket = await waitFor(() => service.store.findBySource('email', first.sourceId), 10_000, 'the ticket');
  expect(ticket.classification.category).toBe('other');
  const mail = stranger('<iseng-kelas@example.net>', {
    text: 'NIK saya ditolak waktu daftar BPJS Kesehatan karena data tidak padan. Mohon dibantu konsolidasi.',
    meta: { replyTag: ticket.ticketNumber },
  });
  await service.sink.submit(mail, { channel: 'email' });
  await waitFor(
    async () => (await service.store.getTicket(ticket.id))?.history.some((h) => h.ref === mail.sourceId),
    10_000,
    'the stranger mail on the ticket',
  );
  await new Promise((r) => setTimeout(r, 300));
  const after = (await service.store.getTicket(ticket.id))!;
  expect(after.classification.category).toBe('other');
  expect(after.team).toBe(ticket.team);
  expect(after.history.filter((h) => h.event === 'rerouted')).toHaveLength(0);
});
