import { createHash } from 'node:crypto';
import type { Store } from '../store/store';

/**
 * Pending checks per store and cursor key, shared by every RateWindow of the process: two windows of one name
 * (the email reader's reply limit and the channel's reply budget asked by the effects stage) must not both read
 * the same count and both write it back.
 */
const QUEUES = new WeakMap<Store, Map<string, Promise<unknown>>>();

/**
 * At most `limit` events per key within a sliding window, counted in the store so a restart does not
 * reset it. Counting the same event id again is a no-op (a message read twice). Checks of one key run
 * one after another within the process (whichever instance asks), so concurrent jobs cannot both take the
 * last slot.
 */
export class RateWindow {
  private readonly queues: Map<string, Promise<unknown>>;
  private lastPruned = 0;

  constructor(
    private readonly store: Store,
    /** Prefix of the store keys (`email:auto-replies`). */
    private readonly name: string,
    private readonly limit: { max: number; windowMinutes: number },
  ) {
    let queues = QUEUES.get(store);
    if (!queues) QUEUES.set(store, (queues = new Map()));
    this.queues = queues;
  }

  /** True when event `id` under `key` fits in the window; records it if so. */
  async admit(key: string, id: string, now = Date.now()): Promise<boolean> {
    await this.pruneNowAndThen();
    return this.serially(key, (cursorKey) => this.check(cursorKey, id, now));
  }

  /**
   * Once per window, the keys nobody wrote within a window are deleted: every sender an attacker
   * makes up would otherwise stay in the store for good. A key written within the window is kept whole.
   */
  private async pruneNowAndThen(): Promise<void> {
    // The store stamps writes with the real clock, so this compares with it too (not a caller's `now`).
    const now = Date.now();
    const windowMs = this.limit.windowMinutes * 60_000;
    if (now - this.lastPruned < windowMs) return;
    this.lastPruned = now;
    await this.store.deleteCursorsBefore(this.name, new Date(now - windowMs).toISOString());
  }

  /** Takes back an admitted event (a later check refused what it was for). */
  release(key: string, id: string): Promise<void> {
    return this.serially(key, async (cursorKey) => {
      const entries = parse(await this.store.getCursor(cursorKey)).filter((e) => e.id !== id);
      await this.store.setCursor(cursorKey, JSON.stringify(entries));
    });
  }

  /** Runs `work` after every earlier call for the same key in this process has finished. */
  private serially<T>(key: string, work: (cursorKey: string) => Promise<T>): Promise<T> {
    const cursorKey = `${this.name}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
    const run = (this.queues.get(cursorKey) ?? Promise.resolve()).then(() => work(cursorKey));
    const settled = run.catch(() => undefined);
    this.queues.set(cursorKey, settled);
    void settled.then(() => {
      if (this.queues.get(cursorKey) === settled) this.queues.delete(cursorKey);
    });
    return run;
  }

  private async check(cursorKey: string, id: string, now: number): Promise<boolean> {
    const windowMs = this.limit.windowMinutes * 60_000;
    const recent = parse(await this.store.getCursor(cursorKey)).filter((entry) => now - entry.at < windowMs);
    if (recent.some((entry) => entry.id === id)) return true;
    if (recent.length >= this.limit.max) return false;
    await this.store.setCursor(cursorKey, JSON.stringify([...recent, { id, at: now }]));
    return true;
  }
}

function parse(value: string | undefined): Array<{ id: string; at: number }> {
  try {
    const parsed: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((e): e is { id: string; at: number } => typeof e?.id === 'string' && typeof e?.at === 'number')
      : [];
  } catch {
    return [];
  }
}
