import type { CategoryKey } from './categories';
import { CHANNEL_LABELS, type ChannelKey } from './channels';
import type { ClassificationResult, Ticket } from './complaint';
import { maskIdentityNumbers, maskNik, maskPhone } from './personal-data';
import { ageStart, arrivedLate } from './history-age';
import { sanitizeLine } from './text-sanitizer';
import { statusLabel } from './ticket-life';
import { citizenSummaryLines, type CitizenSummary } from './citizens/team-mail-lines';

/**
 * Texts people read, in Bahasa Indonesia: the initial response to the citizen and the ticket mail to
 * the team. Pure: templates and labels are passed in from config.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "Senin, 30 November 2026 pukul 09.05" in the office's time zone. */
export function formatJakartaTime(iso: string, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('id-ID', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(iso));
}

/**
 * Every admin-edited template (responses here, the portal's and gateways' webhook bodies) writes
 * placeholders one way: `{{name}}`, spaces inside allowed.
 */
export const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** What an initial-response template may use. */
export const RESPONSE_PLACEHOLDERS = ['name', 'ticketNumber', 'label', 'target', 'dueAt'] as const;

/**
 * What is wrong with a response template: placeholders it cannot fill, and `{name}` written with single
 * braces (the old syntax). Config checking refuses such a template, so none reaches a citizen half-filled.
 */
export function responseTemplateProblems(template: string): string[] {
  const allowed = RESPONSE_PLACEHOLDERS as readonly string[];
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1] ?? '')
    .filter((name) => !allowed.includes(name))
    .map((name) => `unknown placeholder {{${name}}}; allowed: ${allowed.map((a) => `{{${a}}}`).join(' ')}`);
  const single = [...template.replace(PLACEHOLDER, '').matchAll(/\{(\w+)\}/g)].map(
    (m) => `{${m[1]}} has single braces: write {{${m[1]}}}`,
  );
  return [...unknown, ...single];
}

/** Replaces {{placeholders}}; config checking has refused templates with unknown ones (left visible here). */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, key: string) => values[key] ?? whole);
}

/**
 * Strips characters that could break a header or a template line (CR/LF, control characters) and the
 * bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a name, subject or
 * file name read differently from what it is ("bukti\u202Efdp.exe" shows as "buktiexe.pdf").
 */
export function sanitizeInline(value: string, max = 120): string {
  return sanitizeLine(value, max);
}

/** Bidirectional embedding, override and isolate controls (not the harmless LRM/RLM marks). */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

export interface AcknowledgementInput {
  ticket: Ticket;
  template: string;
  label: string;
  targetText: string;
  timeZone: string;
}

export function composeAcknowledgement(input: AcknowledgementInput): { subject: string; text: string } {
  const { ticket } = input;
  const name = sanitizeInline(ticket.complainant.name ?? '') || 'Bapak/Ibu';
  const text = renderTemplate(input.template, {
    name,
    ticketNumber: ticket.ticketNumber,
    label: input.label,
    target: input.targetText,
    dueAt: formatJakartaTime(ticket.dueAt, input.timeZone),
  }).trimEnd();
  const original = sanitizeInline(ticket.subject ?? '', 150);
  const subject = original
    ? `Re: ${original.replace(/^(re|bls|balas|fwd?)\s*:\s*/i, '')} [${ticket.ticketNumber}]`
    : `Pengaduan Anda diterima [${ticket.ticketNumber}]`;
  return { subject, text };
}

export interface TeamMailInput {
  ticket: Ticket;
  label: string;
  /** Label of any kind: names the two candidate kinds of a triaged ticket. */
  labelOf?: (kind: CategoryKey) => string;
  targetText: string;
  teamName: string;
  timeZone: string;
  maskNik: boolean;
  /**
   * A follow-up message from the citizen instead of the first complaint; `life` says what it did to the
   * ticket: `citizen-replied` (an answer to the team's question: the wait ended), `reopened` (after the
   * resolution: the ticket is open again).
   */
  followUp?: {
    text: string;
    receivedAt: string;
    life?: 'follow-up' | 'citizen-replied' | 'reopened';
    waitedMinutes?: number;
    /** A repeat complaint of the same kind joined this open ticket: the channel it came on. */
    sameProblemChannel?: ChannelKey;
    /** Its sender is tied to this ticket's citizen only by the NIK they wrote: staff should check who it is. */
    sameProblemNikOnly?: boolean;
  };
  /** Staff moved the ticket here from another team (`aduan ticket route`). */
  rerouted?: { note: string };
  /** Lines of the channel's own (after the times): a LAPOR! report's Tracking ID and deadline. */
  channelLines?: string[];
  /** The sender's other tickets and "maybe the same person" hints (a new ticket's mail). */
  citizen?: CitizenSummary;
}

export function composeTeamMail(input: TeamMailInput): { subject: string; text: string } {
  const { ticket } = input;
  const due = formatJakartaTime(ticket.dueAt, input.timeZone);
  const c = ticket.complainant;
  const nik = (value: string | undefined) => (value ? (input.maskNik ? maskNik(value) : value) : undefined);
  const body = (text: string) => (input.maskNik ? maskIdentityNumbers(text) : text);
  const prefix = input.followUp
    ? FOLLOW_UP_PREFIX[input.followUp.life ?? 'follow-up']
    : input.rerouted
      ? 'Dialihkan'
      : 'Tiket baru';
  const subject = `[${ticket.ticketNumber}] ${prefix}: ${input.label} — batas ${due} WIB`;
  const lines = [
    `${prefix} pengaduan untuk ${input.teamName}.`,
    ...followUpLifeNote(input),
    ...(input.rerouted ? [`Dialihkan ${sanitizeInline(input.rerouted.note, 500)}`] : []),
    '',
    `Nomor tiket   : ${ticket.ticketNumber}`,
    `Jenis         : ${input.label} (keyakinan ${(ticket.classification.confidence * 100).toFixed(0)}%)`,
    `Target        : ${input.targetText}, batas ${due} WIB`,
    ...(input.followUp ? [`Status        : ${statusLabel(ticket.status)}`] : []),
    `Kanal         : ${CHANNEL_LABELS[ticket.channel] ?? ticket.channel}`,
    `Diterima      : ${formatJakartaTime(ticket.receivedAt, input.timeZone)} WIB`,
    ...lateNote(ticket, input),
    ...(input.channelLines ?? []),
    '',
    'Pelapor:',
    `  Nama        : ${sanitizeInline(c.name ?? '-')}`,
    ...(c.email ? [`  Email       : ${c.email}`] : []),
    ...(c.phone ? [`  Telepon     : ${c.phone}`] : []),
    ...(c.platformUsername || c.platformUserId ? [`  Akun        : ${c.platformUsername ?? c.platformUserId}`] : []),
    ...(c.nik ? [`  NIK         : ${nik(c.nik)}`] : []),
    ...(c.kk ? [`  No. KK      : ${nik(c.kk)}`] : []),
    ...(ticket.queueNumber ? [`  No. antrian : ${ticket.queueNumber}`] : []),
    '',
    ...(input.citizen
      ? citizenSummaryLines(
          input.citizen,
          (kind) => input.labelOf?.(kind) ?? kind,
          (iso) => formatJakartaTime(iso, input.timeZone),
        )
      : []),
    ...classificationNotes(input),
    ...(ticket.classification.evidence.length
      ? [`Dasar klasifikasi: ${ticket.classification.evidence.join(', ')}`, '']
      : []),
    ...(input.followUp
      ? [
          `Pesan lanjutan (${formatJakartaTime(input.followUp.receivedAt, input.timeZone)} WIB):`,
          body(input.followUp.text),
        ]
      : [
          ...(ticket.subject ? [`Perihal: ${body(sanitizeInline(ticket.subject, 300))}`] : []),
          'Isi pengaduan:',
          body(ticket.text),
        ]),
    '',
    ...(ticket.attachments.length
      ? [
          'Lampiran:',
          ...ticket.attachments.map(
            (a) =>
              `  - ${sanitizeInline(a.filename)} (${a.contentType}, ${a.size} byte)${a.skippedReason ? ` — ${a.skippedReason}` : ''}${a.warning ? ` — PERHATIAN: ${sanitizeInline(a.warning, 400)}` : ''}`,
          ),
          '',
        ]
      : []),
    'Balas email ini untuk menyampaikan solusi kepada pelapor. Awali balasan dengan #internal untuk catatan',
    'internal yang tidak diteruskan kepada pelapor. Awali dengan #tanya bila Anda meminta keterangan atau berkas',
    'dari pelapor: pertanyaan diteruskan, tiket tetap terbuka (menunggu warga) dan batas waktu berhenti sampai',
    'pelapor menjawab.',
  ];
  return { subject, text: lines.join('\n') };
}

const FOLLOW_UP_PREFIX = {
  'follow-up': 'Tindak lanjut',
  'citizen-replied': 'Jawaban warga',
  reopened: 'Dibuka kembali',
} as const;

/** What a citizen's later message did to the ticket, in the words of the team mail. */
function followUpLifeNote(input: TeamMailInput): string[] {
  const due = formatJakartaTime(input.ticket.dueAt, input.timeZone);
  switch (input.followUp?.life) {
    case 'reopened':
      return [`Pelapor menulis lagi setelah tiket diselesaikan; tiket dibuka kembali. Batas waktu baru ${due} WIB.`];
    case 'citizen-replied': {
      const waited = input.followUp.waitedMinutes ?? 0;
      return [
        `Warga menanggapi pertanyaan petugas; tiket kembali ditangani${
          waited > 0 ? ` dan batas waktu diperpanjang ${waited} menit kerja (waktu menunggu warga)` : ''
        }.`,
      ];
    }
    default:
      return sameProblemLines(input.followUp);
  }
}

function sameProblemLines(followUp: TeamMailInput['followUp']): string[] {
  if (!followUp?.sameProblemChannel) return [];
  const via = CHANNEL_LABELS[followUp.sameProblemChannel];
  if (!followUp.sameProblemNikOnly)
    return [
      `Pengaduan ulang dengan jenis yang sama dari pelapor ini lewat ${via};`,
      'digabung ke tiket ini (satu batas waktu, tanpa nomor baru). Pelapor sudah diberi tahu nomor tiket ini.',
    ];
  return [
    `Pengaduan dengan jenis yang sama lewat ${via}, dari pengirim yang tertaut ke pelapor ini HANYA karena NIK yang sama;`,
    'digabung ke tiket ini (satu batas waktu, tanpa nomor baru). NIK dapat ditulis siapa saja: pastikan pengirim',
    'memang pelapor ini sebelum menyampaikan apa pun tentang tiket ini. Pengirim diberi tahu pengaduannya digabung,',
    'tanpa nomor tiket.',
  ];
}

/** A live record that reached the service late (a backlog, a slip typed in days later): staff should know. */
function lateNote(ticket: Ticket, input: TeamMailInput): string[] {
  // Taken in when classified (on the service's clock); the store's createdAt is a fallback for old tickets.
  const takenInAt = ticket.history.find((h) => h.event === 'classified')?.at ?? ticket.createdAt;
  if (input.followUp || !takenInAt || !arrivedLate(ageStart(ticket), takenInAt)) return [];
  return [
    `PERHATIAN: diterima terlambat: masuk ke sistem ${formatJakartaTime(takenInAt, input.timeZone)} WIB;`,
    '  batas waktu dihitung sejak waktu di sumber.',
  ];
}

const TRIAGE_REASONS: Record<NonNullable<ClassificationResult['triage']>, string> = {
  'low-confidence': 'keyakinan sistem rendah',
  'close-call': 'dua jenis layanan hampir sama kuat',
  'no-evidence': 'tidak ada kata kunci yang cocok',
};

/** Why a ticket reached triage (with the two likeliest kinds) and any integrity flag, for the team mail. */
function classificationNotes(input: TeamMailInput): string[] {
  const { classification } = input.ticket;
  const lines: string[] = [];
  if (classification.integrity?.length) {
    lines.push(
      `PERHATIAN: pengaduan integritas (${classification.integrity.join(', ')}).`,
      'Tiket ini dikirim kepada pimpinan/pengawas, tidak kepada tim yang dikeluhkan.',
    );
  }
  if (classification.triage && classification.candidates?.length) {
    const named = classification.candidates
      .map((c) => `${input.labelOf?.(c.category) ?? c.category} (${Math.round(c.confidence * 100)}%)`)
      .join(' atau ');
    lines.push(`Perlu ditelaah (${TRIAGE_REASONS[classification.triage]}): kemungkinan ${named}.`);
  }
  return lines.length > 0 ? [...lines, ''] : [];
}

/** Masks for places that show a complainant without needing the full contact (CLI tables, reports). */
export function maskedContact(ticket: Ticket): string {
  const c = ticket.complainant;
  return c.email ?? (c.phone ? maskPhone(c.phone) : (c.platformUsername ?? c.platformUserId ?? '-'));
}

export interface ReceiptInput {
  ticket: Ticket;
  label: string;
  targetText: string;
  teamName: string;
  timeZone: string;
  /** False when the complaint had been recorded before (staff entered it twice). */
  created: boolean;
}

/**
 * The slip of a complaint joined onto a ticket tied to this person only by the NIK they gave: it names nothing
 * of that ticket (its number, citizen, kind or target), as the joined notice on other channels.
 */
export function composeUnnamedReceipt(complaint: Pick<Ticket, 'receivedAt' | 'queueNumber'>, timeZone: string): string {
  return [
    'TANDA TERIMA PENGADUAN',
    'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Dairi',
    '',
    `Diterima      : ${formatJakartaTime(complaint.receivedAt, timeZone)} WIB`,
    ...(complaint.queueNumber ? [`Nomor antrian : ${complaint.queueNumber}`] : []),
    '',
    'Pengaduan Anda sudah kami terima dan kami gabungkan dengan pengaduan yang sama yang sudah ada;',
    'petugas akan menghubungi Anda.',
  ].join('\n');
}

/** The slip printed for a walk-in citizen (or filed with a suggestion-box slip). */
export function composeReceipt(input: ReceiptInput): string {
  const { ticket } = input;
  return [
    'TANDA TERIMA PENGADUAN',
    'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Dairi',
    '',
    `Nomor tiket   : ${ticket.ticketNumber}${input.created ? '' : ' (sudah tercatat sebelumnya)'}`,
    `Diterima      : ${formatJakartaTime(ticket.receivedAt, input.timeZone)} WIB`,
    ...(ticket.queueNumber ? [`Nomor antrian : ${ticket.queueNumber}`] : []),
    ...(ticket.complainant.name ? [`Nama          : ${sanitizeInline(ticket.complainant.name)}`] : []),
    `Jenis         : ${input.label}`,
    `Target        : ${input.targetText} (paling lambat ${formatJakartaTime(ticket.dueAt, input.timeZone)} WIB)`,
    `Ditangani     : ${input.teamName}`,
    '',
    'Simpan tanda terima ini dan sebutkan nomor tiket bila menanyakan perkembangan pengaduan Anda.',
  ].join('\n');
}
