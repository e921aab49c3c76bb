import type { RetentionRules } from '../domain/retention';
import { addRetention, receivedBeforeCutoff, resolvedAt, retentionEnds } from '../domain/retention';
import type { UnticketedPurge } from '../store/privacy-records';
import { systemClock, type Clock } from '../domain/clock';
import { officeDate, zoneOffsetMinutes } from '../domain/sla';
import type { Logger } from '../lib/logger';
import { repeatEvery } from '../lib/repeat';
import { effectKey, type Store } from '../store/store';
import type { Anonymizer } from './anonymizer';
import { sweepUnreferencedFiles } from './unreferenced-files';

/** A run that crashed holds its record this long; then the next check runs it again (in doubt). */
const LEASE_MS = 30 * 60_000;
const PAGE = 500;
/** How often the service looks whether tonight's run is due: the run itself happens once per office date. */
const CHECK_EVERY_MS = 15 * 60_000;

export interface RetentionJobDeps {
  store: Store;
  anonymizer: Anonymizer;
  rules: RetentionRules;
  /** HH:MM, office time zone: the run of a date starts after it. */
  runAt: string;
  timeZone: string;
  /** The service's attachment folders: files in them no record names any more are deleted too. */
  attachmentRoots: string[];
  log: Logger;
  clock?: Clock;
  checkEveryMs?: number;
}

export interface RetentionRun {
  date: string;
  anonymized: number;
  filesDeleted: number;
  unreferencedFilesDeleted: number;
  /** Held chat messages, quarantined records and automated mail kept longer than the default span. */
  unticketed?: UnticketedPurge;
  /** Resolution times of the tickets anonymized: the period this run covered. */
  resolvedFrom?: string;
  resolvedTo?: string;
}

/**
 * The nightly anonymization of tickets past their retention (UU No. 27/2022 PDP). An effect like the
 * monthly recap: one record per office date (`privacy:retention-YYYY-MM-DD`), so a repeated check, a
 * second process or a restart does not run it twice; a run that crashed runs again once its lease ran
 * out, and the tickets it already anonymized are no longer candidates (each is marked in its own write).
 * Every run writes an audit record: how many tickets, which resolution period, when.
 */
export class RetentionJob {
  private repeating: { stop(): void } | undefined;

  constructor(private readonly deps: RetentionJobDeps) {}

  /** Tonight's run if it is due and not done yet; undefined when there was nothing to do now. */
  async runIfDue(now = (this.deps.clock ?? systemClock).now()): Promise<RetentionRun | undefined> {
    const { timeZone, runAt } = this.deps;
    const local = new Date(now.getTime() + zoneOffsetMinutes(now.getTime(), timeZone) * 60_000);
    if (local.toISOString().slice(11, 16) < runAt) return undefined;
    return this.run(now);
  }

  /** The run of `now`'s office date, unless it is done or under way. */
  async run(now: Date): Promise<RetentionRun | undefined> {
    const { store, log } = this.deps;
    const date = officeDate(now.toISOString(), this.deps.timeZone);
    const key = effectKey('privacy', `retention-${date}`);
    const state = await store.beginEffect(key, 'privacy', 'retention', LEASE_MS);
    if (state === 'done' || state === 'busy') return undefined;
    if (state === 'in-doubt') log.warn({ date }, 'an earlier retention run did not finish; running again');
    try {
      const outcome = await this.anonymizeDue(now, date);
      await store.appendPrivacyAudit({
        at: now.toISOString(),
        action: 'retention-run',
        by: 'system',
        detail: { ...outcome, rules: this.deps.rules },
      });
      await store.completeEffect(
        key,
        `${outcome.anonymized} tickets anonymized, ${outcome.filesDeleted + outcome.unreferencedFilesDeleted} files deleted`,
      );
      log.info({ ...outcome }, 'retention run done');
      return outcome;
    } catch (error) {
      await store.releaseEffect(key);
      throw error;
    }
  }

  private async anonymizeDue(now: Date, date: string): Promise<RetentionRun> {
    const { store, anonymizer, rules } = this.deps;
    const run: RetentionRun = { date, anonymized: 0, filesDeleted: 0, unreferencedFilesDeleted: 0 };
    const cutoff = receivedBeforeCutoff(now, rules).toISOString();
    let after: string | undefined;
    for (;;) {
      const page = await store.listRetentionCandidates(cutoff, PAGE, after);
      const due = page.filter((ticket) => {
        const ends = retentionEnds(ticket, rules);
        return ends !== undefined && ends <= now;
      });
      const outcome = await anonymizer.anonymize(due, 'retention', now);
      run.anonymized += outcome.anonymized.length;
      run.filesDeleted += outcome.filesDeleted;
      for (const ticket of outcome.anonymized) {
        const resolved = resolvedAt(ticket)!;
        if (!run.resolvedFrom || resolved < run.resolvedFrom) run.resolvedFrom = resolved;
        if (!run.resolvedTo || resolved > run.resolvedTo) run.resolvedTo = resolved;
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
    // What never became a ticket has no resolution: it is kept the default span from when it came in.
    run.unticketed = await store.purgeUnticketedBefore(addRetention(now, rules.default, -1).toISOString());
    run.unreferencedFilesDeleted = await sweepUnreferencedFiles(store, this.deps.attachmentRoots, now);
    return run;
  }

  start(): void {
    this.repeating ??= repeatEvery(
      this.deps.checkEveryMs ?? CHECK_EVERY_MS,
      () => this.runIfDue(),
      (error) => this.deps.log.warn({ err: error }, 'retention run failed; will try again'),
    );
  }

  stop(): void {
    this.repeating?.stop();
    this.repeating = undefined;
  }
}
