import os from 'node:os';
import type { Command } from 'commander';
import type { AppConfig } from '../../config/schema';
import {
  isPlanMonth,
  isProblemKey,
  PLAN_STANDING_LABELS,
  PLAN_STATUSES,
  planStanding,
  type FollowUpPlan,
  type PlanStatus,
} from '../../domain/follow-up-plan';
import { isOfficeDate } from '../../domain/recap';
import { officeDate } from '../../domain/sla';
import { sanitizeLine } from '../../domain/text-sanitizer';
import { buildRecapReport } from '../../report/recap-report';
import type { Store } from '../../store/store';
import { loadCommandConfig } from '../command-config';
import { withCommandStore } from '../command-context';

/**
 * `aduan evaluation list|note`: the "Rencana tindak lanjut" of the monthly recap. `list` shows the
 * problems a month's recap flags, with their keys and plans; `note` writes who acts on one and by when
 * (and later its status), kept in the store and carried into the next months' recaps until done.
 */
export function registerEvaluationCommands(
  program: Command,
  configOption: (command: Command) => Command,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): void {
  const evaluation = program
    .command('evaluation')
    .description('recurring problems of a monthly recap and their follow-up plans (docs/recap-report.md)');
  configOption(evaluation.command('list').description("the problems a month's recap flags, with keys and plans"))
    .option('--period <month>', 'YYYY-MM (default: last month)')
    .action(async (opts: { period?: string; config: string }) => {
      process.exitCode = await runEvaluationList(loadCommandConfig(opts.config), opts, out, err);
    });
  configOption(evaluation.command('note').description('write the follow-up plan of a flagged problem'))
    .requiredOption('--period <month>', 'the recap month, YYYY-MM')
    .requiredOption('--problem <key>', 'the problem key from `aduan evaluation list` or the recap')
    .requiredOption('--who <who>', 'who acts (a post or staff member)')
    .requiredOption('--due <date>', 'by when, YYYY-MM-DD')
    .option('--action <text>', 'what is to be done, in a few words')
    .option('--status <status>', 'open or done (default: open)')
    .option('--operator <name>', 'who writes it (default: the login name)')
    .action(async (opts: EvaluationNoteOptions & { config: string }) => {
      process.exitCode = await runEvaluationNote(loadCommandConfig(opts.config), opts, out, err);
    });
}

export interface EvaluationNoteOptions {
  period: string;
  problem: string;
  who: string;
  due: string;
  action?: string;
  status?: string;
  operator?: string;
  config?: string;
}

function lastMonth(now: Date, timeZone: string): string {
  const [y, m] = officeDate(now.toISOString(), timeZone).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

function monthPeriod(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) };
}

async function flaggedProblems(store: Store, config: AppConfig, month: string, now: Date, configDir?: string) {
  const report = await buildRecapReport(store, config, {
    ...monthPeriod(month),
    now,
    ...(configDir ? { configDir } : {}),
  });
  return report.evaluation;
}

export async function runEvaluationList(
  config: AppConfig,
  opts: { period?: string; config?: string },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const month = opts.period ?? lastMonth(now, config.service.timeZone);
  if (!isPlanMonth(month)) {
    err.write(`--period "${month}" bukan bulan YYYY-MM / is not a month like 2026-11\n`);
    return 2;
  }
  const evaluation = await withCommandStore(config, (store) => flaggedProblems(store, config, month, now, opts.config));
  if (evaluation.plans.length === 0) out.write(`Rekap ${month}: tidak ada masalah yang ditandai.\n`);
  else out.write(`Rekap ${month}: ${evaluation.plans.length} masalah ditandai\n\n`);
  for (const { problem, plan } of evaluation.plans) {
    out.write(`${problem.key}\n  ${problem.title}\n`);
    out.write(
      plan
        ? `  rencana: ${plan.who}, paling lambat ${plan.due}, ${PLAN_STANDING_LABELS[plan.standing]}${plan.action ? ` — ${plan.action}` : ''}\n`
        : '  rencana: belum ada\n',
    );
  }
  if (evaluation.carried.length) {
    out.write('\nTindak lanjut bulan sebelumnya:\n');
    for (const p of evaluation.carried)
      out.write(`  ${p.period} ${p.problem}: ${p.who}, paling lambat ${p.due}, ${PLAN_STANDING_LABELS[p.standing]}\n`);
  }
  return 0;
}

export async function runEvaluationNote(
  config: AppConfig,
  opts: EvaluationNoteOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  now = new Date(),
): Promise<number> {
  const who = sanitizeLine(opts.who ?? '', 200);
  const action = opts.action === undefined ? undefined : sanitizeLine(opts.action, 300);
  const status = (opts.status ?? 'open') as PlanStatus;
  const problems: string[] = [];
  if (!isPlanMonth(opts.period))
    problems.push(`--period "${opts.period}" bukan bulan YYYY-MM / is not a month like 2026-11`);
  if (!isProblemKey(opts.problem))
    problems.push(`--problem "${opts.problem}" bukan kode masalah / is not a problem key (see aduan evaluation list)`);
  if (!who) problems.push('--who kosong / --who is empty');
  if (!isOfficeDate(opts.due))
    problems.push(`--due "${opts.due}" bukan tanggal YYYY-MM-DD / is not a date like 2026-12-15`);
  if (!(PLAN_STATUSES as readonly string[]).includes(status))
    problems.push(`--status "${opts.status}": pilih open atau done / use open or done`);
  if (problems.length) {
    err.write(problems.map((p) => `aduan evaluation note: ${p}\n`).join(''));
    return 2;
  }
  return withCommandStore(config, async (store) => {
    const existing = (await store.listFollowUpPlans(opts.period)).find(
      (p) => p.period === opts.period && p.problem === opts.problem,
    );
    // A new plan must answer a problem the month's recap flags; an existing one may always be updated
    // (the recap, rebuilt later, may no longer flag it, e.g. once late tickets were resolved).
    if (!existing) {
      const evaluation = await flaggedProblems(store, config, opts.period, now, opts.config);
      if (!evaluation.problems.some((p) => p.key === opts.problem)) {
        const keys = evaluation.problems.map((p) => p.key);
        err.write(
          `aduan evaluation note: rekap ${opts.period} tidak menandai "${opts.problem}" / the ${opts.period} recap does not flag it; ` +
            `${keys.length ? `kode yang ada / flagged: ${keys.join(', ')}` : 'tidak ada masalah yang ditandai / nothing is flagged'}\n`,
        );
        return 2;
      }
    }
    const plan: FollowUpPlan = {
      period: opts.period,
      problem: opts.problem,
      who,
      due: opts.due,
      status,
      ...(action ? { action } : {}),
      updatedAt: now.toISOString(),
      updatedBy: `operator:${sanitizeLine(opts.operator ?? os.userInfo().username, 100)}`,
    };
    await store.saveFollowUpPlan(plan);
    const standing = planStanding(plan, officeDate(now.toISOString(), config.service.timeZone));
    out.write(
      `${existing ? 'diperbarui' : 'dicatat'}: ${plan.period} ${plan.problem} — ${plan.who}, paling lambat ${plan.due}, ${PLAN_STANDING_LABELS[standing]}\n`,
    );
    return 0;
  });
}
