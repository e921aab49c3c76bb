import { z } from 'zod';
import type { CATEGORY_KEYS } from './categories';
import { CHANNEL_KEYS } from './channels';

/**
 * The one complaint record every channel produces (its `normalize` output). Validated at the pipeline
 * boundary: a record that fails is quarantined with the reason, never dropped.
 */

export const attachmentSchema = z.strictObject({
  filename: z.string().min(1).max(255),
  contentType: z.string().min(1).max(200),
  size: z.number().int().nonnegative(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Where the bytes were stored; absent when not stored (see `skippedReason`). */
  storedAt: z.string().optional(),
  skippedReason: z.string().optional(),
  /** Set when the name or type the sender gave was changed (a disguised program, a wrong type), for staff. */
  warning: z.string().max(1000).optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const complainantSchema = z.strictObject({
  name: z.string().max(200).optional(),
  email: z.email().optional(),
  /** E.164, +62… for Indonesian numbers. */
  phone: z
    .string()
    .regex(/^\+\d{8,15}$/)
    .optional(),
  platformUserId: z.string().max(200).optional(),
  platformUsername: z.string().max(200).optional(),
  nik: z
    .string()
    .regex(/^\d{16}$/)
    .optional(),
  kk: z
    .string()
    .regex(/^\d{16}$/)
    .optional(),
});
export type Complainant = z.infer<typeof complainantSchema>;

const isoDate = z.iso.datetime({ offset: true });

/** Text with something to read: not only white space, zero-width characters, BOMs or control characters. */
export function hasVisibleText(text: string): boolean {
  return /[^\s\u0000-\u001f\u007f\u200b-\u200f\u2060-\u2064\ufeff]/.test(text);
}

export const complaintInputSchema = z
  .strictObject({
    channel: z.enum(CHANNEL_KEYS),
    /** Unique per channel: Message-ID, Graph message id, portal record id, log file + row. */
    sourceId: z.string().min(1).max(998),
    /** Conversation, mail thread or portal thread the message belongs to. */
    threadId: z.string().max(998).optional(),
    /** Source ids of earlier messages this one answers (email In-Reply-To/References). */
    references: z.array(z.string().max(998)).max(200).default([]),
    receivedAt: isoDate,
    /**
     * When the record reached the office, where that is later than its own time (a LAPOR! report's
     * receivedAt is its submission to LAPOR!, days before the disposition to the office). A first read's
     * history age counts from the later of the two (src/domain/history-age.ts).
     */
    arrivedAt: isoDate.optional(),
    complainant: complainantSchema,
    subject: z.string().max(1000).optional(),
    /** The new text written by the citizen or the agent, without quoted replies and signatures. */
    text: z.string().max(200_000),
    quotedText: z.string().max(1_000_000).optional(),
    signature: z.string().max(10_000).optional(),
    attachments: z.array(attachmentSchema).max(100).default([]),
    /** Walk-in queue number (e.g. A012). */
    queueNumber: z.string().max(20).optional(),
    /** Whether an automatic reply may be sent (loop guards decide per channel). */
    autoReplyAllowed: z.boolean().default(true),
    /** Channel-specific facts worth keeping (agent name, log file, portal status). */
    meta: z.record(z.string(), z.string().max(2000)).default({}),
    /**
     * Set by the pipeline on a source's first read (or `aduan import`) for a record older than the channel's
     * history age: the id of that import. Such a ticket is history: no response, team mail, reminder or escalation.
     */
    historicalImport: z.string().min(1).max(300).optional(),
  })
  .refine((c) => hasVisibleText(c.text) || hasVisibleText(c.subject ?? '') || c.attachments.length > 0, {
    message: 'complaint has no text, no subject and no attachment',
    path: ['text'],
  });
export type ComplaintInput = z.infer<typeof complaintInputSchema>;
export type ComplaintInputDraft = z.input<typeof complaintInputSchema>;

/**
 * `meta` keys the pipeline reads as instructions (a staff answer's sender authentication, a reply tag, a Page-inbox
 * answer, an edit, chatter, automated mail…). Only the channel code that establishes such a fact may set them: a
 * configured mapping of source fields (HTTP sources) must not, or a source record could pose as any of them.
 */
export const PIPELINE_META_KEYS: ReadonlySet<string> = new Set([
  'automated',
  'autoReplyBlocked',
  'change',
  'changeOf',
  'chatter',
  'editNumber',
  'entryHash',
  'from',
  'fromProblem',
  'inboxAnswer',
  'inboxAppId',
  'mappingWarnings',
  'replyTag',
  'replyTo',
  'senderAuth',
  'senderAuthNote',
  'standby',
]);

export const TICKET_STATUSES = [
  'received',
  'acknowledged',
  'routed',
  'resolved',
  /** An answer asked the citizen for something: the office's SLA clock pauses until they reply. */
  'waiting-citizen',
  /** The citizen wrote again within the reopen window after the resolution. */
  'reopened',
  /** A LAPOR! report answered by staff: "jawaban siap dikirim ke LAPOR!" until `aduan lapor posted`. */
  'lapor-ready',
  /** Not the office's matter: sent on to another agency (no wrong door); closed. */
  'forwarded',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const HISTORY_EVENTS = [
  'received',
  'classified',
  'acknowledged',
  'acknowledgement-skipped',
  'routed',
  'follow-up',
  /** Sent to another team by staff (`aduan ticket route`); the note says why. */
  'rerouted',
  /** The team was reminded at the configured share of the target time. */
  'reminder',
  /** Overdue: the supervisor was told. */
  'escalated',
  /** A staff member's answer, received by mail; relayed to the citizen by the `relay` effect. */
  'staff-reply',
  /** A staff reply starting with #internal: recorded, never relayed. */
  'internal-note',
  'resolved',
  'note',
  /** An answer that asks the citizen for something was relayed: the ticket waits (SLA clock paused). */
  'waiting-citizen',
  /** The citizen's reply to a question: the wait ends, the due time moves by the time waited. */
  'citizen-replied',
  /** The citizen's message after the resolution, within the reopen window: the ticket is open again. */
  'reopened',
  /** A message that only thanks or acknowledges: kept on the ticket, not forwarded, not reopening. */
  'citizen-ack',
  /** The ready-to-paste follow-up of a LAPOR! report was mailed to the Admin Penghubung. */
  'lapor-handoff',
  /** The Admin Penghubung posted the follow-up in LAPOR! (`aduan lapor posted`): time and operator. */
  'lapor-posted',
  /** Reminder before LAPOR!'s follow-up deadline, to the team and the Admin Penghubung. */
  'lapor-reminder',
  /** LAPOR!'s follow-up deadline passed without the follow-up posted: the supervisors were told. */
  'lapor-escalated',
  /** Sent on to another agency (`aduan ticket forward`); `forward` says where, how and why. */
  'forwarded',
  /**
   * The citizen asked for the ticket's status ("sudah sampai mana?"): answered automatically by the `status`
   * effect (`statusAnswer` says where), never forwarded to the team, the ticket's life unchanged.
   */
  'status-question',
] as const;
export type HistoryEvent = (typeof HISTORY_EVENTS)[number];

export interface HistoryEntry {
  at: string;
  event: HistoryEvent;
  note?: string;
  /** Source id of the message behind a follow-up or staff reply; the id of a re-routing. */
  ref?: string;
  /** Who did it, when a person did: the staff address of a reply or re-routing, `operator:<user>` on the CLI. */
  by?: string;
  /** A mail that claimed to be a staff answer and failed the checks: why (never relayed, never resolving). */
  unverified?: string;
  /** Files of a staff answer, relayed to the citizen with it. */
  attachments?: Attachment[];
  /** A note made from automated mail (out-of-office, bounce …): its kind; never the citizen's words. */
  automated?: string;
  /** A staff answer that asks the citizen for something (`#tanya`, `ticket answer --ask`): it does not resolve. */
  ask?: true;
  /** citizen-replied: working minutes the ticket waited on the citizen (added to the due time). */
  waitedMinutes?: number;
  /** A staff reply that tells the citizen where the complaint went (`aduan ticket forward`); relaying it closes the ticket. */
  forward?: ForwardTarget;
  /**
   * A new complaint of the same kind from the same (linked) citizen, joined to this open ticket: the channel
   * it came on and where the citizen is told the ticket's number (absent: no automatic reply there).
   * `nikOnly`: the sender's record is tied to the ticket's only by the system's NIK link, which anyone who
   * knows the NIK can make: the sender is told it joined, never which ticket (decided when it was joined).
   */
  sameProblem?: { channel: (typeof CHANNEL_KEYS)[number]; to?: string; nikOnly?: true };
  /** status-question: the channel it came on and the contact the answer goes to. */
  statusAnswer?: { channel: (typeof CHANNEL_KEYS)[number]; to: string };
}

/** No wrong door: the agency a complaint was sent on to, the way it went and why. */
export interface ForwardTarget {
  to: string;
  via: string;
  reason: string;
}

export interface ClassificationResult {
  category: (typeof CATEGORY_KEYS)[number];
  confidence: number;
  evidence: string[];
  /** The two likeliest kinds; named in the team mail of a triaged ticket. */
  candidates?: { category: (typeof CATEGORY_KEYS)[number]; confidence: number }[];
  /** Why a complaint that looked like one of the kinds went to triage. */
  triage?: 'low-confidence' | 'close-call' | 'no-evidence';
  /** Integrity phrases found (pungli, calo, rude or absent staff): routed to the supervisors. */
  integrity?: string[];
}

/** A stored ticket: the complaint plus what the office did with it. */
export interface Ticket extends ComplaintInput {
  id: string;
  /** ADU-2026-000123: unique and increasing per year. */
  ticketNumber: string;
  status: TicketStatus;
  classification: ClassificationResult;
  targetMinutes: number;
  dueAt: string;
  team: string;
  createdAt: string;
  history: HistoryEntry[];
  /** Set once its personal data was removed (retention or a citizen's erasure request, src/domain/anonymize). */
  anonymized?: { at: string; reason: AnonymizationReason };
}

/** Why a ticket's personal data was removed: its retention period ended, or the citizen asked. */
export type AnonymizationReason = 'retention' | 'erasure';

export type ValidationOutcome = { ok: true; complaint: ComplaintInput } | { ok: false; reason: string };

/** Earliest receivedAt taken at face value: before it, none of the office's channels existed. */
export const EARLIEST_RECEIVED_AT = '2010-01-01T00:00:00Z';
/** How far ahead of our clock a source's time may be (clock skew, time zone mistakes). */
export const MAX_RECEIVED_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * A source's time is a claim (an email Date header is written by the sender; portals and agents' logs
 * have typos): one before EARLIEST_RECEIVED_AT or more than a day ahead would give a ticket number of
 * that year and a due time long past or far away. Such a complaint counts from when we received it;
 * the claimed time stays in meta for staff.
 */
export function withPlausibleReceivedAt(complaint: ComplaintInput, now: Date): ComplaintInput {
  const fixed = plausibleArrival(complaint, now);
  const at = Date.parse(fixed.receivedAt);
  if (at >= Date.parse(EARLIEST_RECEIVED_AT) && at <= now.getTime() + MAX_RECEIVED_AHEAD_MS) return fixed;
  return {
    ...fixed,
    receivedAt: now.toISOString(),
    meta: {
      ...fixed.meta,
      receivedAtClaimed: fixed.receivedAt.slice(0, 100),
      receivedAtNote: 'waktu dari sumber tidak masuk akal; dihitung sejak aduan diterima sistem',
    },
  };
}

/**
 * An arrival at the office (a LAPOR! disposition, a portal's mapping.arrivedAt) is a claim as well, and the SLA
 * clock starts from it (ageStart): one far ahead would put the due time years away, never reminded nor
 * escalated. The record reached us by now, so such a claim counts as now.
 */
function plausibleArrival(complaint: ComplaintInput, now: Date): ComplaintInput {
  if (complaint.arrivedAt === undefined || Date.parse(complaint.arrivedAt) <= now.getTime() + MAX_RECEIVED_AHEAD_MS)
    return complaint;
  return {
    ...complaint,
    arrivedAt: now.toISOString(),
    meta: { ...complaint.meta, arrivedAtClaimed: complaint.arrivedAt.slice(0, 100) },
  };
}

/** Validates a channel's output; the reason names each offending field. */
export function validateComplaint(candidate: unknown): ValidationOutcome {
  const parsed = complaintInputSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, complaint: parsed.data };
  const reason = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason };
}
