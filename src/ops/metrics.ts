import { Counter, Gauge, Registry } from 'prom-client';
import type { ChannelHealth } from '../channels/channel';
import type { PipelineMetrics } from '../pipeline/metrics';
import type { PipelineQueues } from '../pipeline/queues';
import type { Store } from '../store/store';

/**
 * Prometheus metrics for GET /metrics: complaints per channel and kind, quarantined records, job
 * failures, queue depths (read from Redis when scraped) and each channel's state and last success.
 */
export class ServiceMetrics implements PipelineMetrics {
  readonly registry = new Registry();
  private readonly complaints = new Counter({
    name: 'aduan_complaints_total',
    help: 'Tickets created, by channel and kind',
    labelNames: ['channel', 'category'],
    registers: [this.registry],
  });
  private readonly quarantine = new Counter({
    name: 'aduan_quarantined_total',
    help: 'Records quarantined instead of becoming tickets',
    labelNames: ['channel'],
    registers: [this.registry],
  });
  private readonly breaches = new Counter({
    name: 'aduan_sla_breaches_total',
    help: 'Tickets that passed their due time unresolved (escalated), by team and kind',
    labelNames: ['team', 'category'],
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: 'aduan_job_failures_total',
    help: 'Failed job attempts; final=true went to the dead-letter queue',
    labelNames: ['queue', 'class', 'final'],
    registers: [this.registry],
  });

  constructor(queues: PipelineQueues, channels: () => ChannelHealth[], noise?: Pick<Store, 'countNoise'>) {
    if (noise) {
      // Read from the store when scraped: the records are the truth (once per message, across restarts).
      new Counter({
        name: 'aduan_noise_total',
        help: 'Automated mail (auto-replies, newsletters, lists, delivery reports, forged own address) recorded instead of becoming tickets, by channel and kind',
        labelNames: ['channel', 'kind'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const { channel, kind, count } of await noise.countNoise()) this.inc({ channel, kind }, count);
        },
      });
    }
    new Gauge({
      name: 'aduan_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const [name, queue] of [
          ['intake', queues.intake],
          ['effects', queues.effects],
          ['dead-letter', queues.deadLetter],
        ] as const) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
        }
      },
    });
    new Gauge({
      name: 'aduan_channel_up',
      help: '1 when the channel works (ok), 0 when degraded, failed or stopped',
      labelNames: ['channel'],
      registers: [this.registry],
      collect() {
        for (const c of channels()) this.set({ channel: c.name }, c.state === 'ok' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'aduan_channel_last_success_seconds',
      help: 'Unix time of the last successful poll or read per channel',
      labelNames: ['channel'],
      registers: [this.registry],
      collect() {
        for (const c of channels())
          if (c.lastSuccessAt) this.set({ channel: c.name }, Date.parse(c.lastSuccessAt) / 1000);
      },
    });
  }

  ticketCreated(channel: string, category: string): void {
    this.complaints.inc({ channel, category });
  }

  quarantined(channel: string): void {
    this.quarantine.inc({ channel });
  }

  slaBreached(team: string, category: string): void {
    this.breaches.inc({ team, category });
  }

  jobFailed(queue: string, errorClass: 'retryable' | 'permanent', final: boolean): void {
    this.failures.inc({ queue, class: errorClass, final: String(final) });
  }
}
