import { createHash } from 'node:crypto';
import type { Store } from '../../store/store';

/**
 * At most `perSender` automatic replies to one address per window, counted in the store so a restart
 * does not reset it. Stops the classic loop with another helpdesk that acknowledges everything
 * without marking its mail as automatic. Counting the same message again is a no-op.
 */
export class AutoReplyLimit {
  constructor(private readonly store: Store, private readonly limit: { perSender: number; windowMinutes: number }) {}

  /** True when `messageId` may get an automatic reply to `address`; records it if so. */
  async admit(address: string, messageId: string, now = Date.now()): Promise<boolean> {
    const key = `email:auto-replies:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`;
    const windowMs = this.limit.windowMinutes * 60_000;
    const recent = parse(await this.store.getCursor(key)).filter((entry) => now - entry.at < windowMs);
    if (recent.some((entry) => entry.id === messageId)) return true;
    if (recent.length >= this.limit.perSender) return false;
    await this.store.setCursor(key, JSON.stringify([...recent, { id: messageId, at: now }]));
    return true;
  }

  describe(): string {
    return `batas balasan otomatis tercapai: pengirim ini sudah menerima ${this.limit.perSender} balasan otomatis dalam ${this.limit.windowMinutes} menit terakhir`;
  }
}

function parse(value: string | undefined): Array<{ id: string; at: number }> {
  try {
    const parsed: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e): e is { id: string; at: number } => typeof e?.id === 'string' && typeof e?.at === 'number') : [];
  } catch {
    return [];
  }
}
