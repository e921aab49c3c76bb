import type { Queue } from 'bullmq';
import type { AppConfig } from '../config/schema';
import type { ChannelKey } from '../domain/channels';
import type { Clock } from '../domain/clock';
import type { OfficeCalendar } from '../domain/sla';
import type { Logger } from '../lib/logger';
import type { Transport } from '../outbound/message';
import type { EffectJob } from '../pipeline/queues';
import { SurveyPlans } from '../pipeline/survey-plans';
import { SurveySweep } from '../pipeline/survey-sweep';
import type { Store } from '../store/store';
import { SurveyPageServer } from './page-server';

export interface SurveyServiceDeps {
  config: AppConfig;
  store: Store;
  calendar: OfficeCalendar;
  citizenTransports: Partial<Record<ChannelKey, Transport>>;
  log: Logger;
  clock: Clock;
}

/** The survey's running parts (config `survey`): the effect plans, the sweep that queues them, the page. */
export class SurveyService {
  readonly plans: SurveyPlans;
  private readonly page: SurveyPageServer;
  private sweep: SurveySweep | undefined;

  constructor(private readonly deps: SurveyServiceDeps) {
    const { config, store, clock } = deps;
    this.plans = new SurveyPlans({
      store,
      survey: config.survey,
      citizenTransports: deps.citizenTransports,
      fromAddress: config.outbound.fromAddress,
      timeZone: config.service.timeZone,
      clock,
    });
    this.page = new SurveyPageServer({
      store,
      survey: config.survey,
      secret: config.staff.replySecret,
      log: deps.log.child({ stage: 'survey-page' }),
      clock,
    });
  }

  /** Serves the page and starts queueing invitations; returns the page's URL. */
  async start(effects: Queue<EffectJob>): Promise<string> {
    const { config, store, calendar, clock, log } = this.deps;
    const url = await this.page.start();
    this.sweep = new SurveySweep({
      store,
      effects,
      calendar,
      inviteAfterMinutes: config.survey.inviteAfterMinutes,
      reminderAfterDays: config.survey.reminderAfterDays,
      intervalMs: config.survey.checkEverySeconds * 1000,
      log: log.child({ stage: 'survey' }),
      clock,
    });
    this.sweep.start();
    log.info({ url }, 'survey page listening');
    return url;
  }

  /** One pass of the sweep now (tests, the demo). */
  async sweepOnce(now?: number): Promise<{ invitations: number; reminders: number }> {
    if (!this.sweep) throw new Error('survey service not started');
    return this.sweep.runOnce(now);
  }

  async stop(): Promise<void> {
    this.sweep?.stop();
    await this.page.stop();
  }
}
