import { readFileSync } from 'node:fs';
import { placeEntry } from '../../channels/offline/entry-identity';
import {
  slipLine,
  walkInComplaint,
  walkInLine,
  type Normalized,
  type WalkInForm,
} from '../../channels/offline/normalize';
import type { AppConfig } from '../../config/schema';
import type { ChannelKey } from '../../domain/channels';
import type { Ticket } from '../../domain/complaint';
import { composeReceipt } from '../../domain/messages';
import { describeTarget, parseTarget } from '../../domain/target';
import type { Logger } from '../../lib/logger';
import { decodeText } from '../../lib/text-encoding';
import { startService, type RunningService } from '../../main';

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
}

/**
 * Staff enter offline complaints: a walk-in at the counter (or a file of walk-ins from the counter's
 * log), or suggestion-box slips typed into a JSON lines file. They go through the same pipeline
 * (sink → queue → intake → effects) as every channel; the command waits for each ticket and prints
 * the receipt for the citizen. An entry whose key another complaint already has is refused (exit 1)
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

  const service = await startService({ config, configDir, log, channels: [] });
  let failures = 0;
  try {
    for (const entry of entries) {
      if (!entry.normalized.ok) {
        failures += 1;
        err.write(`${entry.label}: ${entry.normalized.reason}\n`);
        continue;
      }
      const placement = await placeEntry(service.store, entry.normalized.complaint, options.forceNew === true);
      if (placement.kind === 'conflict') {
        failures += 1;
        err.write(`${entry.label}: ${conflictMessage(entry.normalized.complaint.sourceId, placement.ticket)}\n`);
        continue;
      }
      const complaint = placement.complaint;
      const result = await service.sink.submit(complaint, { channel: complaint.channel, hint: entry.label });
      if (result.status === 'quarantined') {
        failures += 1;
        err.write(`${entry.label}: tidak dapat dicatat: ${result.reason}\n`);
        continue;
      }
      const ticket = await waitForTicket(service, complaint.channel as ChannelKey, complaint.sourceId);
      out.write(receipt(config, ticket, result.status === 'queued') + '\n\n');
    }
  } finally {
    await service.stop();
  }
  return failures === 0 ? 0 : 1;
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

async function waitForTicket(service: RunningService, channel: ChannelKey, sourceId: string): Promise<Ticket> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ticket = await service.store.findBySource(channel, sourceId);
    if (ticket) return ticket;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ticket for ${sourceId} after 30 s: is Redis reachable?`);
}
