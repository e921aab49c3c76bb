import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { callCenterChannelSchema, type CallCenterConfig } from '../../../src/channels/callcenter/config-schema';
import { CallCenterLogIntake } from '../../../src/channels/callcenter/log-watcher';
import type { RunningService } from '../../../src/main';
import type { ComplaintSink } from '../../../src/channels/complaint-sink';
import { startTestService, waitFor, type TestEnv } from '../../support/service-harness';

export const HEADER = 'Waktu;Nomor Penelepon;Agen;Ringkasan;NIK;Line;Nama Penelepon\r\n';

/** One agent-log row (`;`, CRLF) for a distinct call at 08:00 + n minutes. */
export function callRow(n: number, notes = `Penelepon ke-${n} menanyakan status KTP-el yang belum dicetak.`): string {
  const minutes = 8 * 60 + n;
  const time = `30/11/2026 ${String(Math.floor(minutes / 60)).padStart(2, '0')}.${String(minutes % 60).padStart(2, '0')}`;
  return `${time};0812${String(10_000_000 + n)};Agen Line ${(n % 2) + 1};"${notes}";;Line 1;\r\n`;
}

export function logFolder(env: TestEnv): string {
  const folder = path.join(env.dir, 'callcenter');
  mkdirSync(folder, { recursive: true });
  return folder;
}

export function callCenterConfig(folder: string, overrides: Record<string, unknown> = {}): CallCenterConfig {
  return callCenterChannelSchema.parse({
    enabled: true,
    folder,
    pollIntervalMs: 50,
    columns: {
      time: 'Waktu',
      caller: 'Nomor Penelepon',
      agent: 'Agen',
      notes: 'Ringkasan',
      nik: 'NIK',
      line: 'Line',
      name: 'Nama Penelepon',
    },
    ...overrides,
  });
}

export interface Watching {
  service: RunningService;
  watcher: CallCenterLogIntake;
  /** Passes finished so far; `passes(n)` waits for n more. */
  passes(n: number): Promise<void>;
  stop(): Promise<void>;
}

/** The real service on the env's store and Redis prefix, with the real watcher on its sink. */
export async function startWatching(
  env: TestEnv,
  config: CallCenterConfig,
  wrapSink: (sink: ComplaintSink) => ComplaintSink = (s) => s,
  parts: Parameters<typeof startTestService>[1] = {},
): Promise<Watching> {
  const service = await startTestService(env, parts);
  const watcher = new CallCenterLogIntake({
    config,
    store: service.store,
    alerts: service.alerts,
    log: env.log.child({ channel: 'call-center' }),
    timeZone: 'Asia/Jakarta',
  });
  await watcher.start(wrapSink(service.sink));
  return {
    service,
    watcher,
    passes: async (n) => {
      const target = watcher.completedScans + n;
      await waitFor(async () => watcher.completedScans >= target, 10_000, `${n} passes`);
    },
    stop: async () => {
      await watcher.stop();
      await service.stop();
    },
  };
}

/** Hands over like the real sink, a little slower (to stop a reader in the middle of a file). */
export function slowSink(ms: number): (sink: ComplaintSink) => ComplaintSink {
  return (sink) => ({
    submit: async (candidate, origin) => {
      await new Promise((r) => setTimeout(r, ms));
      return sink.submit(candidate, origin);
    },
  });
}
