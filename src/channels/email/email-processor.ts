import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import { PermanentError } from '../../lib/errors';
import type { ComplaintSink, SubmitResult } from '../complaint-sink';
import type { Store } from '../../store/store';
import type { FileToStore } from './attachments';
import { AutoReplyLimit } from './auto-reply-limit';
import { normalizeEmail, type EmailDecision } from './normalize';
import { parseEmail } from './parse';
import type { SenderTrust } from './sender-auth';
import type { EmailSettings } from './settings';

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

  constructor(
    private readonly settings: EmailSettings,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly alerts?: AdminAlerts,
  ) {
    this.limit = new AutoReplyLimit(store, settings.channel.autoReplyLimit);
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

  /** Bounces and auto-replies about our own team/alert mail: kept for a human, never threaded or answered. */
  private async recordNoise(
    decision: Extract<EmailDecision, { kind: 'noise' }>,
    origin: string,
  ): Promise<EmailOutcome> {
    const { report } = decision;
    await this.store.quarantine({
      channel: 'email',
      sourceId: decision.sourceId,
      reason: decision.reason,
      payload: JSON.stringify({ origin, report }),
    });
    this.log.info(
      { sourceId: decision.sourceId, origin, reason: decision.reason },
      'automatic mail recorded, not processed',
    );
    if (report?.recipient && decision.aboutStaffMail) {
      await this.alerts
        ?.raise(
          `email-bounce-${report.recipient}`,
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
    return { status: 'quarantined', reason: decision.reason };
  }
}

/** Content-addressed: an existing file already has these bytes. Written atomically. */
async function storeFiles(files: FileToStore[]): Promise<void> {
  for (const file of files) {
    if (await exists(file.path)) continue;
    await mkdir(path.dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.tmp`;
    await writeFile(temp, file.content);
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
