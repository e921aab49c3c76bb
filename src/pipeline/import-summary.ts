import type { ImportSummary } from '../channels/complaint-sink';
import { officeDate } from '../domain/sla';
import type { Logger } from '../lib/logger';
import type { AdminAlerts } from '../ops/admin-alerts';
import { formatNumber } from '../report/format';
import { effectKey, type Store } from '../store/store';
import { hashId } from './queues';

const LEASE_MS = 5 * 60_000;

export interface ImportSummaryDeps {
  store: Store;
  alerts: Pick<AdminAlerts, 'send'>;
  timeZone: string;
  log: Logger;
}

/**
 * The one mail to the admins per import of history ("Impor riwayat: 1.234 pengaduan historis dari
 * call-center, 2026-08-01 … 2026-10-31"). The figures come from the store, so an import resumed after a
 * crash counts everything it took in; an effect record makes the mail go once.
 */
export class ImportSummaries {
  constructor(private readonly deps: ImportSummaryDeps) {}

  async finish(importId: string, channel: string, olderThan: string): Promise<ImportSummary> {
    const { store, log } = this.deps;
    const tally = await store.historicalImportTally(importId);
    const summary: ImportSummary = { importId, channel, historical: tally.count, ...range(tally) };
    if (tally.count === 0) {
      log.info({ importId, channel }, 'first read found no history');
      return summary;
    }
    const key = effectKey('import', importId);
    const state = await store.beginEffect(key, 'import', 'import-summary', LEASE_MS);
    if (state === 'done' || state === 'busy') return summary;
    try {
      const { subject, text } = this.compose(summary, olderThan);
      const sentAt = await this.deps.alerts.send(`import-${hashId(importId)}`, subject, text, {
        level: 'info',
        stableId: true,
      });
      await store.completeEffect(key, sentAt ? `mailed to the admins at ${sentAt}` : 'no admin address: logged only');
      log.info({ importId, channel, historical: tally.count }, 'history imported; admins told');
      return summary;
    } catch (error) {
      await store.releaseEffect(key);
      throw error;
    }
  }

  private compose(summary: ImportSummary, olderThan: string): { subject: string; text: string } {
    const { timeZone } = this.deps;
    const days = olderThan.replace(/d$/, '');
    const from = summary.first ? officeDate(summary.first, timeZone) : '?';
    const to = summary.last ? officeDate(summary.last, timeZone) : '?';
    const count = formatNumber(summary.historical);
    const subject = `Impor riwayat: ${count} pengaduan historis dari ${summary.channel}, ${from} … ${to}`;
    const text = [
      'Yth. Admin layanan pengaduan,',
      '',
      `Sumber ${summary.channel} dibaca untuk pertama kali (impor ${summary.importId}). Sebanyak ${count} pengaduan`,
      `yang lebih lama dari ${days} hari kerja (tanggal ${from} s.d. ${to}) disimpan sebagai tiket historis`,
      'dengan waktu, jenis, dan kanal aslinya, sehingga ikut terhitung dalam rekap.',
      '',
      'Untuk tiket historis tidak dikirim tanggapan kepada warga, surat kepada tim, pengingat, maupun eskalasi.',
      'Pengaduan yang lebih baru dari batas tersebut diteruskan kepada tim seperti biasa.',
      '',
      'Pesan ini dikirim otomatis oleh layanan pengaduan Disdukcapil Kabupaten Dairi.',
    ].join('\n');
    return { subject, text };
  }
}

function range(tally: { first?: string; last?: string }): Pick<ImportSummary, 'first' | 'last'> {
  return { ...(tally.first ? { first: tally.first } : {}), ...(tally.last ? { last: tally.last } : {}) };
}
