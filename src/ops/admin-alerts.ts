import type { Logger } from '../lib/logger';
import type { Transport } from '../outbound/message';
import type { Store } from '../store/store';

/**
 * Tells the admin once that something needs a human (a channel whose credentials stopped working, a
 * growing dead-letter queue), not once per poll. The last alert time per key is kept in the store, so
 * a restart does not repeat it either; `resolve` re-arms the alert once the problem is gone.
 */
export class AdminAlerts {
  constructor(
    private readonly store: Store,
    private readonly transport: Transport,
    private readonly options: { adminEmails: string[]; repeatAfterMinutes: number },
    private readonly log: Logger,
  ) {}

  /** Returns true when an alert was sent now. */
  async raise(key: string, subject: string, text: string): Promise<boolean> {
    const cursorKey = `alert:${key}`;
    const last = await this.store.getCursor(cursorKey);
    if (last && Date.now() - Date.parse(last) < this.options.repeatAfterMinutes * 60_000) return false;
    const sentAt = await this.send(key, subject, text);
    if (!sentAt) return false;
    // Recorded after delivery: a failed delivery is tried again on the next occurrence.
    await this.store.setCursor(cursorKey, sentAt);
    return true;
  }

  /**
   * Sends at once, without the per-key repeat guard (callers that rate-limit on their own); returns the
   * time sent, or undefined when no admin address is configured (the alert is still logged). `info`: a
   * notice rather than a problem (an import summary). `stableId`: the same Message-ID (and outbox file) on
   * every attempt, for a one-time mail that a crash may make us send again.
   */
  async send(
    key: string,
    subject: string,
    text: string,
    options: { level?: 'error' | 'info'; stableId?: boolean } = {},
  ): Promise<string | undefined> {
    const level = options.level ?? 'error';
    this.log[level]({ alert: key, subject }, level === 'error' ? 'admin alert' : 'admin notice');
    if (this.options.adminEmails.length === 0) return undefined;
    const sentAt = new Date().toISOString();
    await this.transport.deliver({
      id: `alert.${key.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 120)}${options.stableId ? '' : `.${Date.parse(sentAt)}`}`,
      purpose: 'alert',
      channel: 'email',
      to: this.options.adminEmails,
      subject: `[aduan] ${subject}`,
      text,
    });
    return sentAt;
  }

  /** The problem is over: the next occurrence alerts again. */
  async resolve(key: string): Promise<void> {
    const cursorKey = `alert:${key}`;
    if (await this.store.getCursor(cursorKey)) await this.store.setCursor(cursorKey, '');
  }
}
