import path from 'node:path';
import { PoisonGuard } from '../../../src/channels/poison-guard';
import { PortalPollingIntake } from '../../../src/channels/portal/polling-intake';
import type { RunningService } from '../../../src/main';
import { FakePortalServer } from '../../support/fake-portal-server';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { portalConfig } from '../portal/portal-test-env';

/**
 * The portal poller (real adapter, fake Perkebbas over HTTP) with a record whose reading overruns
 * the budget three times (scripted clock, as in callcenter-poison.test.ts): set aside with its JSON,
 * the admins alerted once, the poll position moves on and the next record becomes a ticket.
 */

jest.setTimeout(60_000);

let env: TestEnv;
let fake: FakePortalServer;
let service: RunningService | undefined;
let poller: PortalPollingIntake | undefined;

afterEach(async () => {
  await poller?.stop();
  await service?.stop();
  await fake?.close();
  await env.cleanup();
});

it('sets aside a record that reads over the budget three times, then takes the next one', async () => {
  env = createTestEnv();
  fake = await FakePortalServer.start();
  const record = (id: string, minute: number, isi: string) => ({
    id,
    dibuat_pada: `2026-11-30T09:${String(minute).padStart(2, '0')}:00+07:00`,
    diperbarui_pada: `2026-11-30T09:${String(minute).padStart(2, '0')}:00+07:00`,
    judul: 'Aduan portal',
    isi,
    status: 'baru',
    pelapor: { nama: 'Warga' },
  });
  fake.records.push(
    record('PKB-P1', 1, 'Rekaman yang lambat dibaca'),
    record('PKB-P2', 2, 'Rekaman berikutnya: KIA anak belum terbit'),
  );
  service = await startTestService(env);
  let calls = 0;
  const clock = () => ((calls += 1) % 2 === 0 && calls <= 6 ? 5000 : 0);
  const poison = new PoisonGuard(
    service.store,
    service.alerts,
    env.log,
    { maxAttempts: 3, budgetMs: 1000, rawFolder: path.join(env.config.service.dataDir, 'quarantine') },
    clock,
  );
  const portal = portalConfig(fake);
  poller = new PortalPollingIntake({
    portal,
    poll: portal.poll!,
    store: service.store,
    alerts: service.alerts,
    log: env.log,
    timeZone: 'Asia/Jakarta',
    poison,
  });
  await poller.start(service.sink);

  const ticket = await waitFor(
    async () => service!.store.findBySource('perkebbas', 'PKB-P2'),
    20_000,
    'the ticket of the next record',
  );
  expect(ticket.text).toBe('Rekaman berikutnya: KIA anak belum terbit');
  expect(await service.store.findBySource('perkebbas', 'PKB-P1')).toBeUndefined();
  const quarantined = (await service.store.listQuarantine(10)).find((r) => r.reason.startsWith('poison message'));
  expect(quarantined).toMatchObject({ channel: 'perkebbas', reason: expect.stringContaining('3 attempt(s)') });
  expect(JSON.parse(quarantined!.payload)).toMatchObject({ origin: 'perkebbas record', attempts: 3 });
  expect(env.logLines.filter((l) => l.includes('"admin alert"') && l.includes('poison-portal:perkebbas'))).toHaveLength(
    1,
  );
});
