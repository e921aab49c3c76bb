import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../../config/schema';
import { isOfficeDate } from '../../domain/recap';
import { createStore } from '../../main';
import { formatShare } from '../../report/format';
import { buildRecapReport } from '../../report/recap-report';

export interface ReportOptions {
  from?: string;
  to?: string;
  format?: string;
  out?: string;
}

const FORMATS = ['csv', 'html'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `aduan report --from YYYY-MM-DD --to YYYY-MM-DD --format csv|html --out FILE`: the recap of the
 * complaints received on those office dates (both inclusive), as at now, written atomically to FILE.
 * Bad input: a message in Indonesian and English, exit code 2.
 */
export async function runReport(
  config: AppConfig,
  opts: ReportOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const problems = validate(opts);
  if (problems.length) {
    err.write(problems.map((p) => `aduan report: ${p}\n`).join(''));
    return 2;
  }
  const format = opts.format as Format;
  const file = path.resolve(opts.out!);

  const store = createStore(config);
  await store.init();
  let report;
  try {
    report = await buildRecapReport(store, config, { from: opts.from!, to: opts.to!, now });
  } finally {
    await store.close();
  }
  await writeAtomically(file, format === 'html' ? report.html : report.csv);
  const t = report.recap.total;
  out.write(
    `rekap ${opts.from} s.d. ${opts.to}: ${t.count} pengaduan, ${t.resolved} selesai, ${t.overdue} terlambat, ` +
      `tepat waktu ${formatShare(t.withinTargetShare)} → ${file} (${format})\n`,
  );
  return 0;
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
  else {
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
