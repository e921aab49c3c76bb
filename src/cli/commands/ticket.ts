import type { AppConfig } from '../../config/schema';
import type { CategoryKey } from '../../domain/categories';
import type { Ticket } from '../../domain/complaint';
import { formatJakartaTime, maskedContact } from '../../domain/messages';
import { maskIdentityNumbers, maskNik } from '../../domain/personal-data';
import { terminalSafe } from '../../lib/terminal-safe';
import { workingMinutesBetween } from '../../domain/sla';
import { ticketTimes } from '../../domain/ticket-times';
import { waitingSince } from '../../domain/ticket-life';
import { describeTarget, parseTarget } from '../../domain/target';
import { laporSettings, officeCalendar } from '../../main';
import { laporClock } from '../../domain/lapor-clock';
import { laporDatesOf } from '../../domain/lapor-report';
import { effectJobId, effectRecordKind, openQueues, type EffectJob } from '../../pipeline/queues';
import { effectKey, type Store } from '../../store/store';
import { commandRedis, requireRedis, withCommandStore } from '../command-context';
import { channelLabel, effectLabel, effectStateLabel, eventLabel, shorten, statusLabel } from '../labels';
import { ticketNumberArg } from '../ticket-number-arg';

/**
 * Ticket commands for staff without email access: show and resolve need only the store; route (and
 * answer) also queue a mail for the service's workers, so they check Redis before changing anything.
 */

/** Opens the store, finds the ticket (any letter case) or says it does not exist (exit 1). */
export async function withTicket(
  config: AppConfig,
  ticketNumber: string,
  err: NodeJS.WritableStream,
  use: (store: Store, ticket: Ticket) => Promise<number>,
): Promise<number> {
  const wanted = ticketNumberArg(ticketNumber, config.service.timeZone);
  return withCommandStore(config, async (store) => {
    const ticket = await store.getTicketByNumber(wanted);
    if (!ticket) {
      err.write(`tiket ${wanted} tidak ditemukan\n`);
      return 1;
    }
    return use(store, ticket);
  });
}

export async function runTicketShow(
  config: AppConfig,
  ticketNumber: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  return withTicket(config, ticketNumber, err, async (store, ticket) => {
    out.write(describeTicket(config, ticket, await store.listEffects(ticket.id), new Date()) + '\n');
    return 0;
  });
}

export async function runTicketResolve(
  config: AppConfig,
  ticketNumber: string,
  note: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  if (!note.trim()) {
    err.write('--note (solusi yang disampaikan) wajib diisi\n');
    return 2;
  }
  return withTicket(config, ticketNumber, err, async (store, ticket) => {
    if (ticket.status === 'resolved') {
      out.write(`tiket ${ticket.ticketNumber} sudah selesai sebelumnya; tidak diubah\n`);
      return 0;
    }
    const at = new Date().toISOString();
    await store.appendHistory(ticket.id, { at, event: 'resolved', note: note.trim() }, 'resolved');
    const minutes = workingMinutesBetween(ticket.receivedAt, at, officeCalendar(config));
    out.write(
      `tiket ${ticket.ticketNumber} ditandai selesai; waktu penyelesaian ${minutes} menit kerja (target ${targetText(config, ticket)})\n`,
    );
    return 0;
  });
}

/**
 * Moves a ticket to another team and has the service mail it there. The change and its reason are
 * recorded first; the mail is a `reroute` effect, so running the command again after a failure (Redis
 * down) sends it once, and a second run for the same team changes nothing.
 */
export async function runTicketRoute(
  config: AppConfig,
  ticketNumber: string,
  options: { team: string; reason: string; by?: string },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const team = config.teams[options.team];
  if (!team) {
    err.write(`tim "${options.team}" tidak dikenal; tim yang ada: ${Object.keys(config.teams).join(', ')}\n`);
    return 2;
  }
  if (!options.reason.trim()) {
    err.write('--reason (alasan pengalihan) wajib diisi\n');
    return 2;
  }
  await requireRedis(config); // before anything changes: the team must hear of it
  return withTicket(config, ticketNumber, err, async (store, ticket) => {
    let ref: string;
    let resumed = false;
    if (ticket.team === options.team) {
      const last = [...ticket.history].reverse().find((h) => h.event === 'rerouted');
      const pending =
        last?.ref &&
        (await store.getEffect(effectKey(ticket.id, effectRecordKind('reroute', last.ref))))?.state !== 'done';
      if (!pending || !last?.ref) {
        out.write(`tiket ${ticket.ticketNumber} sudah ditangani ${team.name}; tidak diubah\n`);
        return 0;
      }
      ref = last.ref; // an earlier run recorded the change; its mail may not have been queued
      resumed = true;
    } else {
      ref = `rr-${Date.now().toString(36)}`;
      const from = config.teams[ticket.team]?.name ?? ticket.team;
      // History first: if the team change is then lost, a re-run finds the ticket with its old team and
      // re-routes it; the other way round a re-run would find the new team and send nothing.
      await store.appendHistory(ticket.id, {
        at: new Date().toISOString(),
        event: 'rerouted',
        ref,
        note: `dari ${from} ke ${team.name}. Alasan: ${options.reason.trim()}`,
        ...(options.by ? { by: options.by } : {}),
      });
      await store.updateTeam(ticket.id, options.team);
    }
    try {
      await queueEffect(config, { ticketId: ticket.id, effects: ['reroute'], ref });
    } catch (error) {
      err.write(
        `pengalihan tercatat, tetapi email ke tim belum dapat dijadwalkan (${(error as Error).message}); jalankan perintah ini lagi\n`,
      );
      return 1;
    }
    out.write(
      resumed
        ? `tiket ${ticket.ticketNumber} sudah dialihkan ke ${team.name}; email tiket ke tim dijadwalkan lagi (dikirim sekali saja)\n`
        : `tiket ${ticket.ticketNumber} dialihkan ke ${team.name}; email tiket dikirim ke ${team.emails.join(', ')}\n`,
    );
    return 0;
  });
}

export async function queueEffect(config: AppConfig, job: EffectJob): Promise<void> {
  // A command fails fast when Redis is away (the service's own connection waits it out instead).
  const redis = commandRedis(config);
  const queues = openQueues(redis, config.redis.prefix, config.pipeline.attempts);
  try {
    await queues.effects.add(job.effects.join('+'), job, { jobId: effectJobId(job) });
  } finally {
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

function targetText(config: AppConfig, ticket: Ticket): string {
  return describeTarget(parseTarget(config.categories[ticket.classification.category].target));
}

/** An SP4N-LAPOR! report: its Tracking ID, LAPOR!'s deadline and what it counts from, and whether it was posted. */
function laporLines(config: AppConfig, ticket: Ticket): string[] {
  if (ticket.channel !== 'lapor') return [];
  const tz = config.service.timeZone;
  const clock = laporClock(laporDatesOf(ticket), laporSettings(config), officeCalendar(config));
  const posted = ticket.history.find((h) => h.event === 'lapor-posted');
  return [
    `LAPOR!     : #${ticket.meta.laporTrackingId ?? ticket.sourceId}` +
      (clock
        ? `, batas tindak lanjut ${formatJakartaTime(clock.followUpDueAt, tz)} WIB (sejak ${clock.basis === 'forwarded' ? 'diteruskan' : 'disposisi'})`
        : ', batas tindak lanjut tidak diketahui'),
    ...(posted ? [`Diunggah   : ${formatJakartaTime(posted.at, tz)} WIB oleh ${posted.by ?? '-'}`] : []),
  ];
}

/** Waiting on the citizen since when, and how often the ticket was reopened: what staff ask first. */
function lifeLines(ticket: Ticket, tz: string): string[] {
  const since = ticket.status === 'waiting-citizen' ? waitingSince(ticket.history) : undefined;
  const reopened = ticket.history.filter((h) => h.event === 'reopened').length;
  return [
    ...(since ? [`Menunggu   : tanggapan warga sejak ${formatJakartaTime(since, tz)} WIB (batas waktu berhenti)`] : []),
    ...(reopened ? [`Dibuka lagi: ${reopened} kali setelah selesai`] : []),
  ];
}

/** The classification note names the kind by its key (`nik-consolidation (0.93)`): staff read its label. */
function noteText(config: AppConfig, event: string, note: string): string {
  const classified = event === 'classified' ? /^([a-z-]+) \((\d(?:\.\d+)?)\)$/.exec(note) : null;
  const label = classified ? config.categories[classified[1] as CategoryKey]?.label : undefined;
  return label ? `${label}, keyakinan ${Math.round(Number(classified![2]) * 100)}%` : note;
}

/** A history note on one line; longer ones end in "…" (the whole note is in the team's mail). */
const NOTE_WIDTH = 300;

function describeTicket(
  config: AppConfig,
  ticket: Ticket,
  effects: Array<{ kind: string; state: string; detail?: string }>,
  now: Date,
): string {
  const tz = config.service.timeZone;
  const c = ticket.complainant;
  const times = ticketTimes(ticket, officeCalendar(config), now);
  const minutes = (m: number | undefined) => (m === undefined ? 'belum' : `${m} menit kerja`);
  const lines = [
    `Tiket      : ${ticket.ticketNumber} (${statusLabel(ticket.status)})`,
    ...lifeLines(ticket, tz),
    ...laporLines(config, ticket),
    ...(ticket.historicalImport
      ? [`Riwayat    : diimpor (${ticket.historicalImport}); tidak dinilai terhadap batas waktu`]
      : []),
    `Jenis      : ${config.categories[ticket.classification.category].label} — keyakinan ${Math.round(ticket.classification.confidence * 100)}%`,
    `Target     : ${targetText(config, ticket)}, batas ${formatJakartaTime(ticket.dueAt, tz)} WIB`,
    `Tim        : ${config.teams[ticket.team]?.name ?? ticket.team}`,
    `Respon awal: ${minutes(times.firstResponseMinutes)}; penyelesaian: ${minutes(times.resolutionMinutes)}${
      times.resolvedWithinTarget === undefined
        ? times.overdue
          ? ' (MELEWATI BATAS)'
          : ''
        : times.resolvedWithinTarget
          ? ' (sesuai target)'
          : ' (melewati target)'
    }`,
    `Kanal      : ${channelLabel(ticket.channel)}, diterima ${formatJakartaTime(ticket.receivedAt, tz)} WIB`,
    `Pelapor    : ${c.name ?? '-'} (${maskedContact(ticket)})${c.nik ? `, NIK ${maskNik(c.nik)}` : ''}`,
    ...(ticket.subject ? [`Perihal    : ${ticket.subject}`] : []),
    '',
    ticket.text,
    '',
    'Riwayat:',
    ...ticket.history.map(
      (h) =>
        `  ${formatJakartaTime(h.at, tz)}  ${eventLabel(h.event)}${h.ask ? ' (pertanyaan)' : ''}${h.by ? ` oleh ${h.by}` : ''}` +
        (h.note ? ` — ${shorten(noteText(config, h.event, h.note).replace(/\s*\n\s*/g, ' / '), NOTE_WIDTH)}` : ''),
    ),
    'Tindakan otomatis:',
    ...(effects.length ? [] : ['  (belum ada)']),
    ...effects.map((e) => `  ${effectLabel(e.kind)}: ${effectStateLabel(e.state)}${e.detail ? ` (${e.detail})` : ''}`),
  ];
  // Staff see NIK/KK masked however the citizen wrote them; nothing printed can steer their terminal.
  return terminalSafe(maskIdentityNumbers(lines.join('\n')));
}
