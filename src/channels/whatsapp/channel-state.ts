import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Store } from '../../store/store';
import { WhatsAppMetrics } from './metrics';

type AlertSink = Pick<AdminAlerts, 'raise' | 'resolve'>;

/**
 * What the WhatsApp receiver and the reply transport share: whether the token still works (a refused
 * token stops sending and shows in /healthz, with one admin alert), the back-off of each number and each
 * recipient after a rate limit, and the store and alerts the receiver was started with.
 */
export class WhatsAppChannelState {
  tokenFailure: string | undefined;
  store: Store | undefined;
  alerts: AlertSink | undefined;
  log: Logger | undefined;
  metrics = new WhatsAppMetrics(undefined);
  private readonly pausedUntil = new Map<string, number>();

  /** Milliseconds `key` (a number id, or number id + recipient) must still wait. */
  waitFor(key: string, now = Date.now()): number {
    const until = this.pausedUntil.get(key);
    if (until === undefined) return 0;
    if (until <= now) this.pausedUntil.delete(key);
    return Math.max(0, until - now);
  }

  pause(key: string, ms: number, now = Date.now()): void {
    this.pausedUntil.set(key, Math.max(this.pausedUntil.get(key) ?? 0, now + ms));
  }

  async tokenRefused(reason: string, appLabel: string): Promise<void> {
    if (this.tokenFailure) return;
    this.tokenFailure = reason;
    this.log?.error({ reason }, 'WhatsApp Cloud API refused the access token; sending stopped');
    await this.alerts
      ?.raise(
        `whatsapp-token-${appLabel}`,
        'Kanal WhatsApp berhenti: token akses ditolak',
        [
          `WhatsApp Cloud API menolak token akses (${reason}).`,
          'Balasan lewat WhatsApp dihentikan; pesan warga tetap diterima lewat webhook dan tidak hilang.',
          '',
          'Yang perlu dilakukan:',
          '1. Buat token System User baru di Meta Business Manager dengan izin whatsapp_business_messaging',
          '   dan whatsapp_business_management.',
          '2. Simpan token itu di variabel lingkungan WHATSAPP_ACCESS_TOKEN lalu jalankan ulang layanan aduan.',
        ].join('\n'),
      )
      .catch((error: unknown) => this.log?.error({ err: error }, 'could not send the WhatsApp token alert'));
  }

  async tokenWorks(appLabel: string): Promise<void> {
    if (!this.tokenFailure) return;
    this.tokenFailure = undefined;
    await this.alerts?.resolve(`whatsapp-token-${appLabel}`);
  }
}

const states = new WeakMap<object, WhatsAppChannelState>();

/** One state per configured section, whichever of receiver and transport asks first. */
export function channelStateOf(section: object): WhatsAppChannelState {
  let state = states.get(section);
  if (!state) {
    state = new WhatsAppChannelState();
    states.set(section, state);
  }
  return state;
}
