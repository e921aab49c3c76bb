import { FakePortalServer, portalRecord } from '../../support/fake-portal-server';
import { createTestEnv, waitFor, type TestEnv } from '../../support/service-harness';
import { failingOnce, outboxFiles, portalConfig, startPolling, TOKEN, type Polling } from './portal-test-env';

describe('HTTP JSON poller (Perkebbas) against a loopback portal', () => {
  let env: TestEnv;
  let fake: FakePortalServer;
  let polling: Polling | undefined;

  afterEach(async () => {
    await polling?.stop();
    polling = undefined;
    await fake.close();
    await env.cleanup();
  });

  const tickets = () => polling!.service.store.listTickets({});
  const ticketCount = (n: number) =>
    waitFor(async () => (await polling!.service.store.countTickets()) === n, 10_000, `${n} tickets`);

  it('pages through records with a bearer token, one ticket each, and continues after a restart from where it stopped', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging: 'page' });
    for (let i = 1; i <= 5; i += 1) fake.records.push(portalRecord(`PKB-${i}`, `2026-11-30T0${i}:00:00+07:00`));
    const portal = portalConfig(fake);

    polling = await startPolling(env, portal);
    await ticketCount(5);
    const firstPoll = fake.callsTo('poll').slice(0, 3);
    expect(firstPoll.map((c) => c.query.page)).toEqual(['1', '2', '3']);
    expect(firstPoll.every((c) => c.headers.authorization === `Bearer ${TOKEN}` && c.query.per_page === '2')).toBe(
      true,
    );
    const ticket = (await tickets()).find((t) => t.sourceId === 'PKB-1')!;
    expect(ticket).toMatchObject({
      channel: 'perkebbas',
      receivedAt: '2026-11-30T01:00:00+07:00',
      subject: 'Pengaduan layanan',
      complainant: {
        name: 'Marihot Padang',
        phone: '+6281265553210',
        email: 'marihot@example.com',
        platformUserId: 'PKB-1',
      },
      meta: { status: 'baru', kecamatan: 'Sidikalang' },
    });
    await waitFor(async () => polling!.intake.completedPolls >= 2, 5000, 'a second poll');
    // The watermark is the newest record's time: later polls ask only from there.
    expect(Date.parse(fake.callsTo('poll').at(-1)!.query.updated_since!)).toBe(Date.parse('2026-11-30T05:00:00+07:00'));

    await polling.stop();
    fake.records.push(
      portalRecord('PKB-6', '2026-11-30T06:00:00+07:00'),
      portalRecord('PKB-7', '2026-11-30T07:00:00+07:00'),
    );
    const callsBefore = fake.calls.length;
    polling = await startPolling(env, portal);
    await ticketCount(7);
    expect(Date.parse(fake.calls[callsBefore]!.query.updated_since!)).toBe(Date.parse('2026-11-30T05:00:00+07:00'));
    await waitFor(async () => polling!.intake.completedPolls >= 2, 5000, 'a second poll');
    expect(polling.intake.stats()).toMatchObject({ queued: 2, quarantined: 0 });
    expect(await polling.service.store.countTickets()).toBe(7);
  });

  it.each([
    ['a link in the body', 'next-link', 'links.next'],
    ['the Link header', 'link-header', ''],
  ] as const)('follows next links (%s) with basic auth', async (_label, paging, responsePath) => {
    env = createTestEnv();
    fake = await FakePortalServer.start({
      auth: { kind: 'basic', username: 'aduan', password: 'rahasia-basic' },
      paging,
      defaultPageSize: 2,
    });
    for (let i = 1; i <= 5; i += 1) fake.records.push(portalRecord(`PKB-${i}`, `2026-11-30T0${i}:00:00+07:00`));
    polling = await startPolling(env, portalConfig(fake, {}, { pagination: { kind: 'next-link', responsePath } }));
    await ticketCount(5);
    const pages = fake.callsTo('poll').slice(0, 3);
    expect(pages.map((c) => c.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(pages.every((c) => c.status === 200)).toBe(true);
  });

  it('moves a portal cursor with an API-key header and only past taken records', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({
      auth: { kind: 'api-key', header: 'X-API-Key', value: 'kunci-api-perkebbas' },
      paging: 'cursor',
      defaultPageSize: 2,
    });
    for (let i = 1; i <= 3; i += 1) fake.records.push(portalRecord(`PKB-${i}`, `2026-11-30T0${i}:00:00+07:00`));
    polling = await startPolling(
      env,
      portalConfig(
        fake,
        {},
        {
          incremental: { kind: 'cursor', param: 'cursor', responsePath: 'meta.next_cursor' },
          pagination: { kind: 'none' },
        },
      ),
    );
    await ticketCount(3);
    fake.records.push(portalRecord('PKB-4', '2026-11-30T04:00:00+07:00'));
    await ticketCount(4);
    expect(fake.callsTo('poll').every((c) => c.headers['x-api-key'] === 'kunci-api-perkebbas')).toBe(true);
    expect(polling.intake.stats()).toEqual({ queued: 4, duplicate: 0, quarantined: 0, requarantined: 0 });
  });

  it('backs off on 429 (honouring Retry-After) and 5xx, then carries on', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ paging: 'page' });
    fake.records.push(portalRecord('PKB-1', '2026-11-30T01:00:00+07:00'));
    fake.failNext('poll', 429, { 'retry-after': '1' });
    fake.failNext('poll', 503);
    fake.failNext('poll', 502);
    polling = await startPolling(env, portalConfig(fake));
    await waitFor(async () => polling!.intake.health().state === 'degraded', 5000, 'degraded health');
    await ticketCount(1);
    const [limited, unavailable, badGateway, ok] = fake.callsTo('poll');
    expect([limited!.status, unavailable!.status, badGateway!.status, ok!.status]).toEqual([429, 503, 502, 200]);
    expect(unavailable!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(badGateway!.at - unavailable!.at).toBeLessThan(900);
    await waitFor(async () => polling!.intake.health().state === 'ok', 5000, 'ok health');
  });

  it('caps a long Retry-After at maxBackoffMs', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ paging: 'page' });
    fake.failNext('poll', 429, { 'retry-after': '3600' });
    polling = await startPolling(env, portalConfig(fake, {}, { maxBackoffMs: 300 }));
    await waitFor(async () => fake.callsTo('poll').length >= 2, 3000, 'the call after the capped pause');
    const [limited, next] = fake.callsTo('poll');
    expect(next!.at - limited!.at).toBeLessThan(1000);
  });

  it('marks the channel failed on 401, alerts the admin once without busy-looping, and recovers when access is back', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging: 'page' });
    fake.records.push(portalRecord('PKB-1', '2026-11-30T01:00:00+07:00'));
    fake.rejectAll = true;
    polling = await startPolling(env, portalConfig(fake));
    await waitFor(async () => polling!.intake.health().state === 'failed', 5000, 'failed health');
    await new Promise((r) => setTimeout(r, 1200));
    const failedCalls = fake.callsTo('poll').length;
    // recheckAfterFailureMs is 250: about five rechecks in 1.2 s, not hundreds.
    expect(failedCalls).toBeGreaterThanOrEqual(2);
    expect(failedCalls).toBeLessThanOrEqual(8);
    expect(polling.intake.health().lastError).toBe('perkebbas poll answered HTTP 401');
    const alerts = outboxFiles(env).filter((f) => f.startsWith('alert.perkebbas-auth'));
    expect(alerts).toHaveLength(1);
    expect(env.logLines.join('\n')).not.toContain(TOKEN);

    fake.rejectAll = false;
    await ticketCount(1);
    await waitFor(async () => polling!.intake.health().state === 'ok', 5000, 'ok health');
    await waitFor(
      async () => (await polling!.service.store.getCursor('alert:perkebbas:auth')) === '',
      5000,
      'the alert re-armed',
    );
  });

  it('quarantines a record that no longer matches the mapping, naming the field, and takes the others', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ paging: 'page' });
    const drifted = portalRecord('PKB-2', '2026-11-30T02:00:00+07:00');
    drifted.deskripsi = drifted.isi;
    delete drifted.isi;
    fake.records.push(
      portalRecord('PKB-1', '2026-11-30T01:00:00+07:00'),
      drifted,
      portalRecord('PKB-3', '2026-11-30T03:00:00+07:00', { dibuat_pada: 'kemarin sore' }),
      portalRecord('PKB-4', '2026-11-30T04:00:00+07:00'),
    );
    polling = await startPolling(env, portalConfig(fake));
    await ticketCount(2);
    await waitFor(async () => polling!.intake.completedPolls >= 2, 5000, 'a second poll');
    const quarantined = await polling.service.store.listQuarantine();
    expect(quarantined.map((q) => [q.sourceId, q.reason]).sort()).toEqual([
      ['PKB-2', 'perkebbas: mapping text ← "isi": missing in the record'],
      ['PKB-3', 'perkebbas: mapping receivedAt ← "dibuat_pada": "kemarin sore" is not a recognised date and time'],
    ]);
    expect(JSON.parse(quarantined.find((q) => q.sourceId === 'PKB-2')!.payload)).toHaveProperty('deskripsi');
    expect((await tickets()).map((t) => t.sourceId).sort()).toEqual(['PKB-1', 'PKB-4']);
    expect(Date.parse(fake.callsTo('poll').at(-1)!.query.updated_since!)).toBe(Date.parse('2026-11-30T04:00:00+07:00'));
    expect(polling.intake.stats().quarantined).toBe(2); // the later polls did not quarantine again
  });

  it('quarantines a bad record once on a source read in full every poll, and again only when it changes', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ paging: 'page' });
    const drifted = portalRecord('PKB-2', '2026-11-30T02:00:00+07:00');
    delete drifted.isi;
    // Mapped fine, refused by the pipeline's own validation (text over 200,000 characters).
    const huge = portalRecord('PKB-3', '2026-11-30T03:00:00+07:00', { isi: 'panjang '.repeat(25_001) });
    fake.records.push(portalRecord('PKB-1', '2026-11-30T01:00:00+07:00'), drifted, huge);
    polling = await startPolling(env, portalConfig(fake, {}, { incremental: { kind: 'none' } }));
    await ticketCount(1);
    await waitFor(async () => polling!.intake.completedPolls >= 4, 5000, 'four polls');
    expect(fake.callsTo('poll').filter((c) => (c.query.page ?? '1') === '1').length).toBeGreaterThanOrEqual(4);
    expect((await polling.service.store.listQuarantine()).map((q) => q.sourceId).sort()).toEqual(['PKB-2', 'PKB-3']);
    expect(polling.intake.stats()).toMatchObject({ quarantined: 2, duplicate: expect.any(Number) });
    expect(polling.intake.stats().requarantined).toBeGreaterThanOrEqual(6);
    expect(env.logLines.filter((l) => l.includes('quarantined"') && l.includes('"level":"warn"'))).toHaveLength(2);

    // Edited at the portal, still bad: a new record with the new content.
    drifted.judul = 'Judul diperbaiki';
    const polls = polling.intake.completedPolls;
    await waitFor(async () => polling!.intake.completedPolls >= polls + 2, 5000, 'two more polls');
    const records = (await polling.service.store.listQuarantine()).filter((q) => q.sourceId === 'PKB-2');
    expect(records).toHaveLength(2);
    expect(JSON.parse(records[0]!.payload)).toHaveProperty('judul', 'Judul diperbaiki');
  });

  it('fails the channel and alerts once when the answer has no records where configured', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ paging: 'page' });
    fake.envelope = 'items';
    polling = await startPolling(env, portalConfig(fake));
    await waitFor(async () => polling!.intake.health().state === 'failed', 5000, 'failed health');
    await waitFor(async () => fake.callsTo('poll').length >= 3, 5000, 'rechecks');
    expect(polling.intake.health().lastError).toBe('expected an array of records at "data", found nothing');
    expect(outboxFiles(env).filter((f) => f.startsWith('alert.perkebbas-response'))).toHaveLength(1);
  });

  it('never moves the watermark past a record whose hand-over failed', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ paging: 'page' });
    for (let i = 1; i <= 4; i += 1) fake.records.push(portalRecord(`PKB-${i}`, `2026-11-30T0${i}:00:00+07:00`));
    polling = await startPolling(env, portalConfig(fake), failingOnce(['PKB-3']));
    await ticketCount(4);
    const polls = fake.callsTo('poll');
    // Poll 1: page 1 (PKB-1, PKB-2) taken, page 2 fails at PKB-3; the retry asks from PKB-2's time.
    expect(polls.slice(0, 3).map((c) => c.query.page)).toEqual(['1', '2', '1']);
    expect(Date.parse(polls[2]!.query.updated_since!)).toBe(Date.parse('2026-11-30T02:00:00+07:00'));
    expect(polling.intake.stats()).toMatchObject({ queued: 4, quarantined: 0 });
  });
});
