import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import type { ChannelHealth, ChannelIntake } from '../../src/channels/channel';
import type { RunningService } from '../../src/main';
import { packageVersion } from '../../src/lib/version';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../support/service-harness';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A channel whose state the test sets, standing in for an adapter whose credentials were revoked. */
class ScriptedChannel implements ChannelIntake {
  readonly name = 'scripted';
  state: ChannelHealth = { name: 'scripted', state: 'ok', lastSuccessAt: '2026-11-30T02:00:00.000Z', submitted: 3 };
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  health(): ChannelHealth {
    return this.state;
  }
}

describe('/healthz, /readyz and /metrics', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    await env.cleanup();
  });

  test('/readyz: 200 with Redis, store and channel states; degraded when a channel fails; 404 elsewhere', async () => {
    const port = await freePort();
    env = createTestEnv((c) => ({ ...c, service: { ...c.service, healthPort: port } }));
    const channel = new ScriptedChannel();
    service = await startTestService(env, { channels: [channel], health: true });

    const ok = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: 'ok',
      redis: { ok: true },
      store: { ok: true },
      channels: [{ name: 'scripted', state: 'ok', lastSuccessAt: '2026-11-30T02:00:00.000Z', submitted: 3 }],
      version: packageVersion(),
      uptimeSeconds: expect.any(Number),
    });

    channel.state = { ...channel.state, state: 'failed', lastError: 'token expired (190)' };
    const degraded = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toMatchObject({
      status: 'degraded',
      channels: [{ state: 'failed', lastError: 'token expired (190)' }],
    });

    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });

  test('GET /metrics: complaints by channel and kind, quarantined records, queue depths, channel state', async () => {
    const port = await freePort();
    env = createTestEnv((c) => ({ ...c, service: { ...c.service, healthPort: port } }));
    const channel = new ScriptedChannel();
    service = await startTestService(env, { channels: [channel], health: true });
    const complaint = {
      channel: 'email',
      sourceId: '<m-1@mail.gmail.com>',
      receivedAt: '2026-11-30T09:00:00+07:00',
      complainant: { email: 'warga@example.com' },
      text: 'NIK saya ditolak waktu daftar BPJS Kesehatan, mohon konsolidasi NIK',
    };
    await service.sink.submit(complaint, { channel: 'email' });
    await service.sink.submit(
      { ...complaint, sourceId: '<m-2@mail.gmail.com>', receivedAt: 'kemarin' },
      { channel: 'email' },
    );
    await waitFor(() => service!.store.findBySource('email', '<m-1@mail.gmail.com>'), 10_000, 'ticket');

    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('aduan_complaints_total{channel="email",category="nik-consolidation"} 1');
    expect(text).toContain('aduan_quarantined_total{channel="email"} 1');
    expect(text).toMatch(/aduan_queue_jobs\{queue="dead-letter",state="waiting"\} 0/);
    expect(text).toContain('aduan_channel_up{channel="scripted"} 1');
    expect(text).toContain(
      `aduan_channel_last_success_seconds{channel="scripted"} ${Date.parse('2026-11-30T02:00:00.000Z') / 1000}`,
    );
    // The example alert rules and dashboard (ops/) name only metrics that exist.
    const examples = ['prometheus-alerts.yml', 'grafana-dashboard.json'].map((f) =>
      readFileSync(path.join(__dirname, '../../ops', f), 'utf8'),
    );
    const alertRules = parse(examples[0]!) as { groups: Array<{ rules: Array<{ expr: string }> }> };
    const dashboard = JSON.parse(examples[1]!) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const expressions = [
      ...alertRules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ];
    const named = new Set(expressions.flatMap((e) => e.match(/\b(?:aduan|process|nodejs)_[a-z0-9_]+/g) ?? []));
    expect(named.size).toBeGreaterThan(10);
    for (const name of named) expect(text).toContain(`# TYPE ${name.replace(/_(bucket|count|sum)$/, '')} `);
    // Node's own process metrics.
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
  });

  test('latency histograms: receipt to initial response and to the team mail, per channel', async () => {
    const port = await freePort();
    env = createTestEnv((c) => ({ ...c, service: { ...c.service, healthPort: port } }));
    service = await startTestService(env, { health: true });
    const receivedAt = new Date(Date.now() - 90_000).toISOString(); // 90 s ago
    await service.sink.submit(
      {
        channel: 'email',
        sourceId: '<lat-1@mail.gmail.com>',
        receivedAt,
        complainant: { email: 'warga@example.com' },
        text: 'NIK saya ditolak waktu daftar BPJS Kesehatan, mohon konsolidasi NIK',
      },
      { channel: 'email' },
    );
    const ticket = await waitFor(
      () => service!.store.findBySource('email', '<lat-1@mail.gmail.com>'),
      10_000,
      'ticket',
    );
    await waitFor(
      async () => (await service!.store.getTicket(ticket.id))?.status === 'routed',
      10_000,
      'respond and route done',
    );
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of ['aduan_first_response_seconds', 'aduan_routed_seconds']) {
      expect(text).toContain(`${name}_count{channel="email"} 1`);
      // 90 s after receipt: past the 60 s bucket, inside the 120 s one.
      expect(text).toContain(`${name}_bucket{le="60",channel="email"} 0`);
      expect(text).toContain(`${name}_bucket{le="120",channel="email"} 1`);
    }
  });

  test('HEAD is answered like GET without a body; the token guards /readyz and /metrics, never /healthz', async () => {
    const port = await freePort();
    const token = 'monitoring-token-0123456789';
    env = createTestEnv((c) => ({ ...c, service: { ...c.service, healthPort: port, monitoringToken: token } }));
    service = await startTestService(env, { health: true });
    const base = `http://127.0.0.1:${port}`;

    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const alive = await fetch(`${base}/healthz`);
    expect(await alive.json()).toEqual({
      status: 'alive',
      version: packageVersion(),
      uptimeSeconds: expect.any(Number),
    });

    for (const route of ['/readyz', '/metrics']) {
      expect((await fetch(`${base}${route}`)).status).toBe(401);
      expect((await fetch(`${base}${route}`, { method: 'HEAD' })).status).toBe(401);
      const auth = { headers: { authorization: `Bearer ${token}` } };
      expect((await fetch(`${base}${route}`, auth)).status).toBe(200);
      expect((await fetch(`${base}${route}`, { ...auth, method: 'HEAD' })).status).toBe(200);
    }
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  test('503 when the store does not answer', async () => {
    const port = await freePort();
    env = createTestEnv((c) => ({ ...c, service: { ...c.service, healthPort: port } }));
    service = await startTestService(env, { health: true });
    service.store.ping = async () => {
      throw new Error('disk I/O error');
    };
    const down = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'down', store: { ok: false, error: 'disk I/O error' } });
    // Liveness is not readiness: the process still answers, so the container is not restarted for it.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
