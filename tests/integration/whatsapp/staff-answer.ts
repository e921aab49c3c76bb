import type { Ticket } from '../../../src/domain/complaint';
import type { InboundSpec } from '../../support/fake-whatsapp-server';
import { waitFor } from '../../support/service-harness';
import type { WhatsAppHarness } from './whatsapp-test-env';

let seq = 0;

/** One citizen text message to `phoneNumberId` from `waId`. */
export function citizenText(phoneNumberId: string, waId: string, body: string): InboundSpec {
  return {
    phoneNumberId,
    waId,
    wamid: `wamid.ANS${Date.now()}${++seq}`,
    message: { type: 'text', text: { body } },
  };
}

/** The ticket once its initial response and team mail are done. */
export async function acknowledged(h: WhatsAppHarness): Promise<Ticket> {
  const ticket = await waitFor(async () => (await h.tickets())[0], 15_000, 'the ticket');
  await waitFor(
    async () => (await h.service.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length >= 2,
    15_000,
    'first effects',
  );
  return ticket;
}

/** The ticket once a history entry satisfies `test`. */
export function ticketWith(h: WhatsAppHarness, ticketId: string, test: (note: string) => boolean): Promise<Ticket> {
  return waitFor(
    async () => {
      const t = await h.service.store.getTicket(ticketId);
      return t?.history.some((e) => test(e.note ?? '')) ? t : undefined;
    },
    20_000,
    'the history entry',
  );
}
