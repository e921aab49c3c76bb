import { createServer } from 'node:net';
import type { RunningService } from '../../src/main';
import type { OutgoingMessage } from '../../src/outbound/message';
import { SmtpTransport } from '../../src/outbound/smtp-transport';
import { createTestEnv, startTestService, type TestEnv } from '../support/service-harness';
import { SmtpSink } from '../support/smtp-sink';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const message: OutgoingMessage = {
  id: 'ADU-2026-000321.ack',
  purpose: 'acknowledgement',
  channel: 'email',
  to: ['warga@example.com'],
  subject: 'Pengaduan Anda kami terima',
  text: 'Terima kasih, pengaduan Anda kami terima.',
};
const from = { address: 'pengaduan@aduan.test', name: 'Aduan' };

describe('SMTP and TLS (real SMTP server without STARTTLS)', () => {
  let sink: SmtpSink;
  beforeEach(async () => {
    sink = await SmtpSink.start();
  });
  afterEach(() => sink.stop());

  it('refuses to send in clear when TLS is required, and sends on loopback by default', async () => {
    const required = new SmtpTransport({ host: '127.0.0.1', port: sink.port, secure: false, requireTLS: true }, from);
    await expect(required.deliver(message)).rejects.toThrow(/STARTTLS/i);
    await required.close();
    expect(sink.received).toHaveLength(0);

    const loopback = new SmtpTransport({ host: '127.0.0.1', port: sink.port, secure: false }, from);
    await expect(loopback.deliver(message)).resolves.toMatch(/^smtp: /);
    await loopback.close();
    expect(sink.received).toHaveLength(1);
  });
});

describe('monitoring token on /metrics and /readyz', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  it('/metrics and /readyz: 401 without the token, 200 with it; /healthz (liveness) needs none', async () => {
    const port = await freePort();
    const token = 'monitoring-token-0123456789abcdef';
    env = createTestEnv((c) => ({ ...c, service: { ...c.service, healthPort: port, monitoringToken: token } }));
    service = await startTestService(env, { health: true });
    const base = `http://127.0.0.1:${port}`;
    const bearer = (value: string) => ({ headers: { authorization: `Bearer ${value}` } });

    const anonymous = await fetch(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="aduan"');
    expect(await anonymous.text()).not.toContain('aduan_');
    expect((await fetch(`${base}/metrics`, bearer('wrong-token'))).status).toBe(401);
    const authorized = await fetch(`${base}/metrics`, bearer(token));
    expect(authorized.status).toBe(200);
    expect(await authorized.text()).toContain('aduan_queue_jobs');

    const liveness = await fetch(`${base}/healthz`);
    expect(liveness.status).toBe(200);
    expect(await liveness.json()).toMatchObject({ status: 'alive' });
    expect((await fetch(`${base}/readyz`)).status).toBe(401);
    expect((await fetch(`${base}/readyz`, bearer('wrong-token'))).status).toBe(401);
    const detailed = await fetch(`${base}/readyz`, bearer(token));
    expect(await detailed.json()).toMatchObject({
      status: 'ok',
      redis: { ok: true },
      store: { ok: true },
      channels: [],
    });
  });

  it('without a token both stay open (the default)', async () => {
    const port = await freePort();
    env = createTestEnv((c) => ({ ...c, service: { ...c.service, healthPort: port, monitoringToken: '' } }));
    service = await startTestService(env, { health: true });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toMatchObject({
      status: 'ok',
      redis: { ok: true },
    });
  });
});
