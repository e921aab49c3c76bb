/**
 * The service's time, injected where a decision depends on it (intake, SLA sweep, first reads, the demo),
 * so tests with fixed dates do not rot and the demo can place its samples around its own time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still at `at` until moved (tests). */
export class FixedClock implements Clock {
  private at: number;

  constructor(at: string | Date) {
    this.at = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: string | Date): void {
    this.at = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
