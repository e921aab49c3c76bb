import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { portalChannelSchema } from '../../../src/channels/portal';
import { MessageWebhookTransport } from '../../../src/channels/shared/message-webhook-transport';
import { createTransports } from '../../../src/main';
import { FakePortalServer, portalRecord } from '../../support/fake-portal-server';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { callCenterConfig, callRow, HEADER, logFolder } from '../callcenter/callcenter-test-env';
import { portalConfig } from './portal-test-env';

describe('perkebbas and callCenter through the service configuration', () => {
  let env: TestEnv | undefined;
  let fake: FakePortalServer | undefined;

  afterEach(async () => {
    await fake?.close();
    await env?.cleanup();
  });

  it('createChannels starts the poller, the push receiver and the log watcher from config; both sources become tickets', async () => {
    fake = await FakePortalServer.start({ paging: 'page' });
    fake.records.push(portalRecord('PKB-1', '2026-11-30T08:00:00+07:00'));
    const f = fake;
    env = createTestEnv((config) => ({
      ...config,
      channels: {
        ...config.channels,
        perkebbas: portalConfig(f, { webhook: { enabled: true, port: 0, secret: 'a-long-enough-shared-secret' } }),
        callCenter: callCenterConfig(path.join(config.service.dataDir, '..', 'callcenter')),
      },
    }));
    writeFileSync(path.join(logFolder(env), 'calls.csv'), HEADER + callRow(1));
    const service = await startTestService(env, { channels: undefined });
    try {
      expect(service.channels.map((c) => c.name).sort()).toEqual(['call-center', 'perkebbas', 'perkebbas-webhook']);
      await waitFor(async () => (await service.store.countTickets()) === 2, 10_000, 'two tickets');
      expect((await service.store.listTickets({})).map((t) => t.channel).sort()).toEqual(['call-center', 'perkebbas']);
      await waitFor(
        async () => (await service.health()).channels.every((c) => c.state === 'ok'),
        5000,
        'healthy channels',
      );
    } finally {
      await service.stop();
    }
  });

  it('createTransports (live) answers on the portal and through the SMS gateway only when they are configured', async () => {
    const base = createTestEnv();
    env = base;
    const live = {
      ...base.config,
      outbound: {
        ...base.config.outbound,
        mode: 'live' as const,
        smtp: { host: '127.0.0.1', port: 2525, secure: false },
      },
    };
    expect(Object.keys((await createTransports(live, base.log)).citizen).sort()).toEqual(['email']);
    const configured = {
      ...live,
      channels: {
        ...live.channels,
        perkebbas: portalChannelSchema.parse({
          enabled: true,
          webhook: { enabled: true, secret: 'a-long-enough-shared-secret' },
          mapping: { sourceId: 'id', receivedAt: 'dibuat_pada', text: 'isi' },
          reply: { url: 'http://127.0.0.1:9/api/pengaduan/{{to}}/tanggapan' },
        }),
        callCenter: callCenterConfig('/tmp/none', { gateway: { url: 'http://127.0.0.1:9/sms' } }),
      },
    };
    const citizen = (await createTransports(configured, base.log)).citizen;
    expect(Object.keys(citizen).sort()).toEqual(['call-center', 'email', 'perkebbas']);
    expect(citizen.perkebbas).toBeInstanceOf(MessageWebhookTransport);
    expect(citizen['call-center']).toBeInstanceOf(MessageWebhookTransport);
  });
});
