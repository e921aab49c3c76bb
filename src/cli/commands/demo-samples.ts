import { CHANNEL_MODULES } from '../../channels/registry';
import type { AppConfig } from '../../config/schema';
import type { Logger } from '../../lib/logger';
import type { RunningService } from '../../main';
import { demoTimeSink } from './demo-time';

/**
 * Feeds the demo's samples through each channel's real adapter, with nothing outside this machine:
 * .eml files through the email parser, an agent's CSV log through the call-center watcher, Graph webhook
 * payloads and portal records POSTed, signed, to the real receivers on a loopback port. Offline channels
 * (walk-in, suggestion box) come as staff type them for `aduan intake`.
 */
export async function feedSamples(
  service: RunningService,
  config: AppConfig,
  samplesDir: string,
  log: Logger,
  start: Date,
): Promise<void> {
  // Sample times are moved to just before the demo's start (demo-time.ts).
  const sink = demoTimeSink(service.sink, start);
  // Samples that carry more times than receivedAt (LAPOR!'s forwarding) place them around the same start.
  const clock = { now: () => new Date(start) };
  const deps = { config, store: service.store, alerts: service.alerts, sink, samplesDir, log, clock };
  for (const channel of CHANNEL_MODULES) await channel.feedDemo?.(deps);
}
