import type { ChannelKey } from '../channels';
import type { HistoryEntry, Ticket, TicketStatus } from '../complaint';
import { formatJakartaTime, sanitizeInline } from '../messages';
import { lastOf } from '../ticket-life';
import type { StatusQuestion } from './status-question';

/**
 * "Sudah sampai mana?" answered automatically (issue #22 §2): which of the sender's own tickets a status
 * question is about, and the Indonesian text they read. Pure; the pipeline reads the tickets the sender may
 * see (own record and linked ones, never through a shared identifier) and sends the text as an effect.
 */

/** A ticket the sender may ask about, as the citizen store lists it. */
export interface AskableTicket {
  ticketId: string;
  ticketNumber: string;
  status: TicketStatus;
  receivedAt: string;
}

export type StatusDecision =
  /** Answer with this ticket's status. */
  | { kind: 'answer'; ticketId: string }
  /** "Tidak ditemukan untuk akun ini": nothing about whether the number exists. */
  | { kind: 'not-found' }
  /** Not for an automatic answer: handled as before (a follow-up, a new complaint). */
  | { kind: 'pass' };

/** Tickets whose matter is still with the office or the citizen (a forwarded one left the office). */
const CLOSED: ReadonlySet<TicketStatus> = new Set(['resolved', 'forwarded']);

/**
 * Which ticket the question is about, among `own` (the tickets the sender may see). A named number that is
 * not among them is "not found" whoever's it is; an unnamed question is answered only when exactly one is
 * open, and a sender with no ticket at all who asks about "pengaduan saya" is told none was found.
 */
export function decideStatusAnswer(question: StatusQuestion, own: readonly AskableTicket[]): StatusDecision {
  if (question.kind === 'named') {
    const matches = own.filter((t) => {
      const parts = parseNumber(t.ticketNumber);
      return parts?.sequence === question.sequence && (question.year === undefined || parts.year === question.year);
    });
    const newest = [...matches].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0];
    if (newest) return { kind: 'answer', ticketId: newest.ticketId };
    // "akta no 2 anak saya": a bare number that is none of theirs is no question about a ticket.
    return question.bare ? { kind: 'pass' } : { kind: 'not-found' };
  }
  const open = own.filter((t) => !CLOSED.has(t.status));
  if (open.length === 1) return { kind: 'answer', ticketId: open[0]!.ticketId };
  if (own.length === 0 && question.aboutComplaint) return { kind: 'not-found' };
  return { kind: 'pass' };
}

function parseNumber(ticketNumber: string): { year: number; sequence: number } | undefined {
  const [prefix, year, sequence] = ticketNumber.split('-');
  if (prefix !== 'ADU' || !year || !sequence) return undefined;
  return { year: Number(year), sequence: Number(sequence) };
}

export interface StatusAnswerInput {
  ticket: Pick<Ticket, 'ticketNumber' | 'receivedAt' | 'dueAt' | 'status' | 'history'>;
  /** The kind's label (categories.yaml). */
  label: string;
  /** The name of the team the ticket is with. */
  teamName: string;
  timeZone: string;
  /** Where the answer goes: mail gets a salutation and a signature, a chat the lines alone. */
  channel: ChannelKey;
}

/** An excerpt of the office's answer in "selesai dengan jawaban …": enough to recognise it. */
const ANSWER_EXCERPT = 300;

/** The ticket's current step in the citizen's words. */
export function currentStep(input: Pick<StatusAnswerInput, 'ticket' | 'teamName' | 'timeZone'>): string {
  const { ticket, timeZone } = input;
  // "Tim Pengelola Pengaduan" is not "tim Tim …".
  const team = /^tim\b/i.test(input.teamName) ? input.teamName : `tim ${input.teamName}`;
  switch (ticket.status) {
    case 'received':
    case 'acknowledged':
      return 'diterima, sedang diteruskan ke tim yang menangani';
    case 'routed':
      return `diteruskan ke ${team} dan sedang ditangani`;
    case 'reopened':
      return `dibuka kembali atas pesan Anda dan sedang ditangani oleh ${team}`;
    case 'waiting-citizen':
      return 'menunggu jawaban Anda atas pertanyaan petugas (mohon balas pesan petugas sebelumnya)';
    case 'lapor-ready':
      return 'jawaban sudah disiapkan dan sedang diunggah ke SP4N-LAPOR!';
    case 'forwarded': {
      const to = lastOf(ticket.history, (h) => h.forward !== undefined)?.forward?.to;
      return `diteruskan ke instansi lain${to ? ` (${sanitizeInline(to, 120)})` : ''} yang berwenang menanganinya`;
    }
    case 'resolved': {
      const answer = lastAnswer(ticket.history);
      const when = answer ? ` pada ${formatJakartaTime(answer.at, timeZone)} WIB` : '';
      const text = answer?.note ? excerpt(answer.note) : '';
      return text ? `selesai dengan jawaban petugas${when}: "${text}"` : `selesai dengan jawaban petugas${when}`;
    }
  }
}

function lastAnswer(history: readonly HistoryEntry[]): HistoryEntry | undefined {
  return lastOf(history, (h) => h.event === 'staff-reply');
}

function excerpt(note: string): string {
  const flat = note.replace(/\s+/g, ' ').trim();
  return flat.length <= ANSWER_EXCERPT ? flat : `${flat.slice(0, ANSWER_EXCERPT).trimEnd()}…`;
}

/** The target line: when the office means to be done, or that the clock is paused / over. */
function targetLine(input: StatusAnswerInput): string {
  const due = `${formatJakartaTime(input.ticket.dueAt, input.timeZone)} WIB`;
  switch (input.ticket.status) {
    case 'waiting-citizen':
      return `Target penyelesaian: dihentikan sementara sampai Anda menjawab (sebelumnya ${due})`;
    case 'resolved':
    case 'forwarded':
    case 'lapor-ready':
      return `Target penyelesaian: ${due} (sudah dijawab)`;
    default:
      return `Target penyelesaian: ${due}`;
  }
}

const SIGNATURE = 'Layanan Pengaduan Disdukcapil Kabupaten Dairi';
const AUTOMATIC = 'Pesan ini dikirim otomatis. Pertanyaan status tidak diteruskan sebagai pengaduan baru.';
export const NEW_FACTS =
  'Bila ada keterangan baru untuk petugas, tuliskan dalam pesan berikutnya; pesan itu kami teruskan ke tim yang menangani.';

function isMail(channel: ChannelKey): boolean {
  return channel === 'email';
}

/** The status of one of the sender's own tickets. */
export function composeStatusAnswer(input: StatusAnswerInput): { subject: string; text: string } {
  const { ticket } = input;
  const lines = [
    `Status pengaduan ${ticket.ticketNumber}`,
    `Jenis: ${sanitizeInline(input.label, 120)}`,
    `Diterima: ${formatJakartaTime(ticket.receivedAt, input.timeZone)} WIB`,
    `Tahap saat ini: ${currentStep(input)}`,
    targetLine(input),
    '',
    // The question itself stays with the answer; a message with something new goes on to the team as before.
    NEW_FACTS,
  ];
  return {
    subject: `Status pengaduan Anda [${ticket.ticketNumber}]`,
    text: wrap(input.channel, lines),
  };
}

/**
 * No ticket of this account matches: the same words whether the number is someone else's, unused or
 * malformed, so the answer tells nothing about other citizens' tickets.
 */
export function composeStatusNotFound(channel: ChannelKey): { subject: string; text: string } {
  return {
    subject: 'Status pengaduan: tidak ditemukan',
    text: wrap(channel, [
      'Mohon maaf, pengaduan yang Anda tanyakan tidak ditemukan untuk akun ini.',
      'Status hanya dapat kami sampaikan lewat akun, nomor, atau alamat email yang dipakai saat mengadu.',
      'Bila Anda belum pernah mengadu, silakan tuliskan pengaduan Anda dalam pesan berikutnya.',
    ]),
  };
}

function wrap(channel: ChannelKey, lines: string[]): string {
  if (!isMail(channel)) return [...lines, '', AUTOMATIC].join('\n');
  return ['Yth. Bapak/Ibu,', '', ...lines, '', AUTOMATIC, '', 'Salam,', SIGNATURE].join('\n');
}
