import type { Queue } from 'bullmq';
import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import type { AdminAlerts } from './admin-alerts';

const ALERT_KEY = 'dead-letter-growing';
const BASELINE_CURSOR = 'dead-letter:alerted-count';

/**
 * Tells the admin when the dead-letter queue has grown since the last alert (jobs there need a person:
 * `aduan dlq list`, then `aduan dlq replay`). AdminAlerts rate-limits; an emptied queue re-arms it.
 */
export class DeadLetterWatch {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deadLetter: Queue,
    private readonly store: Store,
    private readonly alerts: AdminAlerts,
    private readonly log: Logger,
  ) {}

  async check(): Promise<number> {
    const count = await this.deadLetter.getJobCountByTypes('waiting', 'delayed', 'prioritized');
    const alerted = Number((await this.store.getCursor(BASELINE_CURSOR)) || 0);
    if (count === 0 && alerted > 0) {
      await this.store.setCursor(BASELINE_CURSOR, '0');
      await this.alerts.resolve(ALERT_KEY);
    }
    if (count <= alerted) return count;
    const sent = await this.alerts.raise(
      ALERT_KEY,
      `${count} pekerjaan gagal menunggu di antrean DLQ`,
      [
        `Antrean pekerjaan gagal (dead-letter queue) kini berisi ${count} pekerjaan (sebelumnya ${alerted}).`,
        'Pengaduan tidak hilang (tersimpan di basis data), tetapi respon awal atau pengiriman ke tim untuk',
        'pekerjaan ini berhenti setelah semua percobaan gagal.',
        '',
        'Periksa penyebabnya dengan `aduan dlq list`, perbaiki (mis. alamat tim, kredensial SMTP), lalu',
        'jalankan `aduan dlq replay --all`.',
      ].join('\n'),
    );
    if (sent) await this.store.setCursor(BASELINE_CURSOR, String(count));
    return count;
  }

  start(intervalMs: number): void {
    let running = false;
    const tick = () => {
      if (running) return; // a slow check is still going: one at a time, and stop() waits for it
      running = true;
      this.inFlight = this.check()
        .catch((error: unknown) => this.log.warn({ err: error }, 'dead-letter check failed'))
        .finally(() => (running = false));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** Resolves once no check is running: the queue's connection may be closed after it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }
}
