import type { AppConfig } from '../../config/schema';
import type { Ticket } from '../../domain/complaint';
import { formatJakartaTime, maskedContact } from '../../domain/messages';
import { maskNik } from '../../domain/personal-data';
import { workingMinutesBetween } from '../../domain/sla';
import { describeTarget, parseTarget } from '../../domain/target';
import { createStore, officeCalendar } from '../../main';
import type { Store } from '../../store/store';

/** Ticket commands for staff without email access; they need only the store, not Redis. */

async function withStore<T>(config: AppConfig, use: (store: Store) => Promise<T>): Promise<T> {
  const store = createStore(config);
  await store.init();
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

export async function runTicketShow(config: AppConfig, ticketNumber: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  return withStore(config, async (store) => {
    const ticket = await store.getTicketByNumber(ticketNumber);
    if (!ticket) {
      err.write(`tiket ${ticketNumber} tidak ditemukan\n`);
      return 1;
    }
    out.write(describeTicket(config, ticket, await store.listEffects(ticket.id)) + '\n');
    return 0;
  });
}

export async function runTicketResolve(config: AppConfig, ticketNumber: string, note: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (!note.trim()) {
    err.write('--note (solusi yang disampaikan) wajib diisi\n');
    return 2;
  }
  return withStore(config, async (store) => {
    const ticket = await store.getTicketByNumber(ticketNumber);
    if (!ticket) {
      err.write(`tiket ${ticketNumber} tidak ditemukan\n`);
      return 1;
    }
    if (ticket.status === 'resolved') {
      out.write(`tiket ${ticket.ticketNumber} sudah selesai sebelumnya; tidak diubah\n`);
      return 0;
    }
    const at = new Date().toISOString();
    await store.appendHistory(ticket.id, { at, event: 'resolved', note: note.trim() }, 'resolved');
    const minutes = workingMinutesBetween(ticket.receivedAt, at, officeCalendar(config));
    out.write(`tiket ${ticket.ticketNumber} ditandai selesai; waktu penyelesaian ${minutes} menit kerja (target ${targetText(config, ticket)})\n`);
    return 0;
  });
}

function targetText(config: AppConfig, ticket: Ticket): string {
  return describeTarget(parseTarget(config.categories[ticket.classification.category].target));
}

function describeTicket(config: AppConfig, ticket: Ticket, effects: Array<{ kind: string; state: string; detail?: string }>): string {
  const tz = config.service.timeZone;
  const c = ticket.complainant;
  return [
    `Tiket      : ${ticket.ticketNumber} (${ticket.status})`,
    `Jenis      : ${config.categories[ticket.classification.category].label} — keyakinan ${Math.round(ticket.classification.confidence * 100)}%`,
    `Target     : ${targetText(config, ticket)}, batas ${formatJakartaTime(ticket.dueAt, tz)} WIB`,
    `Tim        : ${config.teams[ticket.team]?.name ?? ticket.team}`,
    `Kanal      : ${ticket.channel}, diterima ${formatJakartaTime(ticket.receivedAt, tz)} WIB`,
    `Pelapor    : ${c.name ?? '-'} (${maskedContact(ticket)})${c.nik ? `, NIK ${maskNik(c.nik)}` : ''}`,
    ...(ticket.subject ? [`Perihal    : ${ticket.subject}`] : []),
    '',
    ticket.text,
    '',
    'Riwayat:',
    ...ticket.history.map((h) => `  ${formatJakartaTime(h.at, tz)}  ${h.event}${h.note ? ` — ${h.note.split('\n')[0]!.slice(0, 120)}` : ''}`),
    'Tindakan otomatis:',
    ...effects.map((e) => `  ${e.kind}: ${e.state}${e.detail ? ` (${e.detail})` : ''}`),
  ].join('\n');
}
