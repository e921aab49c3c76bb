import { FakePortalServer, portalRecord } from '../../support/fake-portal-server';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { portalConfig, TOKEN } from './portal-test-env';

/** Two portals side by side through `channels.http`, wired by the channel registry as the service does. */
describe('several HTTP JSON sources (channels.http) against two loopback portals', () => {
  let env: TestEnv | undefined;
  const fakes: FakePortalServer[] = [];

  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
    await env?.cleanup();
  });

  it('polls both with their own auth, paging and cursor; one failing does not stop the other; duplicates per source', async () => {
    const perkebbas = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging: 'page' });
    const lapor = await FakePortalServer.start({
      auth: { kind: 'api-key', header: 'X-Api-Key', value: 'lapor-key-0123456789' },
      paging: 'cursor',
      defaultPageSize: 2,
    });
    fakes.push(perkebbas, lapor);
    // The same id on both portals: two different complaints, not a duplicate.
    perkebbas.records.push(
      portalRecord('1', '2026-11-30T08:00:00+07:00'),
      portalRecord('2', '2026-11-30T09:00:00+07:00'),
    );
    lapor.records.push(portalRecord('1', '2026-11-30T08:30:00+07:00'), portalRecord('7', '2026-11-30T08:40:00+07:00'));
    lapor.rejectAll = true; // LAPOR! starts with a revoked key

    const sources = [
      portalConfig(perkebbas),
      portalConfig(
        lapor,
        { name: 'lapor' },
        {
          incremental: { kind: 'cursor', param: 'cursor', responsePath: 'meta.next_cursor' },
          pagination: { kind: 'none' },
        },
      ),
    ];
    env = createTestEnv((config) => ({ ...config, channels: { ...config.channels, http: sources } }));
    const service = await startTestService(env, { channels: undefined });
    const store = service.store;
    try {
      expect(service.channels.map((c) => c.name).sort()).toEqual(['lapor', 'perkebbas']);
      await waitFor(async () => (await store.countTickets()) === 2, 10_000, 'the two Perkebbas tickets');
      await waitFor(
        async () => (await service.health()).channels.find((c) => c.name === 'lapor')?.state === 'failed',
        5000,
        'lapor failed',
      );
      // Perkebbas keeps polling while LAPOR! is refused.
      perkebbas.records.push(portalRecord('3', '2026-11-30T10:00:00+07:00'));
      await waitFor(async () => (await store.countTickets()) === 3, 10_000, 'a third Perkebbas ticket');

      lapor.rejectAll = false;
      await waitFor(async () => (await store.countTickets()) === 5, 10_000, 'the LAPOR! tickets after recovery');
      lapor.records.push(portalRecord('8', '2026-11-30T11:00:00+07:00'));
      await waitFor(async () => (await store.countTickets()) === 6, 10_000, 'a later LAPOR! record');
      // More polls of both serve records already taken in (the since-overlap, the cursor's last page): no new tickets.
      const polls = perkebbas.callsTo('poll').length;
      await waitFor(async () => perkebbas.callsTo('poll').length >= polls + 3, 5000, 'more polls');
      expect(await store.countTickets()).toBe(6);

      const tickets = await store.listTickets({});
      expect(tickets.map((t) => t.sourceId).sort()).toEqual(['1', '2', '3', 'lapor:1', 'lapor:7', 'lapor:8']);
      expect(tickets.every((t) => t.channel === 'perkebbas')).toBe(true);
      // Each source asked with its own credentials only.
      expect(
        perkebbas.calls.every((c) => c.headers.authorization === `Bearer ${TOKEN}` && !c.headers['x-api-key']),
      ).toBe(true);
      expect(
        lapor.calls.every((c) => c.headers['x-api-key'] === 'lapor-key-0123456789' && !c.headers.authorization),
      ).toBe(true);
      // Independent positions, each under its source's name.
      const since = JSON.parse((await store.getCursor('portal:perkebbas'))!) as { since: string };
      expect(Date.parse(since.since)).toBe(Date.parse('2026-11-30T10:00:00+07:00'));
      const cursor = JSON.parse((await store.getCursor('portal:lapor'))!) as { cursor: string };
      expect(Buffer.from(cursor.cursor, 'base64url').toString()).toBe('pos:3');
      expect((await service.health()).channels.every((c) => c.state === 'ok')).toBe(true);
    } finally {
      await service.stop();
    }
  });
});
