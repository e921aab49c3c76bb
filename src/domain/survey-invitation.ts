import type { Ticket } from './complaint';
import { formatJakartaTime } from './messages';
import { computeDueAt, type OfficeCalendar } from './sla';
import type { Score, SurveyInstrument } from './survey-instrument';

/**
 * When a resolved ticket's citizen is invited to the satisfaction survey, what the invitation says, and how
 * a chat reply answers it ("Balas 1–4", "berhenti"). Pure.
 */

/** Effect kinds (and record kinds): one invitation and at most one reminder per ticket. */
export const SURVEY_EFFECT = 'survey';
export const SURVEY_REMINDER_EFFECT = 'survey-reminder';

/**
 * When the ticket was finally resolved with an answer for the citizen, or undefined: the last resolution must
 * come from a staff answer (it has the answer's ref; a `#tanya` question makes the ticket wait instead), not
 * from the citizen withdrawing the complaint nor from a plain close without an answer.
 */
export function answeredResolution(ticket: Pick<Ticket, 'status' | 'history'>): string | undefined {
  if (ticket.status !== 'resolved') return undefined;
  for (let i = ticket.history.length - 1; i >= 0; i--) {
    const entry = ticket.history[i]!;
    if (entry.event === 'reopened' || entry.event === 'waiting-citizen') return undefined;
    if (entry.event !== 'resolved') continue;
    return entry.ref !== undefined && entry.by !== 'pelapor' ? entry.at : undefined;
  }
  return undefined;
}

/** An effect's detail says whether it sent (`skipped: …` and `not sent: …` did not). */
export function wasSent(detail: string | undefined): boolean {
  return detail !== undefined && !detail.startsWith('skipped') && !detail.startsWith('not sent');
}

const NO_WORK = { unit: 'minutes', minutes: 0 } as const;

/** `delayMinutes` after the resolution, postponed to the next office opening: never at night or on a holiday. */
export function invitationDueAt(resolvedAt: string, delayMinutes: number, calendar: OfficeCalendar): string {
  const after = new Date(Date.parse(resolvedAt) + delayMinutes * 60_000).toISOString();
  return computeDueAt(after, NO_WORK, calendar);
}

/** The reminder: `days` after the invitation went, at an office hour. */
export function reminderDueAt(invitedAt: string, days: number, calendar: OfficeCalendar): string {
  return invitationDueAt(invitedAt, days * 24 * 60, calendar);
}

export interface InvitationInput {
  ticketNumber: string;
  url: string;
  expiresAt: string;
  instrument: SurveyInstrument;
  timeZone: string;
  reminder: boolean;
  /** Chat and email: the overall question may be answered by replying with a digit. */
  quickAnswer: boolean;
}

/** The invitation (or the reminder) in Bahasa Indonesia: never the complaint's content or personal data. */
export function composeSurveyInvitation(input: InvitationInput): { subject: string; text: string } {
  const { overall } = input.instrument;
  const lines = [
    input.reminder
      ? `Pengingat: kami belum menerima penilaian Anda atas penanganan pengaduan ${input.ticketNumber}.`
      : `Terima kasih telah menyampaikan pengaduan ${input.ticketNumber} kepada Disdukcapil Kabupaten Dairi.`,
    'Mohon kesediaan Anda menilai pelayanan kami lewat survei singkat (sekitar 2 menit):',
    input.url,
  ];
  if (input.quickAnswer)
    lines.push(
      '',
      `Atau cukup balas pesan ini dengan satu angka: ${overall.question}`,
      overall.answers.map((label, i) => `${i + 1} = ${label}`).join(', '),
    );
  lines.push(
    '',
    `Tautan berlaku sampai ${formatJakartaTime(input.expiresAt, input.timeZone)} WIB dan hanya dapat diisi sekali.`,
    'Balas "berhenti" bila Anda tidak ingin menerima survei lagi.',
  );
  return {
    subject: `[${input.ticketNumber}] ${input.reminder ? 'Pengingat survei' : 'Survei'} kepuasan pelayanan pengaduan`,
    text: lines.join('\n'),
  };
}

export type QuickAnswer = { kind: 'score'; score: Score } | { kind: 'stop' };

/** Longer replies are never a quick answer (a real message that happens to start with a digit). */
const MAX_QUICK_ANSWER = 60;
const STOP_WORDS = new Set(['berhenti', 'stop', 'berhenti survei', 'jangan kirim survei']);
/** Words a digit may come with and still be only the answer: "3 ya", "4 pak", "4 terima kasih". */
const COURTESY = new Set(
  'ya iya yaa y ok oke okey sip pak bu kak ka min admin bang dek terima kasih makasih trims tks thx saja aja'.split(
    ' ',
  ),
);
/** WhatsApp list rows carry `skm:overall:<score>`. */
const BUTTON_ID = /^skm:overall:([1-4])$/;

/**
 * A reply that answers the overall question: "4", "4.", "4 - Sangat puas", "3 ya", "sangat puas", a list row
 * tapped on WhatsApp; or "berhenti". Anything else (a digit inside a sentence, a NIK) is not an answer.
 */
export function readQuickAnswer(
  text: string,
  instrument: SurveyInstrument,
  buttonId?: string,
): QuickAnswer | undefined {
  const button = buttonId ? BUTTON_ID.exec(buttonId) : null;
  if (button) return { kind: 'score', score: Number(button[1]) as Score };
  if (text.length > MAX_QUICK_ANSWER) return undefined;
  const reply = text
    .trim()
    .toLowerCase()
    .replace(/[\s.!]+$/, '')
    .replace(/\s+/g, ' ');
  if (STOP_WORDS.has(reply)) return { kind: 'stop' };
  const labels = instrument.overall.answers.map((label) => label.toLowerCase());
  if (/^[1-4]$/.test(reply)) return { kind: 'score', score: Number(reply) as Score };
  const numbered = /^([1-4]) ?[-–=:.)] ?(.+)$/.exec(reply);
  if (numbered && labels[Number(numbered[1]) - 1] === numbered[2]) {
    return { kind: 'score', score: Number(numbered[1]) as Score };
  }
  const courteous = /^([1-4])[\s,]+(.+)$/.exec(reply);
  if (courteous && courteous[2]!.split(/[\s,]+/).every((word) => COURTESY.has(word)))
    return { kind: 'score', score: Number(courteous[1]) as Score };
  const byLabel = labels.indexOf(reply);
  return byLabel >= 0 ? { kind: 'score', score: (byLabel + 1) as Score } : undefined;
}
