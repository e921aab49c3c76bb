import { systemClock, type Clock } from '../domain/clock';
import { formatJakartaTime } from '../domain/messages';
import type { Logger } from '../lib/logger';
import { repeatEvery } from '../lib/repeat';
import type { AdminAlerts } from '../ops/admin-alerts';
import type { Store } from '../store/store';
import { describeRequest } from './data-requests';

export interface RequestDeadlineWatchDeps {
  store: Pick<Store, 'listDataRequests'>;
  alerts: Pick<AdminAlerts, 'raise'>;
  /** Alert when an open request is this close to its deadline (privacy.requests.alertBeforeHours). */
  alertBeforeHours: number;
  timeZone: string;
  log: Logger;
  clock?: Clock;
}

/**
 * Tells the admins when a data-subject request is still open close to (or past) its 3×24-hour deadline.
 * AdminAlerts keeps the last alert time per request in the store: one alert per request and repeat
 * interval, across restarts.
 */
export class RequestDeadlineWatch {
  private repeating: { stop(): void } | undefined;

  constructor(private readonly deps: RequestDeadlineWatchDeps) {}

  /** The ids of the requests alerted now. */
  async runOnce(now = (this.deps.clock ?? systemClock).now()): Promise<string[]> {
    const { store, alerts, alertBeforeHours, timeZone } = this.deps;
    const alerted: string[] = [];
    for (const request of await store.listDataRequests('open')) {
      const left = Date.parse(request.deadlineAt) - now.getTime();
      if (left > alertBeforeHours * 3_600_000) continue;
      const hours = Math.floor(Math.abs(left) / 3_600_000);
      const when = left >= 0 ? `${hours} jam lagi` : `lewat ${hours} jam`;
      const sent = await alerts.raise(
        `privacy-request-${request.id}`,
        `Permintaan data pribadi ${request.kind} belum selesai (${when})`,
        [
          `Permintaan subjek data ${describeRequest(request)} masih terbuka.`,
          `Diterima : ${formatJakartaTime(request.receivedAt, timeZone)} WIB`,
          `Batas    : ${formatJakartaTime(request.deadlineAt, timeZone)} WIB (3×24 jam, UU No. 27/2022)`,
          ...(request.outcome ? [`Catatan  : ${request.outcome}`] : []),
          '',
          'Lihat: aduan citizen requests --open',
        ].join('\n'),
      );
      if (sent) alerted.push(request.id);
    }
    return alerted;
  }

  start(intervalMs: number): void {
    this.repeating ??= repeatEvery(
      intervalMs,
      () => this.runOnce(),
      (error) => this.deps.log.warn({ err: error }, 'data-subject request check failed; will try again'),
    );
  }

  stop(): void {
    this.repeating?.stop();
    this.repeating = undefined;
  }
}
