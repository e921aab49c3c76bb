import { CHANNEL_LABELS, type ChannelKey } from '../domain/channels';
import type { HistoryEvent, TicketStatus } from '../domain/complaint';
import { EVENT_LABELS, STATUS_LABELS } from '../domain/ticket-life';

/** Indonesian words for what staff read in command output; the stored values stay English keys. */

/** Effect record kinds (`relay:<hash>` for message-bound ones) by their first part. */
const EFFECT_LABELS: Readonly<Record<string, string>> = {
  respond: 'balasan awal ke pelapor',
  route: 'email tiket ke tim',
  'follow-up': 'teruskan pesan lanjutan ke tim',
  relay: 'teruskan jawaban petugas ke pelapor',
  reroute: 'email tiket ke tim baru',
  remind: 'pengingat ke tim',
  escalate: 'eskalasi ke atasan',
  'lapor-remind': 'pengingat batas LAPOR!',
  'lapor-escalate': 'eskalasi batas LAPOR!',
  joined: 'beri tahu pelapor nomor tiket yang masih terbuka',
};

const EFFECT_STATE_LABELS: Readonly<Record<string, string>> = {
  started: 'sedang dikerjakan',
  released: 'akan dicoba lagi',
  done: 'selesai',
};

/** The ticket life's labels (one list, also used in team mail); unknown values are shown as they are. */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status as TicketStatus] ?? status;
}

export function eventLabel(event: string): string {
  return EVENT_LABELS[event as HistoryEvent] ?? event;
}

export function effectLabel(kind: string): string {
  const [base, part] = kind.split('/');
  const label = EFFECT_LABELS[base!.split(':')[0]!.split('@')[0]!] ?? kind;
  return part ? `${label} (${part})` : label;
}

export function effectStateLabel(state: string): string {
  return EFFECT_STATE_LABELS[state] ?? state;
}

export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel as ChannelKey] ?? channel;
}

/** At most `max` characters; a cut always shows "…". */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
