import type { AppConfig } from '../../config/schema';
import { CATEGORY_KEYS } from '../../domain/categories';
import { CHANNEL_KEYS } from '../../domain/channels';
import { TICKET_STATUSES, type Ticket, type TicketStatus } from '../../domain/complaint';
import { maskIdentityNumbers } from '../../domain/personal-data';
import { isOfficeDate, officeDayStart } from '../../domain/recap';
import { ticketTimes } from '../../domain/ticket-times';
import { terminalSafe } from '../../lib/terminal-safe';
import { officeCalendar } from '../../main';
import { withCommandStore } from '../command-context';
import { channelLabel, shorten, statusLabel } from '../labels';

export interface TicketListOptions {
  status?: string;
  team?: string;
  kind?: string;
  channel?: string;
  overdue?: boolean;
  /** Office date YYYY-MM-DD: tickets received on or after it. */
  since?: string;
  limit?: string;
  json?: boolean;
}

/**
 * `aduan ticket list`: the tickets matching every filter given, oldest first, as a table for staff or
 * JSON lines for scripts. Reads the store only. Bad filters: one line per problem, exit 2.
 */
export async function runTicketList(
  config: AppConfig,
  options: TicketListOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const problems = validate(config, options);
  if (problems.length) {
    err.write(problems.map((p) => `aduan ticket list: ${p}\n`).join(''));
    return 2;
  }
  const limit = options.limit ? Number(options.limit) : 200;
  const calendar = officeCalendar(config);
  const tickets = await withCommandStore(config, (store) =>
    store.listTickets({
      ...(options.since ? { from: officeDayStart(options.since, config.service.timeZone) } : {}),
      ...(options.status ? { status: options.status as TicketStatus } : {}),
    }),
  );
  const matching = tickets.filter(
    (t) =>
      (!options.team || t.team === options.team) &&
      (!options.kind || t.classification.category === options.kind) &&
      (!options.channel || t.channel === options.channel) &&
      (!options.overdue || ticketTimes(t, calendar, now).overdue),
  );
  const shown = matching.slice(-limit);
  if (options.json) {
    for (const t of shown) out.write(JSON.stringify(summary(t, config, now)) + '\n');
    return 0;
  }
  if (shown.length === 0) {
    out.write('tidak ada tiket yang sesuai\n');
    return 0;
  }
  out.write(table(config, shown, now) + '\n');
  const more =
    matching.length > shown.length ? ` (${matching.length - shown.length} lebih lama tidak ditampilkan; --limit)` : '';
  out.write(`${shown.length} tiket${more}\n`);
  return 0;
}

function validate(config: AppConfig, o: TicketListOptions): string[] {
  const problems: string[] = [];
  const oneOf = (name: string, value: string | undefined, allowed: readonly string[]) => {
    if (value !== undefined && !allowed.includes(value))
      problems.push(`--${name} "${value}" tidak dikenal; pilihan: ${allowed.join(', ')}`);
  };
  oneOf('status', o.status, TICKET_STATUSES);
  oneOf('team', o.team, Object.keys(config.teams));
  oneOf('kind', o.kind, CATEGORY_KEYS);
  oneOf('channel', o.channel, CHANNEL_KEYS);
  if (o.since !== undefined && !isOfficeDate(o.since)) problems.push(`--since "${o.since}" bukan tanggal YYYY-MM-DD`);
  if (o.limit !== undefined && !/^[1-9]\d{0,5}$/.test(o.limit))
    problems.push(`--limit "${o.limit}" bukan angka 1–999999`);
  return problems;
}

function summary(t: Ticket, config: AppConfig, now: Date) {
  return {
    ticketNumber: t.ticketNumber,
    status: t.status,
    channel: t.channel,
    kind: t.classification.category,
    team: t.team,
    receivedAt: t.receivedAt,
    dueAt: t.dueAt,
    overdue: ticketTimes(t, officeCalendar(config), now).overdue,
    ...(t.subject ? { subject: maskIdentityNumbers(t.subject) } : {}),
  };
}

function table(config: AppConfig, tickets: Ticket[], now: Date): string {
  const tz = config.service.timeZone;
  const calendar = officeCalendar(config);
  const head = ['Tiket', 'Diterima (WIB)', 'Kanal', 'Jenis', 'Tim', 'Status', 'Batas (WIB)', 'Perihal'];
  const rows = tickets.map((t) => [
    t.ticketNumber,
    shortTime(t.receivedAt, tz),
    channelLabel(t.channel),
    shorten(config.categories[t.classification.category]?.label ?? t.classification.category, 32),
    t.team,
    statusLabel(t.status),
    shortTime(t.dueAt, tz) + (ticketTimes(t, calendar, now).overdue ? ' TERLAMBAT' : ''),
    shorten((t.subject ?? t.text).replace(/\s+/g, ' ').trim(), 40),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  // Staff see NIK/KK masked; stored citizen text never steers the terminal.
  return terminalSafe(maskIdentityNumbers([line(head), ...rows.map(line)].join('\n')));
}

/** 07-12-2026 09.15: day first, as the office writes dates, short enough for a table. */
function shortTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}-${parts.month}-${parts.year} ${parts.hour}.${parts.minute}`;
}
