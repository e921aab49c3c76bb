import type { ComplaintInputDraft, Ticket } from '../../src/domain/complaint';
import type { RunningService } from '../../src/main';
import { tokenTagOf } from './staff-mail';
import { waitFor } from './service-harness';

/** A resolved ticket with its answer relayed, the way the survey expects tickets to end. */

let seq = 0;
export const uniqueId = () => `${Date.now().toString(36)}-${++seq}`;

/** A team member's proven answer by mail (see relay-channels.test.ts). */
export function staffAnswer(ticket: Ticket, teamEmail: string, text: string): ComplaintInputDraft {
  return {
    channel: 'email',
    sourceId: `<jawab-${uniqueId()}@disdukcapil.dairikab.go.id>`,
    receivedAt: new Date().toISOString(),
    complainant: { name: 'Petugas', email: teamEmail },
    subject: `RE: [${ticket.ticketNumber}] Tiket baru`,
    text,
    autoReplyAllowed: false,
    meta: {
      automated: 'own',
      replyTag: tokenTagOf(ticket.ticketNumber),
      senderAuth: 'pass',
      senderAuthNote: 'dmarc=pass (mx.google.com)',
    },
  };
}

/** Submits the complaint, waits for its first effects, answers it as staff and waits for the ticket's new status. */
export async function answeredTicket(
  service: RunningService,
  teams: Record<string, { emails: string[] }>,
  draft: ComplaintInputDraft,
  answer = 'Syaratnya surat keterangan lahir, KK dan KTP orang tua.',
): Promise<Ticket> {
  await service.sink.submit(draft, { channel: draft.channel });
  const ticket = await waitFor(() => service.store.findBySource(draft.channel, draft.sourceId), 15_000, 'ticket');
  await waitFor(
    async () => (await service.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length >= 2,
    15_000,
    'first effects',
  );
  await service.sink.submit(staffAnswer(ticket, teams[ticket.team]!.emails[0]!, answer), { channel: 'email' });
  const ask = answer.startsWith('#tanya');
  return waitFor(
    async () => {
      const now = await service.store.getTicket(ticket.id);
      return now?.status === (ask ? 'waiting-citizen' : 'resolved') ? now : undefined;
    },
    15_000,
    'the answer relayed',
  );
}
