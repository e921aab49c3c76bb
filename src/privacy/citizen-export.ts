import { stat } from 'node:fs/promises';
import type { Ticket } from '../domain/complaint';
import type { EffectRecord, Store } from '../store/store';
import type { DataRequest, Restriction } from '../store/privacy-records';

/** Everything held about a data subject (the right of access), unmasked: the one deliberate exception. */
export interface CitizenExport {
  generatedAt: string;
  /** The identifier the request named (`phone:+62…`). */
  subject: string;
  /** How the operator checked the citizen's identity. */
  verifiedBy: string;
  requestId: string;
  tickets: Array<{ ticket: Ticket; effects: EffectRecord[] }>;
  /** Contact details as held on the tickets, deduplicated. */
  contacts: Array<Ticket['complainant'] & { channel: string }>;
  attachments: Array<{
    ticketNumber: string;
    filename: string;
    contentType: string;
    size: number;
    path?: string;
    /** Whether the file is still on disk (false: deleted, or never stored). */
    onDisk: boolean;
  }>;
  restrictions: Restriction[];
  requests: DataRequest[];
}

export async function buildCitizenExport(
  store: Pick<Store, 'listEffects' | 'findRestrictions' | 'listDataRequests'>,
  tickets: readonly Ticket[],
  request: DataRequest,
  subjectKeys: string[],
  verifiedBy: string,
  now: Date,
): Promise<CitizenExport> {
  const contacts = new Map<string, Ticket['complainant'] & { channel: string }>();
  const attachments: CitizenExport['attachments'] = [];
  const withEffects: CitizenExport['tickets'] = [];
  for (const ticket of tickets) {
    withEffects.push({ ticket, effects: await store.listEffects(ticket.id) });
    const contact = { channel: ticket.channel, ...ticket.complainant };
    if (Object.keys(contact).length > 1) contacts.set(JSON.stringify(contact), contact);
    const files = [...ticket.attachments, ...ticket.history.flatMap((h) => h.attachments ?? [])];
    for (const a of files) {
      const onDisk = a.storedAt
        ? await stat(a.storedAt).then(
            (s) => s.isFile(),
            () => false,
          )
        : false;
      attachments.push({
        ticketNumber: ticket.ticketNumber,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        ...(a.storedAt ? { path: a.storedAt } : {}),
        onDisk,
      });
    }
  }
  const subjects = new Set(subjectKeys);
  return {
    generatedAt: now.toISOString(),
    subject: request.subject,
    verifiedBy,
    requestId: request.id,
    tickets: withEffects,
    contacts: [...contacts.values()],
    attachments,
    restrictions: await store.findRestrictions([...subjects]),
    requests: (await store.listDataRequests()).filter((r) => subjects.has(r.subject)),
  };
}
