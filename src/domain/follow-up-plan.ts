/**
 * "Rencana tindak lanjut": what the head of office decided for a flagged problem of a month — who acts
 * and by when — and how it stands later (open, done, late). Kept in the store (`aduan evaluation note`),
 * shown in that month's recap and carried into the next ones until done. Pure.
 */

export const PLAN_STATUSES = ['open', 'done'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
/** As the recap shows it: an open plan past its due date is late. */
export type PlanStanding = 'open' | 'done' | 'late';

export interface FollowUpPlan {
  /** The recap month the problem was flagged in, YYYY-MM. */
  period: string;
  /** The problem's key in that recap, e.g. `rising:ktp-el`, `repeat:birth-certificate`. */
  problem: string;
  /** Who acts: a post or a person on the staff (never a citizen). */
  who: string;
  /** By when, an office date YYYY-MM-DD. */
  due: string;
  status: PlanStatus;
  /** What is to be done, in a few words. */
  action?: string;
  /** When it was last written (ISO) and by whom (`operator:<user>`). */
  updatedAt: string;
  updatedBy?: string;
}

export const PLAN_STANDING_LABELS: Readonly<Record<PlanStanding, string>> = {
  open: 'berjalan',
  done: 'selesai',
  late: 'terlambat',
};

/** Done; else late once `today` (an office date) is after the due date; else open. */
export function planStanding(plan: Pick<FollowUpPlan, 'status' | 'due'>, today: string): PlanStanding {
  if (plan.status === 'done') return 'done';
  return today > plan.due ? 'late' : 'open';
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPlanMonth(value: string): boolean {
  return MONTH.test(value);
}

/** Problem keys are short codes: lower-case letters, digits, `-`, `:` and `.`, at most 120 characters. */
const PROBLEM_KEY = /^[a-z0-9][a-z0-9.:-]{0,119}$/;

export function isProblemKey(value: string): boolean {
  return PROBLEM_KEY.test(value);
}

/**
 * The plans a recap of `month` shows as carried over: every plan of an earlier month that is not done,
 * and the previous month's plans whatever their status (so "done" is reported once).
 */
export function carriedPlans(plans: readonly FollowUpPlan[], month: string): FollowUpPlan[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const previous = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
  return plans
    .filter((p) => p.period < month && (p.status !== 'done' || p.period === previous))
    .sort(
      (a, b) => a.period.localeCompare(b.period) || a.due.localeCompare(b.due) || a.problem.localeCompare(b.problem),
    );
}
