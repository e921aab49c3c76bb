import { readdirSync, readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import path from 'node:path';
import type { PortalPollingIntake } from '../../../src/channels/portal/polling-intake';
import { FixedClock } from '../../../src/domain/clock';
import type { RunningService } from '../../../src/main';
import { effectKey } from '../../../src/store/store';
import { FakePortalServer, portalRecord } from '../../support/fake-portal-server';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { portalConfig } from './portal-test-env';

/** A portal polled for the first time: its old records are history, its new ones live work. */
describe('perkebbas: first read of an HTTP source', () => {
  let env: TestEnv | undefined;
  let fake: FakePortalServer | undefined;
  let service: RunningService | undefined;

  afterEach(async () => {
    await service?.stop();
    await fake?.close();
    await env?.cleanup();
  });

  it('imports the old records as history with one summary; later polls are live', async () => {
    fake = await FakePortalServer.start({ paging: 'page' });
    for (const [id, at] of [
      ['PKB-1', '2026-10-01T09:00:00+07:00'],
      ['PKB-2', '2026-10-15T09:00:00+07:00'],
      ['PKB-3', '2026-10-30T09:00:00+07:00'],
      ['PKB-4', '2026-11-06T08:30:00+07:00'],
    ] as const)
      fake.records.push(portalRecord(id, at));
    const f = fake;
    env = createTestEnv((config) => ({ ...config, channels: { ...config.channels, perkebbas: portalConfig(f) } }));
    service = await startTestService(env, { channels: undefined, clock: new FixedClock('2026-11-06T10:00:00+07:00') });
    const poller = service.channels.find((c) => c.name === 'perkebbas') as PortalPollingIntake;
    await waitFor(async () => (await service!.store.countTickets()) === 4, 10_000, 'four tickets');
    const tickets = await service.store.listTickets({});
    expect(
      tickets
        .filter((t) => t.historicalImport)
        .map((t) => t.sourceId)
        .sort(),
    ).toEqual(['PKB-1', 'PKB-2', 'PKB-3']);
    const live = tickets.find((t) => !t.historicalImport)!;
    await waitFor(async () => (await service!.store.getEffect(effectKey(live.id, 'route')))?.state === 'done');

    // A record that appears later, however old its own time, is live work.
    fake.records.push(
      portalRecord('PKB-5', '2026-11-02T09:00:00+07:00', { diperbarui_pada: '2026-11-06T09:59:00+07:00' }),
    );
    await waitFor(async () => (await service!.store.countTickets()) === 5, 10_000, 'five tickets');
    const late = (await service.store.findBySource('perkebbas', 'PKB-5'))!;
    expect(late.historicalImport).toBeUndefined();
    await waitFor(async () => (await service!.store.getEffect(effectKey(late.id, 'route')))?.state === 'done');
    const polls = poller.completedPolls;
    await waitFor(async () => poller.completedPolls > polls + 2, 10_000, 'more polls');

    const outbox = env.config.outbound.outboxDir;
    const alerts = readdirSync(outbox).filter((name) => name.startsWith('alert.'));
    expect(alerts).toHaveLength(1);
    const summary = await simpleParser(readFileSync(path.join(outbox, alerts[0]!)));
    expect(summary.subject).toBe('[aduan] Impor riwayat: 3 pengaduan historis dari perkebbas, 2026-10-01 … 2026-10-30');
    expect(readdirSync(outbox).filter((name) => name.startsWith('ADU-') && name.includes('team'))).toHaveLength(2);
  });
  it('counts a record’s age from its arrival at the office when the mapping names one (arrivedAt)', async () => {
    fake = await FakePortalServer.start({ paging: 'page' });
    // Both submitted on the portal two weeks before the first read; one was forwarded to the office an hour ago.
    fake.records.push(
      portalRecord('PKB-11', '2026-11-23T09:00:00+07:00', { diteruskan_pada: '2026-12-07T09:00:00+07:00' }),
      portalRecord('PKB-12', '2026-11-23T09:00:00+07:00', { diteruskan_pada: '2026-11-23T10:00:00+07:00' }),
    );
    const f = fake;
    const config = portalConfig(f);
    const perkebbas = { ...config, mapping: { ...config.mapping, arrivedAt: 'diteruskan_pada' } };
    env = createTestEnv((c) => ({ ...c, channels: { ...c.channels, perkebbas } }));
    service = await startTestService(env, { channels: undefined, clock: new FixedClock('2026-12-07T10:00:00+07:00') });
    await waitFor(async () => (await service!.store.countTickets()) === 2, 10_000, 'two tickets');
    const forwarded = (await service.store.findBySource('perkebbas', 'PKB-11'))!;
    const old = (await service.store.findBySource('perkebbas', 'PKB-12'))!;
    expect(forwarded.historicalImport).toBeUndefined();
    expect(forwarded.receivedAt).toBe('2026-11-23T09:00:00+07:00');
    expect(old.historicalImport).toBeDefined();
    await waitFor(async () => (await service!.store.getEffect(effectKey(forwarded.id, 'route')))?.state === 'done');
  });
});
