import { portalChannelSchema, type PortalConfig } from '../../../src/channels/portal/config-schema';
import { PortalPollingIntake } from '../../../src/channels/portal/polling-intake';
import type { RunningService } from '../../../src/main';
import type { OutboundHttpSettings, Resolver } from '../../../src/net/outbound-http';
import type { ComplaintSink } from '../../../src/channels/complaint-sink';
import type { FakePortalServer } from '../../support/fake-portal-server';
import { outboxMessages, startTestService, type TestEnv } from '../../support/service-harness';

export const TOKEN = 'perkebbas-test-token-0123456789';

/** The channel config an admin would write for the fake portal, with short test timings. */
export function portalConfig(
  fake: FakePortalServer,
  overrides: Record<string, unknown> = {},
  poll: Record<string, unknown> = {},
): PortalConfig {
  return portalChannelSchema.parse({
    enabled: true,
    auth: fake.options.auth,
    poll: {
      url: fake.url('/api/pengaduan'),
      intervalMs: 100,
      incremental: {
        kind: 'since',
        param: 'updated_since',
        timeField: 'diperbarui_pada',
        overlapSeconds: 0,
        // The fake's records carry fixed 2026 dates: a window of a year from the wall clock would lose them in 2027.
        backfillHours: 24 * 365 * 50,
      },
      pagination: { kind: 'page', param: 'page', sizeParam: 'per_page', size: 2 },
      backoffMs: 50,
      maxBackoffMs: 2000,
      recheckAfterFailureMs: 250,
      ...poll,
    },
    mapping: {
      sourceId: 'id',
      receivedAt: 'dibuat_pada',
      text: 'isi',
      subject: 'judul',
      name: 'pelapor.nama',
      phone: 'pelapor.telepon',
      email: 'pelapor.email',
      nik: 'pelapor.nik',
      meta: { status: 'status', kecamatan: 'pelapor.kecamatan' },
    },
    ...overrides,
  });
}

export interface Polling {
  service: RunningService;
  intake: PortalPollingIntake;
  stop(): Promise<void>;
}

/** The real service on the test env, with the real poller on its store, alerts and sink. */
export async function startPolling(
  env: TestEnv,
  portal: PortalConfig,
  wrapSink: (sink: ComplaintSink) => ComplaintSink = (s) => s,
  parts: Parameters<typeof startTestService>[1] = {},
  network: { outboundHttp?: OutboundHttpSettings; resolver?: Resolver } = {},
): Promise<Polling> {
  const service = await startTestService(env, parts);
  const intake = new PortalPollingIntake({
    portal,
    poll: portal.poll!,
    store: service.store,
    alerts: service.alerts,
    timeZone: 'Asia/Jakarta',
    ...network,
    log: env.log.child({ channel: 'perkebbas' }),
  });
  await intake.start(wrapSink(service.sink));
  return {
    service,
    intake,
    stop: async () => {
      await intake.stop();
      await service.stop();
    },
  };
}

export function outboxFiles(env: TestEnv): string[] {
  return outboxMessages(env.config.outbound.outboxDir);
}

/** Fails the hand-over of the chosen sourceIds once each, as a Redis or store outage would. */
export function failingOnce(sourceIds: string[]): (sink: ComplaintSink) => ComplaintSink {
  const pending = new Set(sourceIds);
  return (sink) => ({
    submit: async (candidate, origin) => {
      const id = (candidate as { sourceId?: string }).sourceId ?? '';
      if (pending.delete(id))
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
      return sink.submit(candidate, origin);
    },
  });
}
