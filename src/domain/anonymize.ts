import type { AnonymizationReason, Attachment, HistoryEntry, HistoryEvent, Ticket } from './complaint';
import { maskAllPersonalData } from './personal-data';

/**
 * The ticket without its personal data (UU No. 27/2022 PDP): what stays is what the office's figures
 * need — number, kind, channel, team, status, target, every time and history event, queue number,
 * integrity flags — so a recap computed after anonymization is the one computed before. Gone: the
 * complainant (name, contacts, NIK/KK, platform ids), subject, text, quoted text, signature, message ids
 * (an email Message-ID or a WhatsApp wamid can carry an address or a number), channel facts, file
 * names and the place of stored files, the citizen's and staff's words in the history. Pure.
 */

export const ANONYMIZED_TEXT = '[dihapus sesuai UU PDP]';

/** History entries whose note is someone's words (a citizen's message, a staff answer): removed, not masked. */
const WORDS: ReadonlySet<HistoryEvent> = new Set<HistoryEvent>([
  'follow-up',
  'staff-reply',
  'internal-note',
  'citizen-replied',
  'reopened',
  'citizen-ack',
  'status-question',
  'note',
  'resolved',
  'rerouted',
]);

export function anonymizeTicket(ticket: Ticket, at: string, reason: AnonymizationReason): Ticket {
  if (ticket.anonymized) return ticket;
  const { threadId: _thread, subject: _subject, quotedText: _quoted, signature: _signature, ...kept } = ticket;
  return {
    ...kept,
    // Unique per channel like the source id it replaces; derived from the ticket, not the message.
    sourceId: `anonymized:${ticket.id}`,
    references: [],
    complainant: {},
    text: ANONYMIZED_TEXT,
    attachments: ticket.attachments.map(anonymizeAttachment),
    meta: keptMeta(ticket),
    classification: { ...ticket.classification, evidence: [] },
    history: ticket.history.map(anonymizeEntry),
    anonymized: { at, reason },
  };
}

/**
 * The SP4N-LAPOR! report's own facts: its Tracking ID (the national system's report number) and the dates its
 * clock runs from. No personal data, and the recap's LAPOR! milestones are computed from them, so they stay.
 */
const KEPT_META_KEYS: ReadonlySet<string> = new Set([
  'laporTrackingId',
  'laporForwardedAt',
  'laporDisposedAt',
  'laporSubmittedAt',
  'laporClockBasis',
]);

function keptMeta(ticket: Ticket): Ticket['meta'] {
  const kept = Object.fromEntries(Object.entries(ticket.meta).filter(([key]) => KEPT_META_KEYS.has(key)));
  // A LAPOR! ticket's source id is its Tracking ID: it outlives the source id the anonymization replaces.
  if (ticket.channel === 'lapor' && kept.laporTrackingId === undefined) kept.laporTrackingId = ticket.sourceId;
  return kept;
}

function anonymizeAttachment(a: Attachment): Attachment {
  return { filename: 'dihapus', contentType: a.contentType, size: a.size, skippedReason: 'dihapus sesuai UU PDP' };
}

/** Staff who answered or re-routed (verified), operators, the service itself: who acted for the office stays. */
const OFFICE_ACTORS: ReadonlySet<HistoryEvent> = new Set<HistoryEvent>(['staff-reply', 'internal-note', 'rerouted']);

function anonymizeEntry(entry: HistoryEntry): HistoryEntry {
  const { note, ref: _ref, unverified, attachments: _files, by, statusAnswer, sameProblem, ...rest } = entry;
  // Where the citizen was told (an address, a phone, an account id) goes; the channel stays for the recap.
  const kept: HistoryEntry = {
    ...rest,
    ...(sameProblem
      ? { sameProblem: { channel: sameProblem.channel, ...(sameProblem.nikOnly ? { nikOnly: true as const } : {}) } }
      : {}),
    ...(statusAnswer ? { statusAnswer: { channel: statusAnswer.channel, to: 'dihapus' } } : {}),
  };
  // Anyone else named here (the sender of an out-of-office, a forged "staff" answer) may be the citizen.
  const office =
    by !== undefined &&
    ((OFFICE_ACTORS.has(entry.event) && unverified === undefined) || /^(operator:|app-)|^(aduan|pelapor)$/.test(by));
  const withBy = office ? { ...kept, by } : kept;
  if (note === undefined || WORDS.has(entry.event)) return withBy;
  return { ...withBy, note: maskAllPersonalData(note) };
}

/** Every stored file of the ticket (its own and its answers'): deleted from disk with the personal data. */
export function storedFilesOf(ticket: Ticket): string[] {
  const paths = ticket.attachments.map((a) => a.storedAt);
  for (const entry of ticket.history) for (const a of entry.attachments ?? []) paths.push(a.storedAt);
  return [...new Set(paths.filter((p): p is string => typeof p === 'string' && p.length > 0))];
}

/** The stored files named by a normalized complaint record (JSON: an intake payload, a held chat message). */
export function storedFilesOfRecord(payload: string): string[] {
  try {
    const record = JSON.parse(payload) as { attachments?: Array<{ storedAt?: unknown }> };
    return (record.attachments ?? []).map((a) => a.storedAt).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}
