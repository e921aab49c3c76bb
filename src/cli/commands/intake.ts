import { readFileSync } from 'node:fs';
import { slipComplaint, walkInComplaint, type Normalized, type WalkInForm } from '../../channels/offline/normalize';
import type { AppConfig } from '../../config/schema';
import type { ChannelKey } from '../../domain/channels';
import type { Ticket } from '../../domain/complaint';
import { composeReceipt } from '../../domain/messages';
import { officeDate } from '../../domain/sla';
import { describeTarget, parseTarget } from '../../domain/target';
import type { Logger } from '../../lib/logger';
import { startService, type RunningService } from '../../main';

export interface IntakeOptions {
  channel?: string;
  queue?: string;
  name?: string;
  phone?: string;
  email?: string;
  nik?: string;
  text?: string;
  file?: string;
}

/**
 * Staff enter offline complaints: a walk-in at the counter, or suggestion-box slips typed into a JSON
 * lines file. They go through the same pipeline (sink → queue → intake → effects) as every channel; the
 * command waits for each ticket and prints the receipt for the citizen.
 */
export async function runIntake(config: AppConfig, configDir: string, options: IntakeOptions, log: Logger, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const now = new Date().toISOString();
  const entries: Array<{ label: string; normalized: Normalized }> = [];
  if (options.file) {
    const lines = readFileSync(options.file, 'utf8').split(/\r?\n/);
    lines.forEach((line, index) => {
      if (line.trim()) entries.push({ label: `${options.file}:${index + 1}`, normalized: slipComplaint(line, index + 1, now) });
    });
  } else {
    if (options.channel !== 'walk-in') {
      err.write('--channel walk-in (with --text) or --file SLIPS.jsonl for suggestion-box slips\n');
      return 2;
    }
    if (!options.text?.trim()) {
      err.write('--text (isi pengaduan) wajib diisi\n');
      return 2;
    }
    const form: WalkInForm = { text: options.text };
    for (const key of ['queue', 'name', 'phone', 'email', 'nik'] as const) if (options[key]) form[key] = options[key];
    entries.push({ label: 'walk-in', normalized: walkInComplaint(form, now, officeDate(now, config.service.timeZone)) });
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
      const complaint = entry.normalized.complaint;
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
