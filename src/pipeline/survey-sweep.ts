import type { Queue } from 'bullmq';
import { systemClock, type Clock } from '../domain/clock';
import type { OfficeCalendar } from '../domain/sla';
import {
  answeredResolution,
  invitationDueAt,
  reminderDueAt,
  SURVEY_EFFECT,
  SURVEY_REMINDER_EFFECT,
  wasSent,
} from '../domain/survey-invitation';
import type { Logger } from '../lib/logger';
import { repeatEvery } from '../lib/repeat';
import { effectKey, type Store } from '../store/store';
import { effectJobId, type EffectJob } from './queues';

/** Resolved tickets older than this are not invited any more (a link months later helps no one). */
const SWEEP_WINDOW_MS = 60 * 24 * 60 * 60_000;
const SWEEP_BATCH = 5_000;

export interface SurveySweepDeps {
  store: Store;
  effects: Queue<EffectJob>;
  calendar: OfficeCalendar;
  inviteAfterMinutes: number;
  reminderAfterDays: number;
  intervalMs: number;
  log: Logger;
  clock?: Clock;
}

/**
 * Queues the survey invitation and its reminder when due, as the SLA sweep does for reminders: the store is
 * the only state (a resolved ticket lacking a done `survey-reminder` effect is still in play), so a restart or
 * a lost Redis loses no invitation, and the effect records make each go once. Every ticket ends with a done
 * `survey-reminder` record — sent, or skipped when there is nothing to remind — and drops out of the pass.
 */
export class SurveySweep {
  private repeating: { stop(): void } | undefined;

  constructor(private readonly deps: SurveySweepDeps) {}

  async runOnce(
    now = (this.deps.clock ?? systemClock).now().getTime(),
  ): Promise<{ invitations: number; reminders: number }> {
    const { store, calendar } = this.deps;
    const since = new Date(now - SWEEP_WINDOW_MS).toISOString();
    const tickets = await store.listResolvedTicketsLacking(SURVEY_REMINDER_EFFECT, since, SWEEP_BATCH);
    const jobs: EffectJob[] = [];
    for (const ticket of tickets) {
      const resolvedAt = answeredResolution(ticket);
      const invitation = await store.getEffect(effectKey(ticket.id, SURVEY_EFFECT));
      if (invitation?.state !== 'done') {
        if (resolvedAt && Date.parse(invitationDueAt(resolvedAt, this.deps.inviteAfterMinutes, calendar)) <= now)
          jobs.push({ ticketId: ticket.id, effects: ['survey'] });
        continue;
      }
      // Nothing to remind of (not sent, answered, reopened, reminders off): the reminder effect is skipped and recorded.
      const pending =
        wasSent(invitation.detail) &&
        resolvedAt !== undefined &&
        this.deps.reminderAfterDays > 0 &&
        !(await store.getSurveyResponseOfTicket(ticket.id));
      const due =
        !pending ||
        Date.parse(reminderDueAt(invitation.doneAt ?? invitation.startedAt, this.deps.reminderAfterDays, calendar)) <=
          now;
      if (due) jobs.push({ ticketId: ticket.id, effects: ['survey-reminder'] });
    }
    if (jobs.length)
      await this.deps.effects.addBulk(
        jobs.map((data) => ({ name: data.effects[0]!, data, opts: { jobId: effectJobId(data) } })),
      );
    const invitations = jobs.filter((job) => job.effects[0] === 'survey').length;
    return { invitations, reminders: jobs.length - invitations };
  }

  start(): void {
    this.repeating ??= repeatEvery(
      this.deps.intervalMs,
      () => this.runOnce(),
      (error) => this.deps.log.warn({ err: error }, 'survey sweep failed; will try again'),
    );
  }

  stop(): void {
    this.repeating?.stop();
    this.repeating = undefined;
  }
}
