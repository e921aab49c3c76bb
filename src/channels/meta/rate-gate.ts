import { sleep } from '../../lib/backoff';
import { slowdownFactor, type UsageReading } from './usage-headers';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

export interface RateGateOptions {
  callsPerSecond: number;
  /** Usage (percent) from which calls are spaced out further. */
  slowDownAtPercent: number;
  /** First pause after a rate-limit error that did not say when access returns; doubles while repeated. */
  pauseBaseMs: number;
  pauseMaxMs: number;
}

/** A usage reading older than this no longer slows us down: Meta stops sending the headers when usage is low. */
const USAGE_MEMORY_MS = 5 * 60_000;

/**
 * The call budget of one Graph account (a Page, an Instagram account): spaces calls to the configured
 * rate, spaces them further as reported usage nears the limit, and pauses the account after a
 * rate-limit error. Shared by everything in the process that calls for that account.
 */
export class RateGate {
  private lastSlotAt = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private consecutiveLimits = 0;
  private usage: { percent: number; at: number } | undefined;

  constructor(
    private readonly options: RateGateOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Waits for this account's next call slot. Callers check `pausedForMs` first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    // Spacing is taken now, not when the previous slot was given: the last response's usage counts.
    const slot = Math.max(now, this.lastSlotAt + this.spacingMs());
    this.lastSlotAt = slot;
    if (slot > now) await this.clock.sleep(slot - now, signal);
  }

  /** Milliseconds between two calls right now. */
  spacingMs(): number {
    const base = 1000 / this.options.callsPerSecond;
    const fresh = this.usage && this.clock.now() - this.usage.at < USAGE_MEMORY_MS ? this.usage.percent : 0;
    return Math.round(base * slowdownFactor(fresh, this.options.slowDownAtPercent));
  }

  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.now());
  }

  observe(reading: UsageReading): void {
    this.usage = { percent: reading.percent, at: this.clock.now() };
    if (reading.regainAccessMs > 0) this.pauseFor(reading.regainAccessMs);
  }

  /** A rate-limit error: pause until Meta said access returns, else for a pause that doubles while errors repeat. */
  limited(regainAccessMs = 0): number {
    this.consecutiveLimits += 1;
    const doubling = Math.min(this.options.pauseMaxMs, this.options.pauseBaseMs * 2 ** (this.consecutiveLimits - 1));
    const pause = regainAccessMs > 0 ? regainAccessMs : doubling;
    this.pauseFor(pause);
    return this.pausedForMs();
  }

  succeeded(): void {
    this.consecutiveLimits = 0;
  }

  private pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }
}
