import type { CategoryKey } from '../categories';
import { CHANNEL_LABELS, type ChannelKey } from '../channels';
import type { TicketStatus } from '../complaint';
import { maskPhone } from '../personal-data';
import { statusLabel } from '../ticket-life';
import { parseIdentifierKey } from './identifiers';

/** A ticket of the citizen as the team mail lists it: nothing personal, only what the office did. */
export interface CitizenTicketLine {
  ticketNumber: string;
  channel: ChannelKey;
  category: CategoryKey;
  status: TicketStatus;
  receivedAt: string;
}

/** What the team mail of a new ticket says about its sender. */
export interface CitizenSummary {
  /** The sender's other tickets (their own record and linked ones), newest first. */
  others: CitizenTicketLine[];
  /** More than listed. */
  moreOthers: number;
  /** Records that share a phone or mailbox with this one but are not linked: maybe the same person. */
  hints: Array<{ identifier: string; tickets: CitizenTicketLine[] }>;
}

/** How many earlier tickets the team mail lists. */
export const LISTED_TICKETS = 10;

/** The lines of the team mail; empty when there is nothing to say. */
export function citizenSummaryLines(
  summary: CitizenSummary,
  labelOf: (kind: CategoryKey) => string,
  dateOf: (iso: string) => string,
): string[] {
  const line = (t: CitizenTicketLine) =>
    `  - ${t.ticketNumber} | ${labelOf(t.category)} | ${statusLabel(t.status)} | ${CHANNEL_LABELS[t.channel]} | ${dateOf(t.receivedAt)}`;
  const lines: string[] = [];
  if (summary.others.length) {
    lines.push('Tiket lain dari pelapor ini:', ...summary.others.map(line));
    if (summary.moreOthers > 0) lines.push(`  … dan ${summary.moreOthers} tiket lain (aduan citizen show).`);
    lines.push('');
  }
  for (const hint of summary.hints) {
    lines.push(
      `Mungkin orang yang sama: ${describeIdentifier(hint.identifier)} juga dipakai pada tiket berikut`,
      '(tidak digabung; hubungkan dengan `aduan citizen link` bila memang orang yang sama):',
      ...hint.tickets.map(line),
      '',
    );
  }
  return lines;
}

/** An identifier in the team mail's words, a phone number masked as elsewhere in it. */
export function describeIdentifier(key: string): string {
  const id = parseIdentifierKey(key);
  if (!id) return 'pengenal';
  switch (id.kind) {
    case 'phone':
      return `nomor telepon ${maskPhone(id.value)}`;
    case 'email':
      return `alamat email ${id.value}`;
    case 'whatsapp':
      return /^\d+$/.test(id.value) ? `nomor WhatsApp ${maskPhone(`+${id.value}`)}` : 'akun WhatsApp';
    case 'nik':
      return 'NIK';
    default:
      return `akun ${id.kind}`;
  }
}
