import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../../config/schema';
import { isOfficeDate } from '../../domain/recap';
import { formatShare } from '../../report/format';
import { buildRecapReport, previousMonth } from '../../report/recap-report';
import { withCommandStore } from '../command-context';

export interface ReportOptions {
  from?: string;
  to?: string;
  format?: string;
  out?: string;
  /** The config folder (-c): reports.letterhead.logoFile is relative to it. */
  config?: string;
}

const FORMATS = ['csv', 'html'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `aduan report --from YYYY-MM-DD --to YYYY-MM-DD --format csv|html --out FILE`: the recap of the
 * complaints received on those office dates (both inclusive), as at now, written atomically to FILE.
 * Without dates: last month (office time zone). Without --format: html when FILE ends in .html, else
 * csv. Without --out: rekap-<from>_<to>.<format> in the current folder; `--out -` writes to stdout
 * (the summary line then goes to stderr). Bad input: a message in Indonesian and English, exit code 2.
 */
export async function runReport(
  config: AppConfig,
  opts: ReportOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const problems = validate(withDefaults(opts, config.service.timeZone, now));
  if (problems.length) {
    err.write(problems.map((p) => `aduan report: ${p}\n`).join(''));
    return 2;
  }
  const filled = withDefaults(opts, config.service.timeZone, now);
  const format = filled.format as Format;
  const toStdout = filled.out === '-';

  const report = await withCommandStore(config, (store) =>
    buildRecapReport(store, config, {
      from: filled.from!,
      to: filled.to!,
      now,
      ...(opts.config ? { configDir: opts.config } : {}),
    }),
  );
  const content = format === 'html' ? report.html : report.csv;
  const where = toStdout ? 'stdout' : path.resolve(filled.out!);
  if (toStdout) await new Promise<void>((resolve) => out.write(content, () => resolve()));
  else await writeAtomically(where, content);
  const t = report.recap.total;
  (toStdout ? err : out).write(
    `rekap ${filled.from} s.d. ${filled.to}: ${t.count} pengaduan, ${t.resolved} selesai, ${t.overdue} terlambat, ` +
      `tepat waktu ${formatShare(t.withinTargetShare)} → ${where} (${format})\n`,
  );
  return 0;
}

/** Last month when no date is given; the format from the file name; a file named after the period. */
function withDefaults(opts: ReportOptions, timeZone: string, now: Date): ReportOptions {
  const period = !opts.from && !opts.to ? previousMonth(now, timeZone) : { from: opts.from, to: opts.to };
  const format = opts.format ?? (opts.out && /\.html?$/i.test(opts.out) ? 'html' : 'csv');
  const out = opts.out ?? (period.from && period.to ? `rekap-${period.from}_${period.to}.${format}` : undefined);
  return {
    ...(period.from ? { from: period.from } : {}),
    ...(period.to ? { to: period.to } : {}),
    format,
    ...(out ? { out } : {}),
  };
}

function validate(opts: ReportOptions): string[] {
  const problems: string[] = [];
  for (const name of ['from', 'to'] as const) {
    const value = opts[name];
    if (!value) problems.push(`--${name} wajib diisi (YYYY-MM-DD) / --${name} is required (YYYY-MM-DD)`);
    else if (!isOfficeDate(value))
      problems.push(
        `--${name} "${value}" bukan tanggal YYYY-MM-DD yang valid / --${name} "${value}" is not a valid YYYY-MM-DD date`,
      );
  }
  if (opts.from && opts.to && isOfficeDate(opts.from) && isOfficeDate(opts.to) && opts.from > opts.to) {
    problems.push(`--from (${opts.from}) setelah --to (${opts.to}) / --from is after --to`);
  }
  if (!opts.format) problems.push('--format wajib diisi: csv atau html / --format is required: csv or html');
  else if (!(FORMATS as readonly string[]).includes(opts.format))
    problems.push(`--format "${opts.format}" tidak dikenal; pilih csv atau html / unknown --format, use csv or html`);
  if (!opts.out) problems.push('--out wajib diisi (nama file) / --out is required (file name)');
  else if (opts.out !== '-') {
    const dir = path.dirname(path.resolve(opts.out));
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      problems.push(`folder "${dir}" tidak ada / folder "${dir}" does not exist`);
    else if (existsSync(opts.out) && statSync(opts.out).isDirectory())
      problems.push(`--out "${opts.out}" adalah folder / --out "${opts.out}" is a folder`);
  }
  return problems;
}

/** Written beside the target and renamed over it: a reader never sees half a report. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
