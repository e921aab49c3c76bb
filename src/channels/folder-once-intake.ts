import type { Logger } from '../lib/logger';
import type { ComplaintSink } from './complaint-sink';
import { HealthTracker, type ChannelHealth, type ChannelIntake } from './channel';

/**
 * The lifecycle of an adapter that reads a folder through once (sample records, exported .eml files):
 * start reads in the background, `drained` waits for the end, `stop` asks the reader to finish early.
 * Subclasses implement `readAll` and check `stopping` between items.
 */
export abstract class FolderOnceIntake implements ChannelIntake {
  protected readonly tracker: HealthTracker;
  protected stopping = false;
  private running: Promise<void> | undefined;

  constructor(
    readonly name: string,
    protected readonly log: Logger,
  ) {
    this.tracker = new HealthTracker(name);
  }

  protected abstract readAll(sink: ComplaintSink): Promise<void>;

  async start(sink: ComplaintSink): Promise<void> {
    this.running = this.readAll(sink).catch((error: unknown) => {
      this.tracker.failure(error, 'failed');
      this.log.error({ err: error, channel: this.name }, 'folder channel failed');
    });
  }

  /** Resolves when every file has been handled (for the demo and tests). */
  async drained(): Promise<void> {
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    this.tracker.stopped();
  }

  health(): ChannelHealth {
    return this.tracker.snapshot();
  }
}
