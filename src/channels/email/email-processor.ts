import { rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import { PermanentError } from '../../lib/errors';
import type { ComplaintSink, SubmitResult } from '../complaint-sink';
import type { Store } from '../../store/store';
import type { FileToStore } from './attachments';
import { RateWindow } from '../../ops/rate-window';
import { AutoReplyLimit } from './auto-reply-limit';
import { canonicalAddress } from './loop-guard';
import { noiseLabel } from './noise-labels';
import type { HistoryEntry, Ticket } from '../../domain/complaint';
import { parseOwnMessageId, parseReplyTag } from '../../domain/office-mail-ids';
import { normalizeEmail, type EmailDecision, type NoiseDecision } from './normalize';
import { parseEmail } from './parse';
import type { SenderTrust } from './sender-auth';
import type { EmailSettings } from './settings';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../lib/private-files';

/** Notes from automated mail kept per ticket per hour. */
export const NOISE_NOTES_PER_HOUR = 10;

export type EmailOutcome = SubmitResult | { status: 'ignored'; reason: string };

export interface EmailSource {
  /** account/mailbox#uid or a file name. */
  origin: string;
  receivedAt?: Date;
  /** The account's trust in its receiving server's Authentication-Results; absent (a folder): none. */
  trust?: SenderTrust;
}

/**
 * One raw message → the pipeline, the same way for every source of .eml bytes (IMAP, a folder):
 * parse, normalize, apply the per-sender reply limit, store attachments, submit. Resolves once the
 * message is durable (queued, a known duplicate, quarantined or deliberately ignored); throws when
 * it is not, and then a PermanentError means retrying cannot help.
 */
export class EmailProcessor {
  private readonly limit: AutoReplyLimit;
  private readonly noiseNotes: RateWindow;

  constructor(
    private readonly settings: EmailSettings,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly alerts?: AdminAlerts,
  ) {
    this.limit = new AutoReplyLimit(store, settings.channel.autoReplyLimit);
    this.noiseNotes = new RateWindow(store, 'email-noise-notes', { max: NOISE_NOTES_PER_HOUR, windowMinutes: 60 });
  }

  async process(raw: Buffer, source: EmailSource, sink: ComplaintSink): Promise<EmailOutcome> {
    return this.submit(await this.decide(raw, source), source, sink);
  }

  /** The second half of `process`, for readers that guard the first (reading) half: see PoisonGuard. */
  async submit(decision: EmailDecision, source: { origin: string }, sink: ComplaintSink): Promise<EmailOutcome> {
    if (decision.kind === 'own-mail') {
      this.log.debug({ sourceId: decision.sourceId, origin: source.origin }, 'own outgoing mail skipped');
      return { status: 'ignored', reason: decision.reason };
    }
    if (decision.kind === 'noise') return this.recordNoise(decision, source.origin);

    const { complaint } = decision;
    const wouldReply = complaint.autoReplyAllowed && decision.looksNew && decision.replyAddress;
    const refused = wouldReply ? await this.limit.refusal(decision.replyAddress!, complaint.sourceId) : undefined;
    if (refused) {
      complaint.autoReplyAllowed = false;
      complaint.meta.autoReplyBlocked = refused;
    }
    await storeFiles(decision.files);
    const result = await sink.submit(complaint, { channel: 'email', hint: source.origin });
    // A first read's old mail became history: it gets no reply, so it must not use up the reply budget.
    if (wouldReply && !refused && result.status === 'queued' && result.historical)
      await this.limit.release(decision.replyAddress!, complaint.sourceId);
    return result;
  }

  /** Quarantines a message that cannot be handled, with what identifies it; never its body. */
  async quarantine(
    source: { origin: string; sourceId?: string },
    reason: string,
    headers: string,
  ): Promise<EmailOutcome> {
    await this.store.quarantine({
      channel: 'email',
      ...(source.sourceId ? { sourceId: source.sourceId } : {}),
      reason,
      payload: JSON.stringify({ origin: source.origin, headers: headers.slice(0, 64 * 1024) }),
    });
    this.log.warn({ origin: source.origin, reason }, 'email quarantined');
    return { status: 'quarantined', reason };
  }

  /** Parse and normalize: all the work on the untrusted bytes, nothing durable yet. */
  async decide(raw: Buffer, source: EmailSource): Promise<EmailDecision> {
    try {
      const mail = await parseEmail(raw);
      return normalizeEmail(mail, {
        ownAddresses: this.settings.ownAddresses,
        intakeAddresses: this.settings.intakeAddresses,
        acceptAutomatedFrom: this.settings.channel.acceptAutomatedFrom,
        size: raw.length,
        ownDomain: this.settings.ownDomain,
        attachments: { folder: this.settings.attachmentsFolder, maxBytes: this.settings.channel.attachments.maxBytes },
        receivedAt: source.receivedAt,
        now: new Date(),
        origin: source.origin,
        trust: source.trust,
        spam: this.settings.channel.spam,
      });
    } catch (error) {
      throw new PermanentError(`cannot read the message: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Mail a machine wrote: recorded once as noise (before the cursor moves on), noted on the ticket it
   * concerns as an internal note (never relayed, never sent to the team, status and target time
   * untouched), and a bounce of our team or alert mail tells the admins.
   */
  private async recordNoise(decision: NoiseDecision, origin: string): Promise<EmailOutcome> {
    const ticket = await this.ticketConcerned(decision);
    const record = await this.store.recordNoise({
      channel: 'email',
      mailbox: mailboxOf(origin),
      sourceId: decision.sourceId,
      kind: decision.noiseKind,
      reason: decision.reason,
      ...(decision.sender ? { sender: decision.sender } : {}),
      ...(decision.subject ? { subject: decision.subject } : {}),
      size: decision.size,
      ...(ticket ? { ticketNumber: ticket.ticketNumber } : {}),
    });
    // Also after a crash between the record and the note: attachFollowUp writes the note once. Anyone can
    // name a ticket in a made-up auto-reply: past the hourly cap per ticket, the record alone keeps it.
    const noted = ticket ? await this.noiseNotes.admit(ticket.id, decision.sourceId) : false;
    if (ticket && noted) await this.store.attachFollowUp(ticket.id, 'email', decision.sourceId, noiseNote(decision));
    else if (ticket)
      this.log.warn({ ticket: ticket.ticketNumber, sourceId: decision.sourceId }, 'noise note not kept: hourly cap');
    this.log.info(
      { sourceId: decision.sourceId, origin, kind: decision.noiseKind, ticket: ticket?.ticketNumber },
      record.repeated ? 'automated mail seen again, recorded before' : 'automated mail recorded as noise, no ticket',
    );
    const { report } = decision;
    if (report?.recipient && decision.aboutStaffMail) {
      // Anyone can forge a report answering our (guessable) team Message-ID: one alert per staff address we
      // know; reports naming any other address share one key, so made-up recipients cannot flood the admins.
      const known = this.settings.ownAddresses.has(canonicalAddress(report.recipient));
      await this.alerts
        ?.raise(
          known ? `email-bounce-${report.recipient}` : 'email-bounce-other-address',
          `Email ke ${report.recipient} gagal terkirim`,
          [
            `Server email melaporkan bahwa email aduan kepada ${report.recipient} tidak dapat dikirim`,
            `(status ${report.status ?? '-'}: ${report.diagnostic ?? '-'}).`,
            '',
            'Periksa alamat tim dan admin di config/default.yaml (teams, alerts.adminEmails).',
          ].join('\n'),
        )
        .catch((error: unknown) => this.log.warn({ err: error }, 'could not alert the admin about a bounce'));
    }
    return { status: 'ignored', reason: `noise (${decision.noiseKind}): ${decision.reason}` };
  }

  /**
   * The ticket automated mail is about: a message of its thread it answers, one of our Message-IDs, or
   * the ticket tag of the address it was sent to. A note is all it can add, so no token is needed.
   */
  private async ticketConcerned(decision: NoiseDecision): Promise<Ticket | undefined> {
    if (decision.references.length) {
      const threaded = await this.store.findByMessageRefs('email', decision.references);
      if (threaded) return threaded;
    }
    const numbers = [
      ...[...decision.references].reverse().map((id) => parseOwnMessageId(id, this.settings.ownDomain)?.ticketNumber),
      decision.replyTag ? parseReplyTag(decision.replyTag)?.ticketNumber : undefined,
    ];
    for (const number of numbers) {
      const ticket = number ? await this.store.getTicketByNumber(number) : undefined;
      if (ticket) return ticket;
    }
    return undefined;
  }
}

/** `account/INBOX#17` → `account/INBOX`; a file → its folder. */
function mailboxOf(origin: string): string {
  const uid = /#\d+$/.exec(origin);
  return uid ? origin.slice(0, uid.index) : path.dirname(origin);
}

/** The internal note: marked automated, so nobody takes it for the citizen's words. */
function noiseNote(decision: NoiseDecision): HistoryEntry {
  const head = `[EMAIL OTOMATIS — ${noiseLabel(decision.noiseKind)}; tidak diteruskan ke tim dan tidak dibalas] ${decision.reason}`;
  const subject = decision.subject ? `\nSubjek: ${decision.subject}` : '';
  return {
    at: new Date().toISOString(),
    event: 'note',
    ref: decision.sourceId,
    ...(decision.sender ? { by: decision.sender } : {}),
    note: `${head}${subject}${decision.excerpt ? `\n\n${decision.excerpt}` : ''}`.slice(0, 20_000),
    automated: decision.noiseKind,
  };
}

/** Content-addressed: an existing file already has these bytes. Written atomically. */
async function storeFiles(files: FileToStore[]): Promise<void> {
  for (const file of files) {
    if (await exists(file.path)) continue;
    await ensurePrivateDir(path.dirname(file.path));
    const temp = `${file.path}.${process.pid}.tmp`;
    await writeFile(temp, file.content, { mode: PRIVATE_FILE_MODE });
    await rename(temp, file.path);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
