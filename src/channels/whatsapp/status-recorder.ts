import type { Logger } from '../../lib/logger';
import type { AdminAlerts } from '../../ops/admin-alerts';
import type { Store } from '../../store/store';
import type { DeliveryStatus } from './normalize';
import { outgoingRef } from './outgoing-ref';

const LABELS: Record<DeliveryStatus['status'], string> = {
  sent: 'terkirim',
  delivered: 'sampai di ponsel pelapor',
  read: 'dibaca pelapor',
  failed: 'gagal terkirim',
};

/**
 * `statuses` callbacks of the messages we sent: each state is noted once on the ticket the wamid was
 * sent for (Meta repeats callbacks like messages); `failed` also alerts, naming the ticket and the code.
 */
export class StatusRecorder {
  constructor(private readonly deps: { store: Store; alerts: Pick<AdminAlerts, 'raise'>; log: Logger }) {}

  async record(status: DeliveryStatus): Promise<void> {
    const { store, alerts, log } = this.deps;
    const ticket = await store.findByMessageRefs('whatsapp', [outgoingRef(status.wamid)]);
    if (!ticket) return void log.debug({ status: status.status }, 'WhatsApp status of a message not sent by aduan');
    const seenKey = `whatsapp-status:${status.wamid}:${status.status}`;
    if (await store.getCursor(seenKey)) return;
    const code =
      status.errorCode !== undefined
        ? ` (kode ${status.errorCode}${status.errorTitle ? `: ${status.errorTitle}` : ''})`
        : '';
    await store.appendHistory(ticket.id, {
      at: status.at,
      event: 'note',
      ref: status.wamid,
      note: `Pesan WhatsApp ${LABELS[status.status]}${code}`,
    });
    await store.setCursor(seenKey, status.at);
    if (status.status !== 'failed') return;
    log.warn({ ticket: ticket.ticketNumber, code: status.errorCode }, 'WhatsApp message to a citizen failed');
    await alerts.raise(
      `whatsapp-failed-${ticket.ticketNumber}`,
      `Pesan WhatsApp untuk ${ticket.ticketNumber} gagal terkirim`,
      [
        `Meta melaporkan pesan WhatsApp untuk aduan ${ticket.ticketNumber} gagal terkirim${code}.`,
        `Tim ${ticket.team}: mohon hubungi pelapor dengan cara lain (telepon, SMS atau email).`,
      ].join('\n'),
    );
  }
}
