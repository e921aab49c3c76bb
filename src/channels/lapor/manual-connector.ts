import type { LaporConnector, LaporDisposition, LaporFollowUp, LaporPostResult, LaporStatus } from './connector';

/**
 * The connector without an API: posting is handed to the Admin Penghubung (the effects stage mails the
 * follow-up to paste, once), dispositions come in by `aduan intake --channel lapor`, an HTTP source or the
 * notification mailbox, and LAPOR!'s own status is not known to aduan.
 */
export class ManualLaporConnector implements LaporConnector {
  readonly kind = 'manual' as const;

  async postFollowUp(followUp: LaporFollowUp): Promise<LaporPostResult> {
    return {
      kind: 'manual',
      instructions: `unggah tindak lanjut tiket ${followUp.ticketNumber} di ${followUp.reportUrl}, lalu jalankan: aduan lapor posted ${followUp.trackingId}`,
    };
  }

  async pullDispositions(): Promise<LaporDisposition[]> {
    return [];
  }

  async status(trackingId: string): Promise<LaporStatus> {
    return { trackingId, state: 'unknown' };
  }
}
