import { systemClock, type Clock } from '../../domain/clock';
import { PermanentError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Store } from '../../store/store';
import { laporComplaint } from '../../domain/lapor-report';
import { EmailProcessor, type EmailSource } from '../email/email-processor';
import type { NoiseKind } from '../email/automated-mail';
import type { EmailDecision } from '../email/normalize';
import { normalizeMessageId, fallbackMessageId } from '../email/message-ids';
import { parseEmail, type ParsedMail } from '../email/parse';
import { assessSender, type SenderTrust } from '../email/sender-auth';
import type { EmailSettings } from '../email/settings';
import type { LaporRules } from './config-schema';
import { looksLikeNotification, readNotification } from './notification';

const NO_TRUST: SenderTrust = { authservIds: [], maxHeaders: 1, alignedSpf: false, trustUnauthenticatedFrom: false };

/**
 * The LAPOR! notification mailbox's processor: the same IMAP reading, cursor and noise records as the
 * email channel, but every message must be a LAPOR! notification whose From domain passed the receiving
 * server's authentication (the check staff answers pass, src/channels/email/sender-auth.ts). Anything
 * else is recorded as noise with the reason, never a ticket: a forged notification would put a made-up
 * report on LAPOR!'s clock.
 */
export class LaporNotificationProcessor extends EmailProcessor {
  constructor(
    settings: EmailSettings,
    store: Store,
    private readonly laporLog: Logger,
    private readonly rules: LaporRules,
    private readonly timeZone: string,
    alerts?: AdminAlerts,
    private readonly clock: Clock = systemClock,
  ) {
    super(settings, store, laporLog, alerts);
  }

  override async decide(raw: Buffer, source: EmailSource): Promise<EmailDecision> {
    let mail: ParsedMail;
    try {
      mail = await parseEmail(raw);
    } catch (error) {
      throw new PermanentError(`cannot read the message: ${(error as Error).message}`, { cause: error });
    }
    const sender = mail.from?.value[0]?.address?.trim().toLowerCase();
    const subject = mail.subject?.slice(0, 998);
    const text = mail.text ?? '';
    const sourceId =
      normalizeMessageId(mail.headers.get('message-id') as string | undefined) ??
      fallbackMessageId({
        headers: [`from:${sender ?? ''}`, `subject:${subject ?? ''}`],
        body: text.slice(0, 100_000),
      });
    const refuse = (kind: NoiseKind, reason: string): EmailDecision => ({
      kind: 'noise',
      sourceId,
      noiseKind: kind,
      reason,
      aboutStaffMail: false,
      ...(sender ? { sender } : {}),
      ...(subject ? { subject } : {}),
      size: raw.length,
      references: [],
      excerpt: '',
    });
    if (!looksLikeNotification({ sender, subject }, this.rules))
      return refuse(
        'not-lapor',
        'pengirim atau subjek bukan notifikasi LAPOR! yang dikenal (channels.lapor.notifications.rules)',
      );
    const fromHeaders = mail.headerLines.filter((h) => h.key === 'from').length;
    const auth = assessSender(mail.headerLines, sender?.slice(sender.lastIndexOf('@') + 1), source.trust ?? NO_TRUST);
    if (auth.verdict !== 'pass' || fromHeaders !== 1 || (mail.from?.value.length ?? 0) !== 1) {
      this.laporLog.warn(
        { sourceId, origin: source.origin, auth: auth.how },
        'LAPOR! notification refused: sender not authenticated',
      );
      return refuse('forged-lapor', `notifikasi LAPOR! ditolak: pengirim tidak terautentikasi (${auth.how})`);
    }
    const read = readNotification({ sender, subject, text }, this.rules, this.timeZone);
    if (!read.ok) return refuse('not-lapor', `notifikasi LAPOR! tidak terbaca: ${read.reason}`);
    // The notification's arrival (the mailbox's receipt, else its Date) is when the office had the report at
    // the latest: a first read of this mailbox judges the report's age from it, not from the submission.
    const notifiedAt = source.receivedAt ?? (mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : undefined);
    const built = laporComplaint(
      { ...read.report, ...(notifiedAt ? { deliveredAt: notifiedAt.toISOString() } : {}) },
      this.clock.now(),
    );
    if (!built.ok) return refuse('not-lapor', `notifikasi LAPOR! tidak terbaca: ${built.reason}`);
    const complaint = {
      ...built.complaint,
      references: [],
      attachments: [],
      autoReplyAllowed: false,
      meta: {
        ...built.complaint.meta,
        origin: source.origin.slice(0, 2000),
        senderAuth: auth.verdict,
        senderAuthNote: auth.how.slice(0, 500),
      },
    };
    return { kind: 'complaint', complaint, files: [], automation: { kind: 'human' }, looksNew: false };
  }
}
