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
 * per sender per hour and `perHour` in all (an attacker can rotate senders), counted in the store.
 */
export class UnverifiedAnswerAlerts implements UnverifiedAnswerReporter {
  private readonly perSender: RateWindow;
  private readonly total: RateWindow;

  constructor(
    store: Store,
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
    if (!(await this.perSender.admit(sender, event.messageId))) return;
    if (!(await this.total.admit('all', event.messageId))) return;
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
      ].join('\n'),
    );
  }
}
