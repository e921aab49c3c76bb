import { CATEGORY_KEYS, type CategoryKey } from './categories';
import type { Ticket } from './complaint';
import { carriedPlans, planStanding, type FollowUpPlan, type PlanStanding } from './follow-up-plan';
import type { KindStats, RecapPeriod } from './recap';
import {
  DEFAULT_RISING_RULE,
  kindTrends,
  missedTargets,
  monthsBefore,
  reopenedTickets,
  themeTrends,
  ticketsIn,
  type MissedTarget,
  type ReopenedTicket,
  type RisingKind,
  type RisingRule,
  type ThemeTrend,
} from './recurrence';
import { DEFAULT_REPEAT_WINDOW_DAYS, repeatComplainants, type RepeatSummary } from './repeat-complainants';
import { officeDate } from './sla';

/**
 * The recap's evaluation (issue #21 §3): recurring problems, each flagged with a key the head of
 * office writes a follow-up plan against, and the plans themselves with how they stand. Pure.
 */

export interface EvaluationSettings {
  /** Months a kind's count is compared with (their mean). */
  compareMonths: number;
  repeatWindowDays: number;
  rising: RisingRule;
  /** Evidence phrases compared per kind. */
  themesPerKind: number;
}

export const DEFAULT_EVALUATION_SETTINGS: EvaluationSettings = {
  compareMonths: 3,
  repeatWindowDays: DEFAULT_REPEAT_WINDOW_DAYS,
  rising: DEFAULT_RISING_RULE,
  themesPerKind: 3,
};

export interface EvaluationInput {
  /** Tickets from the start of the earliest comparison month (and the repeat window) to the period's end. */
  tickets: readonly Ticket[];
  period: RecapPeriod;
  byKind: readonly KindStats[];
  labels: Record<CategoryKey, string>;
  timeZone: string;
  now: Date;
  /** Plans of this month and earlier ones (the store's). */
  plans: readonly FollowUpPlan[];
  settings?: EvaluationSettings;
}

export type ProblemType = 'rising' | 'theme' | 'repeat' | 'reopened' | 'missed-target';

export interface FlaggedProblem {
  /** Stable within the month: what `aduan evaluation note --problem` names. */
  key: string;
  type: ProblemType;
  kind: CategoryKey;
  /** One line in Indonesian. */
  title: string;
}

export interface PlanLine extends FollowUpPlan {
  standing: PlanStanding;
}

export interface Evaluation {
  /** The month plans are kept under: that of the period's first date. */
  month: string;
  comparedWith: RecapPeriod[];
  kinds: RisingKind[];
  themes: ThemeTrend[];
  repeats: RepeatSummary;
  reopened: ReopenedTicket[];
  missed: MissedTarget[];
  problems: FlaggedProblem[];
  /** This month's problems, each with its plan if one was written. */
  plans: Array<{ problem: FlaggedProblem; plan?: PlanLine }>;
  /** Plans written for a problem that this recap no longer flags (kept, not lost). */
  otherPlans: PlanLine[];
  /** Earlier months' plans still open, and last month's whatever their status. */
  carried: PlanLine[];
}

/** `phrase` as part of a key: lower-case letters and digits joined by `-`. */
export function slug(phrase: string): string {
  return (
    phrase
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'frasa'
  );
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace('.', ','));

export function computeEvaluation(input: EvaluationInput): Evaluation {
  const settings = input.settings ?? DEFAULT_EVALUATION_SETTINGS;
  const month = input.period.from.slice(0, 7);
  const comparedWith = monthsBefore(month, settings.compareMonths);
  const current = ticketsIn(input.tickets, input.period, input.timeZone);
  const earlier = comparedWith.map((p) => ticketsIn(input.tickets, p, input.timeZone));
  const kinds = kindTrends(current, earlier, CATEGORY_KEYS, settings.rising);
  const themes = themeTrends(current, earlier[0] ?? [], settings.themesPerKind, settings.rising);
  const repeats = repeatComplainants(input.tickets, input.period, input.timeZone, settings.repeatWindowDays);
  const reopened = reopenedTickets(current, input.now);
  const missed = missedTargets(input.byKind);
  const label = (kind: CategoryKey) => input.labels[kind] ?? kind;

  const candidates: FlaggedProblem[] = [
    ...kinds
      .filter((k) => k.rising)
      .map((k) => ({
        key: `rising:${k.kind}`,
        type: 'rising' as const,
        kind: k.kind,
        title: `Pengaduan ${label(k.kind)} meningkat: ${k.current} (rata-rata ${comparedWith.length} bulan sebelumnya ${fmt(k.baseline)})`,
      })),
    ...themes
      .filter((t) => t.rising)
      .map((t) => ({
        key: `theme:${t.kind}:${slug(t.phrase)}`,
        type: 'theme' as const,
        kind: t.kind,
        title: `Tema "${t.phrase}" pada ${label(t.kind)} meningkat: ${t.current} (bulan lalu ${t.previousMonth})`,
      })),
    ...repeats.byKind.map((r) => ({
      key: `repeat:${r.kind}`,
      type: 'repeat' as const,
      kind: r.kind,
      title: `${r.citizens} warga mengadu lagi tentang ${label(r.kind)} dalam ${settings.repeatWindowDays} hari`,
    })),
    ...[...new Set(reopened.map((r) => r.kind))].map((kind) => ({
      key: `reopened:${kind}`,
      type: 'reopened' as const,
      kind,
      title: `${reopened.filter((r) => r.kind === kind).length} pengaduan ${label(kind)} dibuka kembali setelah selesai`,
    })),
    ...missed.map((m) => ({
      key: `missed-target:${m.kind}`,
      type: 'missed-target' as const,
      kind: m.kind,
      title: `${label(m.kind)}: ${m.missed} dari ${m.decided} pengaduan tidak selesai tepat waktu`,
    })),
  ];
  // Two phrases may share a slug: the first (most frequent) keeps the key.
  const problems = candidates.filter((p, i) => candidates.findIndex((q) => q.key === p.key) === i);

  const today = officeDate(input.now.toISOString(), input.timeZone);
  const line = (plan: FollowUpPlan): PlanLine => ({ ...plan, standing: planStanding(plan, today) });
  const thisMonth = input.plans.filter((p) => p.period === month);
  const flagged = new Set(problems.map((p) => p.key));
  return {
    month,
    comparedWith,
    kinds,
    themes,
    repeats,
    reopened,
    missed,
    problems,
    plans: problems.map((problem) => {
      const plan = thisMonth.find((p) => p.problem === problem.key);
      return plan ? { problem, plan: line(plan) } : { problem };
    }),
    otherPlans: thisMonth.filter((p) => !flagged.has(p.problem)).map(line),
    carried: carriedPlans(input.plans, month).map(line),
  };
}
