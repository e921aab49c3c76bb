import os from 'node:os';
import { parseEntryDate } from '../../channels/offline/entry-date';
import type { AppConfig } from '../../config/schema';
import type { Ticket } from '../../domain/complaint';
import { laporClock } from '../../domain/lapor-clock';
import { laporComplaint, laporDatesOf, laporReportUrl, parseTrackingId } from '../../domain/lapor-report';
import { formatJakartaTime } from '../../domain/messages';
import { normalizePhone } from '../../domain/phone';
import { describeTarget, parseTarget } from '../../domain/target';
import type { Logger } from '../../lib/logger';
import { laporSettings, officeCalendar } from '../../main';
import { effectsQueueOrLater } from '../command-effects';
import { openCommandStore, withCommandStore } from '../command-context';
import { staffEntrySink } from '../command-intake';

/**
 * SP4N-LAPOR! commands (docs/channel-lapor.md): the Admin Penghubung enters a report copied from the LAPOR!
 * dashboard (`aduan intake --channel lapor`) and confirms a follow-up posted there (`aduan lapor posted`).
 */

export interface LaporIntakeOptions {
  trackingId?: string;
  forwardedAt?: string;
  disposedAt?: string;
  submittedAt?: string;
  text?: string;
  subject?: string;
  name?: string;
  email?: string;
  phone?: string;
  rahasia?: boolean;
  anonim?: boolean;
  slug?: string;
}

/**
 * One report → the same steps as every channel's record, in this process (the receipt is printed even
 * while the service is down). The same Tracking ID entered again (or already read from a notification
 * mail or an HTTP source) is the same ticket: nothing new is created.
 */
export async function runLaporIntake(
  config: AppConfig,
  configDir: string,
  options: LaporIntakeOptions,
  log: Logger,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  if (!options.trackingId) return usage(err, '--tracking-id (Tracking ID LAPOR!, mis. 1916449) wajib diisi');
  if (!options.text?.trim()) return usage(err, '--text (isi laporan) wajib diisi');
  if (!options.forwardedAt && !options.disposedAt)
    return usage(err, '--forwarded-at atau --disposed-at wajib diisi: batas LAPOR! dihitung dari tanggal itu');
  const times: Record<'forwardedAt' | 'disposedAt' | 'submittedAt', string | undefined> = {
    forwardedAt: undefined,
    disposedAt: undefined,
    submittedAt: undefined,
  };
  for (const key of ['forwardedAt', 'disposedAt', 'submittedAt'] as const) {
    const raw = options[key];
    if (raw === undefined) continue;
    const parsed = parseEntryDate(raw, { timeZone: config.service.timeZone, now });
    if (!parsed.ok) return usage(err, `--${flagName(key)}: ${parsed.reason}`);
    times[key] = parsed.iso;
  }
  const phone = options.phone ? normalizePhone(options.phone) : undefined;
  if (options.phone && !phone) return usage(err, `nomor telepon "${options.phone}" tidak valid`);
  const built = laporComplaint(
    {
      trackingId: options.trackingId,
      text: options.text,
      subject: options.subject,
      ...times,
      reporter: { name: options.name, email: options.email, phone },
      rahasia: options.rahasia === true,
      anonim: options.anonim === true,
      slug: options.slug,
      entry: 'cli',
    },
    now,
  );
  if (!built.ok) return usage(err, built.reason);

  const store = await openCommandStore(config);
  const effects = await effectsQueueOrLater(config);
  try {
    const sink = staffEntrySink(config, configDir, store, effects, log);
    const complaint = built.complaint;
    const result = await sink.submit(complaint, { channel: 'lapor', hint: `lapor #${complaint.sourceId}` });
    const ticket = result.status === 'quarantined' ? undefined : await store.findBySource('lapor', complaint.sourceId);
    if (!ticket) {
      err.write(
        `laporan tidak dapat dicatat: ${result.status === 'quarantined' ? result.reason : 'tidak menjadi tiket'}\n`,
      );
      return 1;
    }
    out.write(`${laporReceipt(config, ticket, result.status === 'queued')}\n`);
  } finally {
    await effects.close();
    await store.close();
  }
  if (effects.postponed())
    err.write(
      `Perhatian: antrean kerja tidak dapat dihubungi (${effects.reason()}); laporan sudah tercatat, ` +
        'email ke tim dikirim oleh layanan aduan setelah Redis kembali berjalan.\n',
    );
  return 0;
}

/**
 * `aduan lapor posted TRACKING_ID`: the Admin Penghubung posted the follow-up in LAPOR!. Recorded with the
 * time and the operator (the OS user unless `--operator`); the ticket leaves "jawaban siap dikirim ke
 * LAPOR!" and is resolved. Repeating it changes nothing.
 */
export async function runLaporPosted(
  config: AppConfig,
  trackingIdArg: string,
  options: { operator?: string; note?: string },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const trackingId = parseTrackingId(trackingIdArg);
  if (!trackingId) return usage(err, `Tracking ID "${trackingIdArg.slice(0, 40)}" tidak valid`);
  const operator = options.operator?.trim() || os.userInfo().username;
  return withCommandStore(config, async (store) => {
    const ticket = await store.findBySource('lapor', trackingId);
    if (!ticket) {
      err.write(`laporan LAPOR! #${trackingId} belum tercatat di aduan\n`);
      return 1;
    }
    const posted = ticket.history.find((h) => h.event === 'lapor-posted');
    if (posted) {
      out.write(
        `tindak lanjut #${trackingId} (tiket ${ticket.ticketNumber}) sudah dicatat terunggah ` +
          `${formatJakartaTime(posted.at, config.service.timeZone)} WIB oleh ${posted.by ?? '-'}; tidak diubah\n`,
      );
      return 0;
    }
    if (ticket.status !== 'lapor-ready') {
      err.write(
        `tiket ${ticket.ticketNumber} (#${trackingId}) belum punya jawaban yang siap diunggah ` +
          '(jawab dulu lewat email tiket atau `aduan ticket answer`); tidak diubah\n',
      );
      return 1;
    }
    const at = now.toISOString();
    await store.appendHistory(
      ticket.id,
      {
        at,
        event: 'lapor-posted',
        by: `operator:${operator}`,
        note: `tindak lanjut diunggah ke LAPOR! oleh ${operator}${options.note ? `: ${options.note.slice(0, 500)}` : ''}`,
      },
      'resolved',
    );
    out.write(
      `tindak lanjut #${trackingId} (tiket ${ticket.ticketNumber}) dicatat terunggah ke LAPOR! ` +
        `${formatJakartaTime(at, config.service.timeZone)} WIB oleh ${operator}; tiket selesai\n`,
    );
    return 0;
  });
}

function laporReceipt(config: AppConfig, ticket: Ticket, created: boolean): string {
  const category = config.categories[ticket.classification.category];
  const settings = laporSettings(config);
  const clock = laporClock(laporDatesOf(ticket), settings, officeCalendar(config));
  const tz = config.service.timeZone;
  return [
    created
      ? `Laporan LAPOR! #${ticket.meta.laporTrackingId} dicatat sebagai tiket ${ticket.ticketNumber}.`
      : `Laporan LAPOR! #${ticket.meta.laporTrackingId ?? ticket.sourceId} sudah tercatat sebagai tiket ${ticket.ticketNumber}; tidak dibuat lagi.`,
    `Jenis            : ${category.label}`,
    `Target kantor    : ${describeTarget(parseTarget(category.target))}, batas ${formatJakartaTime(ticket.dueAt, tz)} WIB`,
    clock
      ? `Batas LAPOR!     : ${formatJakartaTime(clock.followUpDueAt, tz)} WIB (5 hari kerja sejak ${clock.basis === 'forwarded' ? 'diteruskan' : 'disposisi'})`
      : 'Batas LAPOR!     : tidak diketahui',
    `Tim              : ${config.teams[ticket.team]?.name ?? ticket.team}`,
    `Laporan          : ${laporReportUrl(ticket, settings.reportUrl)}`,
    ...(ticket.meta.laporIdentity ? ['Identitas pelapor: dirahasiakan (tidak disimpan)'] : []),
  ].join('\n');
}

function flagName(key: 'forwardedAt' | 'disposedAt' | 'submittedAt'): string {
  return key.replace(/At$/, '-at').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function usage(err: NodeJS.WritableStream, message: string): number {
  err.write(`${message}\n`);
  return 2;
}
