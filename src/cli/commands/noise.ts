import type { Command } from 'commander';
import { loadCommandConfig } from '../command-config';
import type { AppConfig } from '../../config/schema';
import { noiseLabel } from '../../channels/email/noise-labels';
import { createStore } from '../../main';
import type { NoiseRecord } from '../../store/store';

/** `aduan noise list [--limit N] [--json]`. */
export function registerNoiseCommands(
  program: Command,
  configOption: (command: Command) => Command,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): void {
  const noise = program.command('noise').description('automated mail recorded instead of becoming a ticket');
  configOption(noise.command('list').description('newest first: kind, sender, subject, size, ticket noted on'))
    .option('--limit <n>', 'how many (default 50)')
    .option('--json', 'one JSON record per line')
    .action(async (opts: NoiseListOptions & { config: string }) => {
      process.exitCode = await runNoiseList(loadCommandConfig(opts.config), opts, out, err);
    });
}

export interface NoiseListOptions {
  limit?: string;
  json?: boolean;
}

/**
 * `aduan noise list`: automated mail that was recorded instead of becoming a ticket (out-of-office
 * replies, newsletters, delivery reports, mail forged with our address), newest first. Staff read
 * the table (Indonesian labels); `--json` prints one record per line for scripts.
 */
export async function runNoiseList(
  config: AppConfig,
  options: NoiseListOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    err.write(`--limit harus bilangan bulat 1–10000, bukan "${options.limit}"\n`);
    return 2;
  }
  const store = createStore(config);
  await store.init();
  try {
    const records = await store.listNoise(limit);
    if (options.json) {
      for (const record of records) out.write(`${JSON.stringify(record)}\n`);
      return 0;
    }
    if (records.length === 0) {
      out.write('Tidak ada email otomatis yang tercatat.\n');
      return 0;
    }
    out.write(`${records.length} email otomatis terbaru (tidak menjadi tiket):\n\n`);
    out.write(table(records, config.service.timeZone));
    return 0;
  } finally {
    await store.close();
  }
}

const HEADERS = ['Waktu', 'Jenis', 'Pengirim', 'Subjek', 'Ukuran', 'Tiket', 'Kotak surat', 'Alasan'];
const WIDTHS = [16, 24, 40, 40, 9, 16, 24, 100];

function table(records: NoiseRecord[], timeZone: string): string {
  const rows = records.map((r) => [
    localTime(r.at, timeZone),
    noiseLabel(r.kind),
    r.sender ?? '-',
    r.subject ?? '-',
    size(r.size),
    r.ticketNumber ?? '-',
    r.mailbox,
    r.reason,
  ]);
  const cells = [HEADERS, ...rows].map((row) => row.map((cell, i) => fit(cell, WIDTHS[i]!)));
  const widths = HEADERS.map((_, i) => Math.max(...cells.map((row) => [...row[i]!].length)));
  return cells
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  '),
    )
    .join('\n')
    .concat('\n');
}

/** One line, at most `width` characters (an ellipsis marks a cut). */
function fit(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, width - 1).join('')}…`;
}

/** 2026-12-01 09.15 in the office's zone. */
function localTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}.${parts.minute}`;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1).replace('.', ',')} KB`;
}
