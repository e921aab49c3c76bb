import type { ComplaintInput, Ticket } from '../domain/complaint';
import type { Store } from '../store/store';

export const WITHDRAWN_CLOSE_NOTE = 'ditutup: ditarik warga (satu-satunya isi pengaduan ditarik oleh pelapor)';

/**
 * A citizen edited (`change: edit`) or unsent (`change: unsend`) an earlier chat message. The ticket that
 * holds the message keeps the correction beside the original, or marks it withdrawn; a ticket whose only
 * content was withdrawn is closed as *ditarik warga*. Recorded once per change (its own source id); a
 * change to a message that is on no ticket (a greeting kept, a message never taken in) is only logged.
 */
export async function recordMessageChange(store: Store, change: ComplaintInput): Promise<Ticket | undefined> {
  const original = change.meta.changeOf;
  if (!original) return undefined;
  const ticket = await store.findByMessageRefs(change.channel, [original]);
  if (!ticket) {
    await store.markIntakeDone(change.channel, change.sourceId);
    return undefined;
  }
  const withdrawn = change.meta.change === 'unsend';
  const note = withdrawn
    ? 'pesan ditarik (unsend) oleh warga; isi aslinya tetap tercatat di tiket'
    : `pesan diubah oleh warga (suntingan ke-${change.meta.editNumber ?? '?'}); teks baru: ${change.text}`;
  await store.attachFollowUp(ticket.id, change.channel, change.sourceId, {
    at: change.receivedAt,
    event: 'note',
    ref: original,
    note: note.slice(0, 20_000),
  });
  const current = (await store.getTicket(ticket.id)) ?? ticket;
  if (withdrawn && current.status !== 'resolved' && onlyContentWithdrawn(current, original))
    await store.appendHistory(
      ticket.id,
      { at: change.receivedAt, event: 'resolved', note: WITHDRAWN_CLOSE_NOTE, ref: change.sourceId, by: 'pelapor' },
      'resolved',
    );
  await store.markIntakeDone(change.channel, change.sourceId);
  return (await store.getTicket(ticket.id)) ?? current;
}

/** The withdrawn message is the ticket's own and nothing else the citizen wrote is on it. */
function onlyContentWithdrawn(ticket: Ticket, original: string): boolean {
  return ticket.sourceId === original && !ticket.history.some((h) => h.event === 'follow-up');
}
