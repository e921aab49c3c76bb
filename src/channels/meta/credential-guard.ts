import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import { graphErrorOf } from './graph-errors';

type AlertSink = Pick<AdminAlerts, 'raise' | 'resolve'>;

/**
 * The Page token serves both inboxes: the first token or permission error stops every poller that
 * uses it and tells the admin once (AdminAlerts also remembers across restarts). The next successful
 * call re-arms the alert.
 */
export class CredentialGuard {
  private failure: string | undefined;
  /** Until the first good call, an alert from before a restart may still be armed. */
  private confirmedGood = false;

  constructor(
    private readonly pageId: string,
    private readonly alerts: AlertSink,
    private readonly log: Logger,
    private readonly recheckMinutes: number,
  ) {}

  get alertKey(): string {
    return `meta-token-${this.pageId}`;
  }

  /** Why the token is unusable, while it is. */
  failedReason(): string | undefined {
    return this.failure;
  }

  async report(error: unknown, channelLabel: string): Promise<void> {
    if (this.failure) return;
    this.confirmedGood = false;
    this.failure = error instanceof Error ? error.message : String(error);
    const graph = graphErrorOf(error);
    const codes =
      graph?.code === undefined
        ? ''
        : ` (kode ${graph.code}${graph.subcode ? `/${graph.subcode}` : ''}${graph.fbtraceId ? `, fbtrace_id ${graph.fbtraceId}` : ''})`;
    this.log.error(
      { code: graph?.code, subcode: graph?.subcode, channel: channelLabel },
      'Graph API refused the Page token; Meta polling stopped',
    );
    try {
      await this.alerts.raise(
        this.alertKey,
        'Kanal Facebook Messenger/Instagram berhenti: token akses Page ditolak',
        [
          `Graph API menolak token akses Page ${this.pageId}${codes} saat membaca ${channelLabel}.`,
          'Pembacaan pesan Facebook Messenger dan Instagram dihentikan; pesan warga tidak hilang dan akan dibaca',
          'setelah token berlaku kembali.',
          '',
          'Yang perlu dilakukan:',
          '1. Buat token akses Page baru (dari token pengguna jangka panjang milik admin Page) dengan izin',
          '   pages_messaging, pages_read_engagement, pages_manage_metadata, instagram_basic dan',
          '   instagram_manage_messages; pastikan aplikasi masih terpasang di Page.',
          '2. Simpan token itu di variabel lingkungan META_PAGE_ACCESS_TOKEN lalu jalankan ulang layanan aduan.',
          '',
          `Sampai saat itu aduan mencoba sekali lagi setiap ${this.recheckMinutes} menit.`,
        ].join('\n'),
      );
    } catch (alertError) {
      this.log.error({ err: alertError }, 'could not send the admin alert about the Page token');
    }
  }

  async recovered(): Promise<void> {
    if (this.confirmedGood && !this.failure) return;
    if (this.failure) this.log.info('Graph API accepts the Page token again; Meta polling resumed');
    this.failure = undefined;
    this.confirmedGood = true;
    await this.alerts.resolve(this.alertKey);
  }
}
