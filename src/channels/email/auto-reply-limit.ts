import { RateWindow } from '../../ops/rate-window';
import type { Store } from '../../store/store';

/**
 * At most `perSender` automatic replies to one address per window, and `totalPerHour` to everyone
 * together. The first stops the classic loop with another helpdesk that acknowledges everything without
 * marking its mail as automatic; the second keeps forged senders in bulk from making us a backscatter
 * source. Counting the same message again is a no-op.
 */
export class AutoReplyLimit {
  private readonly perSender: RateWindow;
  private readonly total: RateWindow;

  constructor(
    store: Store,
    private readonly limit: { perSender: number; windowMinutes: number; totalPerHour?: number },
  ) {
    this.perSender = new RateWindow(store, 'email:auto-replies', {
      max: limit.perSender,
      windowMinutes: limit.windowMinutes,
    });
    this.total = new RateWindow(store, 'email:auto-replies-total', { max: this.totalPerHour, windowMinutes: 60 });
  }

  /** True when `messageId` may get an automatic reply to `address`; records it if so. */
  async admit(address: string, messageId: string, now = Date.now()): Promise<boolean> {
    return (await this.refusal(address, messageId, now)) === undefined;
  }

  /** Undefined when `messageId` may get an automatic reply (recorded); otherwise why not, for staff. */
  async refusal(address: string, messageId: string, now = Date.now()): Promise<string | undefined> {
    if (!(await this.perSender.admit(address, messageId, now))) {
      const { perSender, windowMinutes } = this.limit;
      return (
        `batas balasan otomatis tercapai: pengirim ini sudah menerima ${perSender} balasan otomatis ` +
        `dalam ${windowMinutes} menit terakhir`
      );
    }
    if (await this.total.admit('all', messageId, now)) return undefined;
    await this.perSender.release(address, messageId);
    return `batas balasan otomatis keseluruhan tercapai: ${this.totalPerHour} balasan otomatis dalam 60 menit terakhir`;
  }

  /** Gives back what `refusal` recorded for a message that will get no reply after all (imported history). */
  async release(address: string, messageId: string): Promise<void> {
    await this.perSender.release(address, messageId);
    await this.total.release('all', messageId);
  }

  private get totalPerHour(): number {
    return this.limit.totalPerHour ?? 300;
  }
}
