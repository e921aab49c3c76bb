import { OutboundPolicyError, type Resolver } from '../../../src/net/outbound-http';
import { PortalPollingIntake } from '../../../src/channels/portal/polling-intake';
import { FakePortalServer, portalRecord } from '../../support/fake-portal-server';
import { RecordingServer } from '../../support/recording-server';
import { createTestEnv, waitFor, type TestEnv } from '../../support/service-harness';
import { outboxFiles, portalConfig, startPolling, TOKEN, type Polling } from './portal-test-env';

/** A resolver that answers every name with these addresses and counts its calls. */
function resolverAnswering(...addresses: string[]): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

describe('portal poller under the outbound-HTTP policy', () => {
  let env: TestEnv;
  let fake: FakePortalServer;
  let other: RecordingServer;
  let polling: Polling | undefined;

  beforeEach(async () => {
    env = createTestEnv();
    other = await RecordingServer.start('127.0.0.2');
  });

  afterEach(async () => {
    await polling?.stop();
    polling = undefined;
    await fake.close();
    await other.close();
    await env.cleanup();
  });

  const ticketCount = (n: number) =>
    waitFor(async () => (await polling!.service.store.countTickets()) === n, 10_000, `${n} tickets`);
  const health = () => polling!.intake.health();

  it.each([
    ['in the body', 'next-link', 'links.next'],
    ['in the Link header', 'link-header', ''],
  ] as const)(
    'a next link %s to another origin ends the poll as an error; that origin sees no request',
    async (_label, paging, responsePath) => {
      fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging, defaultPageSize: 2 });
      fake.nextLinkOrigin = other.origin;
      for (let i = 1; i <= 3; i += 1) fake.records.push(portalRecord(`PKB-${i}`, `2026-11-30T0${i}:00:00+07:00`));
      polling = await startPolling(
        env,
        portalConfig(fake, {}, { pagination: { kind: 'next-link', responsePath }, incremental: { kind: 'none' } }),
      );

      await ticketCount(2);
      await waitFor(async () => health().state === 'degraded', 5000, 'degraded health');
      expect(health().lastError).toMatch(
        /next-page link points to another origin \(http:\/\/127\.0\.0\.2:\d+\); not followed/,
      );
      await waitFor(async () => polling!.intake.completedPolls >= 2, 5000, 'a second poll');
      expect(other.requests).toEqual([]);
      expect(fake.callsTo('poll').every((c) => c.query.page === undefined)).toBe(true);
      expect(outboxFiles(env).filter((f) => f.startsWith('alert.perkebbas-outbound-policy'))).toHaveLength(1);
      expect(env.logLines.join('\n')).toContain('another origin');
      expect(env.logLines.join('\n')).not.toContain(TOKEN);
    },
  );

  it.each([307, 302, 301, 308])(
    'a %i redirect to another origin is not followed; the next poll carries on',
    async (status) => {
      fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging: 'page' });
      fake.records.push(portalRecord('PKB-1', '2026-11-30T01:00:00+07:00'));
      fake.redirectNext('poll', status, `${other.origin}/api/pengaduan?page=1`);
      polling = await startPolling(env, portalConfig(fake));

      await ticketCount(1);
      expect(other.requests).toEqual([]);
      const [redirected, retried] = fake.callsTo('poll');
      expect(redirected!.status).toBe(status);
      expect(retried!.status).toBe(200);
      expect(env.logLines.join('\n')).toMatch(/redirect \(HTTP \d+\) points to another origin/);
      await waitFor(async () => health().state === 'ok', 5000, 'ok health again');
    },
  );

  it('follows up to three same-origin redirects with the credentials, and refuses a fourth', async () => {
    fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging: 'page' });
    fake.records.push(portalRecord('PKB-1', '2026-11-30T01:00:00+07:00'));
    fake.redirectNext('poll', 307, 'self', 3);
    polling = await startPolling(env, portalConfig(fake));
    await ticketCount(1);
    const first = fake.callsTo('poll').slice(0, 4);
    expect(first.map((c) => c.status)).toEqual([307, 307, 307, 200]);
    expect(first.every((c) => c.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    await polling.stop();

    fake.redirectNext('poll', 302, 'self', 4);
    polling = await startPolling(env, portalConfig(fake));
    await waitFor(async () => health().state === 'degraded', 5000, 'degraded health');
    expect(health().lastError).toBe('perkebbas poll was redirected more than 3 times');
  });

  it('refuses a name that resolves to a loopback, private or metadata address, and never connects to it', async () => {
    fake = await FakePortalServer.start({ paging: 'page' });
    fake.records.push(portalRecord('PKB-1', '2026-11-30T01:00:00+07:00'));
    const byName = (portal: FakePortalServer) => portal.url('/api/pengaduan').replace('127.0.0.1', 'portal.test');
    // The fake listens on 127.0.0.1: without the check the poll would reach it.
    for (const address of ['127.0.0.1', '10.20.0.5', '169.254.169.254', '::ffff:192.168.1.10', 'fd00::5']) {
      const resolver = resolverAnswering(address);
      polling = await startPolling(
        env,
        portalConfig(fake, {}, { url: byName(fake) }),
        (s) => s,
        {},
        {
          outboundHttp: { allowInsecureHttp: true, allowedAddresses: [] },
          resolver,
        },
      );
      await waitFor(async () => health().state === 'degraded', 5000, `degraded health (${address})`);
      expect(health().lastError).toMatch(
        new RegExp(`^portal\\.test resolves to no address we may connect to \\(${address.replace(/[.]/g, '\\.')} is`),
      );
      expect(resolver.calls[0]).toBe('portal.test');
      await polling.stop();
      polling = undefined;
    }
    expect(fake.calls).toEqual([]);
  });

  it('connects to an allowlisted address, and only to the one it checked', async () => {
    fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging: 'page' });
    fake.records.push(portalRecord('PKB-1', '2026-11-30T01:00:00+07:00'));
    // 10.20.0.5 is refused (not allowlisted), 127.0.0.1 is allowlisted: the connection goes to the latter.
    const resolver = resolverAnswering('10.20.0.5', '127.0.0.1');
    const url = fake.url('/api/pengaduan').replace('127.0.0.1', 'portal.test');
    polling = await startPolling(
      env,
      portalConfig(fake, {}, { url }),
      (s) => s,
      {},
      {
        outboundHttp: { allowInsecureHttp: true, allowedAddresses: ['127.0.0.0/8'] },
        resolver,
      },
    );
    await ticketCount(1);
    const call = fake.callsTo('poll')[0]!;
    expect(call.headers.host).toBe(new URL(url).host);
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
    await waitFor(async () => polling!.intake.completedPolls >= 2, 5000, 'a second poll');
    // One resolution per connection, never a second one for the same request.
    expect(resolver.calls.length).toBe(fake.callsTo('poll').length);
  });

  it('refuses plain http:// to a host that is not loopback unless allowInsecureHttp is set', async () => {
    fake = await FakePortalServer.start({ paging: 'page' });
    const portal = portalConfig(fake, {}, { url: 'http://perkebbas.example.go.id/api/pengaduan' });
    const deps = {
      portal,
      poll: portal.poll!,
      store: undefined as never,
      alerts: undefined as never,
      log: env.log,
      timeZone: 'Asia/Jakarta',
    };
    expect(() => new PortalPollingIntake(deps)).toThrow(OutboundPolicyError);
    expect(() => new PortalPollingIntake(deps)).toThrow(/use https:\/\/ or set outboundHttp\.allowInsecureHttp/);
    expect(
      () => new PortalPollingIntake({ ...deps, outboundHttp: { allowInsecureHttp: true, allowedAddresses: [] } }),
    ).not.toThrow();
  });
});
