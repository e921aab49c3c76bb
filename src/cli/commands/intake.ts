import { readFileSync, writeFileSync } from 'node:fs';
import { renderReceiptsHtml, type PrintedReceipt } from '../../channels/offline/receipt-html';
import type { ReceiptSurveyText } from '../../domain/survey-link';
import { qrTerminal } from '../../lib/qr';
import { receiptSurvey } from '../../survey/receipt-link';
import { placeEntry } from '../../channels/offline/entry-identity';
import {
  slipLine,
  walkInComplaint,
  walkInLine,
  type Normalized,
  type WalkInForm,
} from '../../channels/offline/normalize';
import type { AppConfig } from '../../config/schema';
import type { Ticket } from '../../domain/complaint';
import { composeReceipt, composeUnnamedReceipt } from '../../domain/messages';
import { describeTarget, parseTarget } from '../../domain/target';
import type { Logger } from '../../lib/logger';
import { decodeText } from '../../lib/text-encoding';
import { redisAddress } from '../../lib/redis-connection';
import { effectsQueueOrLater } from '../command-effects';
import { staffEntrySink } from '../command-intake';
import { openCommandStore } from '../command-context';

export interface IntakeOptions {
  channel?: string;
  queue?: string;
  date?: string;
  name?: string;
  phone?: string;
  email?: string;
  nik?: string;
  text?: string;
  file?: string;
  /** An entry whose key (queue number, slip number) is taken by another complaint gets a new key. */
  forceNew?: boolean;
  /** Also write the receipts as one printable HTML file (walk-ins: the survey link's QR code). */
  receipt?: string;
}

/**
 * Staff enter offline complaints: a walk-in at the counter (or a file of walk-ins from the counter's
 * log), or suggestion-box slips typed into a JSON lines file. Each goes through the same steps as
 * every channel's record (sink → intake step → effects queued for the service's workers), the intake
 * step in this process, so the receipt is printed even while the service is down; with Redis away too,
 * the service's reconciler queues the effects once it runs. An entry whose key another complaint already has is refused (exit 1)
 * unless --force-new.
 */
export async function runIntake(
  config: AppConfig,
  configDir: string,
  options: IntakeOptions,
  log: Logger,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const context = { timeZone: config.service.timeZone, now };
  const entries: Array<{ label: string; normalized: Normalized }> = [];
  if (options.channel !== undefined && options.channel !== 'walk-in' && options.channel !== 'suggestion-box') {
    err.write(`--channel ${options.channel} tidak dikenal: walk-in atau suggestion-box\n`);
    return 2;
  }
  if (options.file) {
    const walkIns = options.channel === 'walk-in';
    // Typed in Notepad: UTF-8 (with or without BOM) or, saved as "ANSI", Windows-1252.
    const lines = decodeText(readFileSync(options.file), 'auto')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const normalized = walkIns ? walkInLine(line, index + 1, context) : slipLine(line, index + 1, context);
      entries.push({ label: `${options.file}:${index + 1}`, normalized });
    });
  } else {
    if (options.channel !== 'walk-in') {
      err.write(
        '--channel walk-in (with --text), --file SLIPS.jsonl for suggestion-box slips, ' +
          'or --channel walk-in --file WALK-INS.jsonl\n',
      );
      return 2;
    }
    if (!options.text?.trim()) {
      err.write('--text (isi pengaduan) wajib diisi\n');
      return 2;
    }
    const form: WalkInForm = { text: options.text };
    for (const key of ['queue', 'date', 'name', 'phone', 'email', 'nik'] as const) {
      if (options[key]) form[key] = options[key];
    }
    entries.push({ label: 'walk-in', normalized: walkInComplaint(form, context) });
  }

  const store = await openCommandStore(config);
  const effects = await effectsQueueOrLater(config);
  const printed: PrintedReceipt[] = [];
  let failures = 0;
  try {
    const sink = staffEntrySink(config, configDir, store, effects, log);
    for (const entry of entries) {
      if (!entry.normalized.ok) {
        failures += 1;
        err.write(`${entry.label}: ${entry.normalized.reason}\n`);
        continue;
      }
      const placement = await placeEntry(store, entry.normalized.complaint, options.forceNew === true);
      if (placement.kind === 'conflict') {
        failures += 1;
        err.write(`${entry.label}: ${conflictMessage(entry.normalized.complaint.sourceId, placement.ticket)}\n`);
        continue;
      }
      const complaint = placement.complaint;
      const result = await sink.submit(complaint, { channel: complaint.channel, hint: entry.label });
      // A repeat of the citizen's open complaint of the same kind joins that ticket: its number is the receipt's.
      const ticket =
        result.status === 'quarantined'
          ? undefined
          : ((await store.findBySource(complaint.channel, complaint.sourceId)) ??
            (await store.findByMessageRefs(complaint.channel, [complaint.sourceId])));
      if (!ticket) {
        failures += 1;
        err.write(
          `${entry.label}: tidak dapat dicatat: ${result.status === 'quarantined' ? result.reason : 'tidak menjadi tiket'}\n`,
        );
        continue;
      }
      // Joined onto a ticket tied to this person only by the NIK they gave: the slip names nothing of it (no
      // number, name, kind or survey link); the clerk is told which ticket, to check the KTP first.
      const nikOnly = ticket.history.some((h) => h.ref === complaint.sourceId && h.sameProblem?.nikOnly);
      if (nikOnly) err.write(`${entry.label}: ${nikOnlyNotice(ticket)}\n`);
      const text = nikOnly
        ? composeUnnamedReceipt(complaint, config.service.timeZone)
        : receipt(config, ticket, result.status === 'queued' && ticket.sourceId === complaint.sourceId);
      // In the store before it is printed: the link works whenever the citizen opens it.
      const survey = nikOnly
        ? undefined
        : await receiptSurvey(store, config.survey, complaint.channel, ticket, config.service.timeZone, now);
      out.write(text + (survey ? '\n\n' + surveyLines(survey) : '') + '\n\n');
      printed.push({ text, ...(survey ? { survey } : {}) });
    }
  } finally {
    await effects.close();
    await store.close();
  }
  if (options.receipt && printed.length > 0) {
    writeFileSync(options.receipt, renderReceiptsHtml(printed), { mode: 0o600 });
    err.write(`Tanda terima untuk dicetak: ${options.receipt}\n`);
  }
  if (effects.postponed()) err.write(postponedNotice(config, effects.reason()));
  return failures === 0 ? 0 : 1;
}

/** Said to the clerk when Redis was away: the receipt stands, the mails follow when the service can send them. */
function postponedNotice(config: AppConfig, reason: string): string {
  return (
    `Perhatian: antrean kerja (Redis di ${redisAddress(config.redis)}) tidak dapat dihubungi (${reason}). ` +
    'Pengaduan sudah tercatat dan tanda terima sah; email ke tim dan balasan kepada pelapor dikirim otomatis ' +
    'oleh layanan aduan setelah Redis kembali berjalan.\n'
  );
}

/** Staff read this: the person is tied to the ticket only by a NIK, which anyone can copy off a KTP. */
function nikOnlyNotice(ticket: Ticket): string {
  return (
    `digabung ke tiket ${ticket.ticketNumber} yang tertaut hanya karena NIK yang sama; tanda terima tidak ` +
    'menyebut tiket itu. Periksa KTP pelapor sebelum menyampaikan nomor atau isi tiket tersebut.'
  );
}

/** Staff read this: what collided, with which ticket, and the two ways out. */
function conflictMessage(sourceId: string, ticket: Ticket): string {
  const what = describeKey(sourceId);
  return (
    `${what} sudah tercatat sebagai tiket ${ticket.ticketNumber} dengan isi yang berbeda; ` +
    'pengaduan ini TIDAK dicatat. ' +
    'Periksa nomor dan tanggalnya; jika memang pengaduan lain, masukkan lagi dengan --force-new.'
  );
}

function describeKey(sourceId: string): string {
  const slip = /^slip:([^:]+):(\d{4}-\d{2}-\d{2}):(.+)$/.exec(sourceId);
  if (slip) return `Slip ${slip[3]} dari kotak saran "${slip[1]}" tanggal ${slip[2]}`;
  const walkIn = /^walk-in:(\d{4}-\d{2}-\d{2}):(.+)$/.exec(sourceId);
  if (walkIn) return `Nomor antrian ${walkIn[2]} tanggal ${walkIn[1]}`;
  return sourceId;
}

/** The survey part of the text receipt, its QR code drawn in text. */
function surveyLines(survey: ReceiptSurveyText): string {
  return [survey.title, survey.intro, survey.url, survey.validity, qrTerminal(survey.url)].join('\n');
}

function receipt(config: AppConfig, ticket: Ticket, created: boolean): string {
  const category = config.categories[ticket.classification.category];
  return composeReceipt({
    ticket,
    label: category.label,
    targetText: describeTarget(parseTarget(category.target)),
    teamName: config.teams[ticket.team]?.name ?? ticket.team,
    timeZone: config.service.timeZone,
    created,
  });
}
