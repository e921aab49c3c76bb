import type { ComplaintSink } from './complaint-sink';

/** What /healthz shows of a channel. */
export interface ChannelHealth {
  name: string;
  state: 'starting' | 'ok' | 'degraded' | 'failed' | 'stopped';
  lastSuccessAt?: string;
  lastError?: string;
  /** Complaints this process handed to the pipeline. */
  submitted: number;
}

/**
 * Every channel adapter: it reads its source (poll or push), turns each item into the one complaint
 * record with its pure `normalize`, and hands it to the sink. It advances its own cursor only after
 * `sink.submit` resolved.
 */
export interface ChannelIntake {
  readonly name: string;
  start(sink: ComplaintSink): Promise<void>;
  /** Stops reading; resolves once no read or submit of this channel is in flight. */
  stop(): Promise<void>;
  health(): ChannelHealth;
}

/** Shared bookkeeping for adapters' health. */
export class HealthTracker {
  private current: ChannelHealth;

  constructor(name: string) {
    this.current = { name, state: 'starting', submitted: 0 };
  }

  success(submitted = 0): void {
    this.current = {
      ...this.current,
      state: 'ok',
      lastSuccessAt: new Date().toISOString(),
      submitted: this.current.submitted + submitted,
    };
    delete this.current.lastError;
  }

  failure(error: unknown, state: 'degraded' | 'failed' = 'degraded'): void {
    this.current = { ...this.current, state, lastError: error instanceof Error ? error.message : String(error) };
  }

  stopped(): void {
    this.current = { ...this.current, state: 'stopped' };
  }

  snapshot(): ChannelHealth {
    return { ...this.current };
  }
}
