/** What the pipeline reports as it works; the stages know nothing of Prometheus (ops/metrics.ts does). */
export interface PipelineMetrics {
  ticketCreated(channel: string, category: string): void;
  quarantined(channel: string): void;
  slaBreached(team: string, category: string): void;
  jobFailed(queue: string, errorClass: 'retryable' | 'permanent', final: boolean): void;
  /** The initial response (respond) or the team mail (route) went out, `seconds` after receipt. */
  firstEffectSent(effect: 'respond' | 'route', channel: string, seconds: number): void;
}
