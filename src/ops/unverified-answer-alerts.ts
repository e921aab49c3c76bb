import { createHash } from 'node:crypto';
import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import type { AdminAlerts } from './admin-alerts';
import { RateWindow } from './rate-window';

/** What the intake stage needs to report a refused staff answer (an interface, so tests can count). */
export interface UnverifiedAnswerReporter {
  report(event: {
    ticketNumber: string;
    sender: string | undefined;
    messageId: string;
    problems: string[];
  }): Promise<void>;
}

/**
 * Tells the admins that mail claimed to answer a ticket for staff and was refused: at most one alert
 * per sender per hour and `perHour` in all (an attacker can rotate senders), counted in the store. An
 * alert refused by either cap is counted, and the next alert says how many were suppressed. A message
 * read again after a crash is not alerted twice.
 */
export class UnverifiedAnswerAlerts implements UnverifiedAnswerReporter {
  private readonly perSender: RateWindow;
  private readonly total: RateWindow;
  /** One store update at a time for the suppressed count (jobs run concurrently). */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly alerts: AdminAlerts,
    perHour: number,
    private readonly log: Logger,
  ) {
    this.perSender = new RateWindow(store, 'alert:unverified-answer', { max: 1, windowMinutes: 60 });
    this.total = new RateWindow(store, 'alert:unverified-answers', { max: perHour, windowMinutes: 60 });
  }

  async report(event: {
    ticketNumber: string;
    sender: string | undefined;
    messageId: string;
    problems: string[];
  }): Promise<void> {
    const sender = (event.sender ?? '(tanpa From)').toLowerCase();
    this.log.warn(
      { ticket: event.ticketNumber, sender, messageId: event.messageId, problems: event.problems },
      'unverified staff answer refused',
    );
    const sentKey = `${SENT}:${createHash('sha256').update(event.messageId).digest('hex').slice(0, 32)}`;
    if (await this.store.getCursor(sentKey)) return;
    if (!(await this.perSender.admit(sender, event.messageId))) {
      await this.suppressed(1);
      return;
    }
    if (!(await this.total.admit('all', event.messageId))) {
      // The sender's slot was not used: a later alert of theirs may go out once the global cap allows.
      await this.perSender.release(sender, event.messageId);
      await this.suppressed(1);
      return;
    }
    const suppressed = await this.suppressed(0);
    await this.alerts.send(
      `unverified-answer-${event.ticketNumber}`,
      `Jawaban staf tidak terverifikasi untuk ${event.ticketNumber} ditolak`,
      [
        `Sebuah email mengaku sebagai jawaban staf untuk tiket ${event.ticketNumber}, tetapi tidak lolos pemeriksaan:`,
        ...event.problems.map((p) => `  - ${p}`),
        '',
        `Pengirim (From): ${sender}`,
        `Message-ID     : ${event.messageId}`,
        '',
        'Email ini TIDAK diteruskan kepada pelapor dan tiket TIDAK ditandai selesai; isinya dicatat pada tiket sebagai',
        'catatan internal "tidak terverifikasi". Bila ini jawaban asli, minta petugas membalas email tiket dari alamat',
        'timnya, atau jawab lewat `aduan ticket answer`. Bila bukan, mungkin ada yang mencoba memalsukan',
        'jawaban kantor.',
        'Peringatan ini dikirim paling banyak sekali per jam per pengirim.',
        ...(suppressed > 0
          ? [
              '',
              `${suppressed} peringatan serupa lainnya tidak dikirim sejak peringatan terakhir ` +
                '(batas per jam); lihat log.',
            ]
          : []),
      ].join('\n'),
    );
    await this.store.setCursor(sentKey, new Date().toISOString());
    // The markers only need to outlive a re-read after a crash.
    await this.store.deleteCursorsBefore(SENT, new Date(Date.now() - 7 * 24 * 3_600_000).toISOString());
  }

  /** Adds `more` to the suppressed count; with 0, takes the count (and resets it) for the alert being sent. */
  private suppressed(more: number): Promise<number> {
    const run = this.chain.then(async () => {
      const count = Number(await this.store.getCursor(SUPPRESSED)) || 0;
      await this.store.setCursor(SUPPRESSED, String(more > 0 ? count + more : 0));
      return count;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

const SENT = 'alert:unverified-answer-sent';
const SUPPRESSED = 'alert:unverified-answers-suppressed';
