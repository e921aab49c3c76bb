import type { Queue } from 'bullmq';
import { systemClock, type Clock } from '../domain/clock';
import { ageStart } from '../domain/history-age';
import { slaCheckpoints } from '../domain/sla-checkpoints';
import type { OfficeCalendar } from '../domain/sla';
import type { Logger } from '../lib/logger';
import { repeatEvery } from '../lib/repeat';
import { effectJobId, effectRecordKind, type EffectJob } from './queues';
import { dueLaporReminder, laporClock, type LaporClockSettings } from '../domain/lapor-clock';
import { laporDatesOf } from '../domain/lapor-report';
import { effectKey, type Store } from '../store/store';

/** Longer than any target (3 working days across a long holiday): older open tickets are a person's matter. */
const SWEEP_WINDOW_MS = 30 * 24 * 60 * 60_000;
const SWEEP_BATCH = 10_000;

export interface SlaSweepDeps {
  store: Store;
  effects: Queue<EffectJob>;
  calendar: OfficeCalendar;
  reminderAtShare: number;
  intervalMs: number;
  log: Logger;
  /** The service's time (tests fix it); default the system clock. */
  clock?: Clock;
  /** SP4N-LAPOR!'s own clock (its reports' reminders and escalation); absent: not watched. */
  lapor?: LaporClockSettings;
}

/**
 * Fires the SLA reminder and escalation, as ticketing systems do, by looking at the open tickets every
 * interval rather than keeping a timer per ticket: the store is the only state, so nothing is lost with
 * Redis and no Redis work is spent on tickets resolved in time. Each pass queues, for tickets the team
 * has, the escalation once the due time has passed, else the reminder once its checkpoint has (a
 * ticket already overdue gets only the escalation). The effect records make each fire once; the job
 * ids keep a pass from queueing again what is still waiting or failing. Historical tickets (a first read's
 * history) are stored closed and never routed, so the store never offers them here.
 */
export class SlaSweep {
  private repeating: { stop(): void } | undefined;

  constructor(private readonly deps: SlaSweepDeps) {}

  async runOnce(
    now = (this.deps.clock ?? systemClock).now().getTime(),
  ): Promise<{ reminders: number; escalations: number }> {
    const { store, calendar, reminderAtShare } = this.deps;
    const open = await store.listSlaCandidates(new Date(now - SWEEP_WINDOW_MS).toISOString(), SWEEP_BATCH);
    if (open.length === SWEEP_BATCH)
      this.deps.log.warn(
        { tickets: SWEEP_BATCH },
        'more open tickets than one SLA pass takes: only the soonest due are checked',
      );
    const jobs: EffectJob[] = [];
    for (const ticket of open) {
      // A reopened ticket's period: its own job ids and effect records, its reminder timed from the reopening.
      const period = ticket.period ? { ref: String(ticket.period) } : {};
      const span = { receivedAt: ticket.periodStart ?? ageStart(ticket), dueAt: ticket.dueAt };
      if (Date.parse(ticket.dueAt) <= now) jobs.push({ ticketId: ticket.ticketId, effects: ['escalate'], ...period });
      else if (!ticket.reminded && Date.parse(slaCheckpoints(span, reminderAtShare, calendar).remindAt) <= now)
        jobs.push({ ticketId: ticket.ticketId, effects: ['remind'], ...period });
    }
    if (jobs.length)
      await this.deps.effects.addBulk(
        jobs.map((data) => ({ name: data.effects[0]!, data, opts: { jobId: effectJobId(data) } })),
      );
    const escalations = jobs.filter((job) => job.effects[0] === 'escalate').length;
    // LAPOR! reports' own clock in the same pass; the counts include them.
    const lapor = await this.laporPass(now);
    return { reminders: jobs.length - escalations + lapor.reminders, escalations: escalations + lapor.escalations };
  }

  /**
   * LAPOR! reports beside the office's clock: the escalation once LAPOR!'s follow-up deadline has passed,
   * else the newest reminder whose working days have passed (an older one is not sent after it). Only what
   * is not done yet is queued; the effect records make each fire once.
   */
  private async laporPass(now: number): Promise<{ reminders: number; escalations: number }> {
    const { store, calendar, lapor } = this.deps;
    if (!lapor) return { reminders: 0, escalations: 0 };
    const open = await store.listOpenTicketsOfChannel(
      'lapor',
      new Date(now - SWEEP_WINDOW_MS).toISOString(),
      SWEEP_BATCH,
    );
    const jobs: EffectJob[] = [];
    for (const ticket of open) {
      if (ticket.historicalImport || ticket.history.some((h) => h.event === 'lapor-posted')) continue;
      const clock = laporClock(laporDatesOf(ticket), lapor, calendar);
      if (!clock) continue;
      const isDone = async (kind: string) => (await store.getEffect(effectKey(ticket.id, kind)))?.state === 'done';
      if (Date.parse(clock.followUpDueAt) <= now) {
        if (!(await isDone('lapor-escalate'))) jobs.push({ ticketId: ticket.id, effects: ['lapor-escalate'] });
        continue;
      }
      const reminder = dueLaporReminder(clock, now);
      const job: EffectJob | undefined = reminder && {
        ticketId: ticket.id,
        effects: ['lapor-remind'],
        ref: String(reminder.days),
      };
      if (job && !(await isDone(effectRecordKind('lapor-remind', job.ref)))) jobs.push(job);
    }
    if (jobs.length)
      await this.deps.effects.addBulk(
        jobs.map((data) => ({ name: data.effects[0]!, data, opts: { jobId: effectJobId(data) } })),
      );
    const escalations = jobs.filter((job) => job.effects[0] === 'lapor-escalate').length;
    return { reminders: jobs.length - escalations, escalations };
  }

  start(): void {
    this.repeating ??= repeatEvery(
      this.deps.intervalMs,
      () => this.runOnce(),
      (error) => this.deps.log.warn({ err: error }, 'SLA sweep failed; will try again'),
    );
  }

  stop(): void {
    this.repeating?.stop();
    this.repeating = undefined;
  }
}
