import type { HistoryEntry, HistoryEvent, TicketStatus } from './complaint';
import { computeDueAt, workingMinutesBetween, type OfficeCalendar } from './sla';
import type { TargetTime } from './target';

/**
 * A ticket's life after an answer (issue #16 item 10): which status may follow which, what a staff
 * answer does (resolve, or ask the citizen and wait), what a citizen's later message does (continue,
 * end a wait, reopen, only thank, or start a new ticket), and how waiting moves the due time. Pure.
 */

/**
 * The allowed status changes; anything else asked of the store leaves the status as it is (a late or
 * repeated effect never moves a ticket back). Only the life rules move a status back: a resolved ticket
 * reopens, a waiting one returns to the team.
 */
export const STATUS_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  received: ['acknowledged', 'routed', 'resolved', 'waiting-citizen', 'lapor-ready', 'forwarded'],
  acknowledged: ['routed', 'resolved', 'waiting-citizen', 'lapor-ready', 'forwarded'],
  routed: ['resolved', 'waiting-citizen', 'lapor-ready', 'forwarded'],
  'waiting-citizen': ['routed', 'resolved', 'lapor-ready', 'forwarded'],
  resolved: ['reopened', 'waiting-citizen'],
  reopened: ['resolved', 'waiting-citizen', 'lapor-ready', 'forwarded'],
  // Only `aduan lapor posted` ends it (or a forwarding decided meanwhile).
  'lapor-ready': ['resolved', 'forwarded'],
  forwarded: [],
};

/**
 * Whether a ticket in `from` may move to `to`, asked for by a history entry of kind `event`. Only the
 * citizen's reply ends a wait on them: the team mail's record arriving after the team already asked
 * (its effect finished late) leaves the ticket waiting.
 */
export function canMove(from: TicketStatus, to: TicketStatus, event?: HistoryEvent): boolean {
  if (from === 'waiting-citizen' && to === 'routed' && event !== 'citizen-replied') return false;
  return STATUS_TRANSITIONS[from].includes(to);
}

/** The status after asking for `to`: `to` if allowed, else unchanged. */
export function nextStatus(from: TicketStatus, to: TicketStatus | undefined, event?: HistoryEvent): TicketStatus {
  return to !== undefined && canMove(from, to, event) ? to : from;
}

/** The statuses a ticket may be in for `to` to be applied by an entry of kind `event`. */
export function statusesBefore(to: TicketStatus, event?: HistoryEvent): TicketStatus[] {
  return (Object.keys(STATUS_TRANSITIONS) as TicketStatus[]).filter((from) => canMove(from, to, event));
}

/** Statuses as staff read them (ticket show, team mail, escalation). */
export const STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  received: 'diterima',
  acknowledged: 'respon awal terkirim',
  routed: 'ditangani tim',
  resolved: 'selesai',
  'waiting-citizen': 'menunggu warga',
  reopened: 'dibuka kembali',
  'lapor-ready': 'jawaban siap dikirim ke LAPOR!',
  forwarded: 'diteruskan ke instansi lain',
};

export function statusLabel(status: TicketStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** History events as staff read them in `ticket show`. */
export const EVENT_LABELS: Readonly<Record<HistoryEvent, string>> = {
  received: 'diterima',
  classified: 'diklasifikasi',
  acknowledged: 'respon awal',
  'acknowledgement-skipped': 'respon awal dilewati',
  routed: 'diteruskan ke tim',
  'follow-up': 'pesan lanjutan',
  rerouted: 'dialihkan',
  reminder: 'pengingat',
  escalated: 'eskalasi',
  'staff-reply': 'jawaban petugas',
  'internal-note': 'catatan internal',
  resolved: 'selesai',
  note: 'catatan',
  'waiting-citizen': 'menunggu warga',
  'citizen-replied': 'jawaban warga',
  reopened: 'dibuka kembali',
  'citizen-ack': 'tanggapan singkat warga',
  'lapor-handoff': 'jawaban dikirim ke Admin Penghubung LAPOR!',
  'lapor-posted': 'tindak lanjut diunggah ke LAPOR!',
  'lapor-reminder': 'pengingat batas LAPOR!',
  'lapor-escalated': 'eskalasi batas LAPOR!',
  forwarded: 'diteruskan ke instansi lain',
  'status-question': 'pertanyaan status (dijawab otomatis)',
};

/** Open tickets on which the office's SLA clock runs (not resolved, not waiting on the citizen). */
export function slaClockRuns(status: TicketStatus): boolean {
  return status !== 'resolved' && status !== 'waiting-citizen' && !officeAnswered(status);
}

/**
 * The office has given its answer although the ticket is not `resolved`: a LAPOR! answer waiting to be
 * posted by the Admin Penghubung, or a complaint sent on to another agency. No office reminder or escalation.
 */
export function officeAnswered(status: TicketStatus): boolean {
  return status === 'lapor-ready' || status === 'forwarded';
}

const ASK_MARK = /^\s*#tanya\b[:\s]*/i;

/** A staff answer whose first line is `#tanya` asks the citizen for something; the mark is removed. */
export function readAskMark(text: string): { ask: boolean; text: string } {
  const ask = ASK_MARK.test(text);
  return { ask, text: (ask ? text.replace(ASK_MARK, '') : text).trim() };
}

export type AnswerOutcome = 'resolve' | 'ask';

/**
 * What a staff answer does to its ticket, whatever way it came (team mail, CLI, a Page inbox): an answer
 * marked `#tanya` (or sent with the ask flag) keeps the ticket open waiting on the citizen; any other
 * answer resolves it.
 */
export function answerOutcome(answer: { text: string; askFlag?: boolean }): AnswerOutcome {
  return answer.askFlag || readAskMark(answer.text).ask ? 'ask' : 'resolve';
}

/** Default reopen window: a message within 7 days of the resolution reopens the ticket. */
export const DEFAULT_REOPEN_WINDOW_SECONDS = 7 * 24 * 60 * 60;

export type CitizenMessageOutcome =
  /** An open ticket: a follow-up forwarded to the team, as always. */
  | 'follow-up'
  /** The ticket waited on the citizen: the wait ends, the team gets the reply. */
  | 'resume'
  /** Resolved within the window: the ticket reopens and the team gets the message. */
  | 'reopen'
  /** Only thanks or an acknowledgement: kept on the ticket, nothing else. */
  | 'ack'
  /** Resolved longer ago than the window: the message is a new ticket. */
  | 'new-ticket';

export interface CitizenMessage {
  text: string;
  attachments: number;
  /** When the citizen wrote it (the source's time). */
  at: string;
  /** Parts of the complainant's name: a thanks signed with the name is still only thanks. */
  names?: string[];
}

/** What a citizen's message does to the ticket it belongs to. */
export function citizenMessageOutcome(
  ticket: { status: TicketStatus; history: readonly HistoryEntry[] },
  message: CitizenMessage,
  reopenWindowSeconds: number,
): CitizenMessageOutcome {
  if (ticket.status === 'resolved') {
    const resolvedAt = lastEvent(ticket.history, 'resolved')?.at;
    const since = resolvedAt ? Date.parse(message.at) - Date.parse(resolvedAt) : 0;
    if (since > reopenWindowSeconds * 1000) return 'new-ticket';
  }
  const only = message.attachments === 0 && isThanksOnly(message.text, message.names);
  // "Sudah pak", "iya": while staff wait on the citizen, a yes is the answer to their question.
  if (only && !(ticket.status === 'waiting-citizen' && saysYes(message.text))) return 'ack';
  if (ticket.status === 'resolved') return 'reopen';
  if (ticket.status === 'waiting-citizen') return 'resume';
  return 'follow-up';
}

function lastEvent(history: readonly HistoryEntry[], event: HistoryEvent): HistoryEntry | undefined {
  return lastOf(history, (h) => h.event === event);
}

/** The newest history entry that matches. */
export function lastOf(
  history: readonly HistoryEntry[],
  matches: (entry: HistoryEntry) => boolean,
): HistoryEntry | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (matches(history[i]!)) return history[i];
  return undefined;
}

/** Events that change where a ticket stands in its life after the first answer. */
const LIFE_EVENTS: ReadonlySet<HistoryEvent> = new Set(['resolved', 'reopened', 'waiting-citizen', 'citizen-replied']);

/** Whether the ticket stood resolved after these entries (the last change of its life was a resolution). */
export function endsResolved(history: readonly HistoryEntry[]): boolean {
  return lastOf(history, (h) => LIFE_EVENTS.has(h.event))?.event === 'resolved';
}

/**
 * When the current wait on the citizen began: the first `waiting-citizen` entry since the last reply,
 * resolution or reopening (a second question while waiting does not restart the pause).
 */
export function waitingSince(history: readonly HistoryEntry[]): string | undefined {
  let since: string | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (ENDS_WAIT.has(entry.event)) break;
    if (entry.event === 'waiting-citizen') since = entry.at;
  }
  return since;
}

/**
 * The SLA pause: the citizen replied after `waitingSince`; the due time moves on by the working minutes
 * the ticket waited (the office's clock did not run meanwhile).
 */
export function resumedDueAt(
  input: { dueAt: string; waitingSince: string; repliedAt: string },
  calendar: OfficeCalendar,
): { dueAt: string; waitedMinutes: number } {
  const waitedMinutes = workingMinutesBetween(input.waitingSince, input.repliedAt, calendar);
  if (waitedMinutes <= 0) return { dueAt: input.dueAt, waitedMinutes: 0 };
  return { dueAt: computeDueAt(input.dueAt, { unit: 'minutes', minutes: waitedMinutes }, calendar), waitedMinutes };
}

/**
 * A reopened ticket's clock restarts: the follow-up is due one full target after the message that
 * reopened it (the earlier due time belonged to the first question, already answered).
 */
export function reopenedDueAt(reopenedAt: string, target: TargetTime, calendar: OfficeCalendar): string {
  return computeDueAt(reopenedAt, target, calendar);
}

/**
 * Working minutes the ticket spent waiting on the citizen up to `until`: each `waiting-citizen` entry to
 * the next reply, resolution or reopening (or to `until` if the wait goes on). Excluded from the office's
 * resolution time.
 */
export function waitingMinutes(history: readonly HistoryEntry[], until: string, calendar: OfficeCalendar): number {
  let total = 0;
  let since: string | undefined;
  for (const entry of history) {
    if (Date.parse(entry.at) > Date.parse(until)) break;
    if (entry.event === 'waiting-citizen') since ??= entry.at;
    else if (since && ENDS_WAIT.has(entry.event)) {
      total += workingMinutesBetween(since, entry.at, calendar);
      since = undefined;
    }
  }
  if (since) total += workingMinutesBetween(since, until, calendar);
  return total;
}

const ENDS_WAIT: ReadonlySet<HistoryEvent> = new Set(['citizen-replied', 'resolved', 'reopened']);

/** Tickets count as reopened when their history has a reopening. */
export function wasReopened(history: readonly HistoryEntry[]): boolean {
  return history.some((h) => h.event === 'reopened');
}

/** Longer than any thanks; longer text is read as content without looking further. */
const MAX_ACK_CHARS = 160;
const MAX_ACK_WORDS = 10;

/**
 * Words of a thanks or acknowledgement in Indonesian (and the office's region: Batak "mauliate", Javanese
 * "matur nuwun", Sundanese "hatur nuhun"), with the forms of address that come with them. Compared after
 * repeated letters are collapsed ("makasiiih", "okeee").
 */
const ACK_WORDS = new Set(
  [
    'terima kasih terimakasih trimakasih trima makasih makasi maksih mksh mks makasihnya kasihnya',
    'thanks thank thanx thx tq ty tks trims trimaksih you u',
    'matur nuwun suwun hatur nuhun mauliate godang horas',
    'ok oke okay okey okeh oce k sip siap mantap mantab noted baik baiklah iya ya yaa y yoi',
    'sudah udah sdh dah diterima paham mengerti jelas',
    'alhamdulillah amin aamiin puji tuhan syukur',
    'banyak byk bnyk sekali sangat atas',
    'info infonya informasinya bantuannya jawabannya penjelasannya tanggapannya responnya pelayanannya',
    'saya sy kami',
    'tunggu ditunggu',
    'pak bapak bu ibu min admin mimin kak kakak bang abang mas mbak dik dek om',
    'deh dong lah ya nya',
    'good nice great',
    'salam hormat wassalam regards selamat pagi siang sore malam',
  ]
    .join(' ')
    .split(' ')
    .map(collapseRepeats),
);

/** Words that answer a question ("sudah", "iya"): thanks only when nobody asked. */
const YES_WORDS = new Set('sudah udah sdh dah iya ya y yoi diterima paham mengerti'.split(' '));

/** The (short) text holds a yes; call only on a text isThanksOnly accepted. */
function saysYes(text: string): boolean {
  return text
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .some((w) => YES_WORDS.has(collapseRepeats(w)));
}

function collapseRepeats(word: string): string {
  return word.replace(/(\p{L})\1+/gu, '$1');
}

/**
 * True when a message only thanks or acknowledges ("terima kasih", "makasih min 🙏", "ok pak", "siap",
 * "👍"): short, no question mark, and every word a word of thanks, acknowledgement or address (or part of
 * the sender's name). An empty message or one of emoji and punctuation only counts too. Anything with a
 * question, a number or another word is content. Linear in the text (at most MAX_ACK_CHARS are read).
 */
export function isThanksOnly(text: string, names: readonly string[] = []): boolean {
  if (text.length > MAX_ACK_CHARS * 4) return false;
  const trimmed = text.trim();
  if (trimmed.length > MAX_ACK_CHARS || trimmed.includes('?') || trimmed.includes('？')) return false;
  const words = trimmed
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (words.length > MAX_ACK_WORDS) return false;
  const own = new Set(names.flatMap((n) => n.toLowerCase().split(/[^\p{L}]+/u)).filter((n) => n.length > 1));
  return words.every((w) => ACK_WORDS.has(collapseRepeats(w)) || own.has(w));
}

/**
 * The ticket's SLA period: 0 until the first reopening, n after the n-th. Each period has its own due
 * time, so its own reminder and escalation.
 */
export function slaPeriod(history: readonly Pick<HistoryEntry, 'event'>[]): number {
  return history.filter((entry) => entry.event === 'reopened').length;
}

/** When the current period began: the last reopening, or `receivedAt` in period 0. */
export function slaPeriodStart(history: readonly Pick<HistoryEntry, 'event' | 'at'>[], receivedAt: string): string {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.event === 'reopened') return history[i]!.at;
  return receivedAt;
}

/** The effect record kind of a reminder or escalation: period 0 keeps the plain kind (`remind`), later ones `remind@2`. */
export function slaEffectKind(kind: 'remind' | 'escalate', period: number): string {
  return period > 0 ? `${kind}@${period}` : kind;
}
