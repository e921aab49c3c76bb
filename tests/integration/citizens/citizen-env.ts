import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { ComplaintInputDraft, Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { waitFor, type TestEnv } from '../../support/service-harness';
import { tokenTagOf } from '../../support/staff-mail';
import { normalizeWhatsAppWebhook } from '../../../src/channels/whatsapp/normalize';

/** Shared steps of the citizen tests: feed a complaint, wait for its ticket, read its team mail. */

let seq = 0;
export function uniqueId(prefix: string): string {
  return `${prefix}-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function submitAndWait(service: RunningService, draft: ComplaintInputDraft): Promise<Ticket> {
  expect(await service.sink.submit(draft, { channel: draft.channel })).toEqual({ status: 'queued' });
  const ticket = await waitFor(
    () => service.store.findBySource(draft.channel, draft.sourceId),
    15_000,
    `ticket ${draft.sourceId}`,
  );
  // The ticket is attached to its citizen record right after it is stored.
  await waitFor(() => service.store.citizenOfTicket(ticket.id), 15_000, `citizen of ${ticket.ticketNumber}`);
  return ticket;
}

export async function teamMailText(env: TestEnv, ticket: Ticket): Promise<string> {
  const file = path.join(env.config.outbound.outboxDir, `${tokenTagOf(ticket.ticketNumber)}.team.eml`);
  const raw = await waitFor(
    async () => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    15_000,
    `team mail of ${ticket.ticketNumber}`,
  );
  return (await simpleParser(raw)).text ?? '';
}

/** A WhatsApp text message as the Cloud API's webhook carries it, through the channel's own normalizer. */
export function whatsappComplaint(waId: string, text: string, at = '2026-11-30T02:00:00Z'): ComplaintInputDraft {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA-1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6262720000', phone_number_id: '1098765' },
              contacts: [{ wa_id: waId, profile: { name: 'Warga' } }],
              messages: [
                {
                  from: waId,
                  id: `wamid.${uniqueId('wa')}`,
                  timestamp: String(Math.floor(Date.parse(at) / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  const [item] = normalizeWhatsAppWebhook(payload, new Set(['1098765']), new Date(at));
  if (item?.kind !== 'complaint') throw new Error(`the WhatsApp normalizer gave ${JSON.stringify(item)}`);
  return item.complaint;
}

export function emailComplaint(
  from: string,
  text: string,
  extra: Partial<ComplaintInputDraft> = {},
): ComplaintInputDraft {
  return {
    channel: 'email',
    sourceId: `<${uniqueId('mail')}@mail.example.com>`,
    receivedAt: '2026-11-30T09:00:00+07:00',
    complainant: { name: 'Rosmawati Sinaga', email: from },
    subject: 'Pengaduan',
    text,
    ...extra,
  };
}
