import { MessageWebhookTransport } from '../../../src/channels/shared/message-webhook-transport';
import { messageWebhookSchema } from '../../../src/channels/shared/message-webhook-schema';
import type { OutboundHttpSettings, Resolver } from '../../../src/net/outbound-http';
import type { OutgoingMessage } from '../../../src/outbound/message';
import { PermanentError } from '../../../src/lib/errors';
import { FakePortalServer } from '../../support/fake-portal-server';
import { RecordingServer } from '../../support/recording-server';
import { createTestEnv, type TestEnv } from '../../support/service-harness';
import { TOKEN } from './portal-test-env';

const message: OutgoingMessage = {
  id: 'ADU-2026-000123.solution',
  purpose: 'solution',
  channel: 'perkebbas',
  to: ['PKB-2026-11-00417'],
  subject: 'Tanggapan pengaduan ADU-2026-000123',
  text: 'Akta kelahiran anak Bapak sudah terbit dan dapat diambil.',
};

describe('reply webhooks (portal reply, SMS/WhatsApp gateway) under the outbound-HTTP policy', () => {
  let env: TestEnv;
  let fake: FakePortalServer;
  let other: RecordingServer;

  beforeEach(async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN } });
    other = await RecordingServer.start('127.0.0.2');
  });

  afterEach(async () => {
    await fake.close();
    await other.close();
    await env.cleanup();
  });

  const transport = (
    url = fake.url('/api/pengaduan/{{to}}/tanggapan'),
    network: { settings?: OutboundHttpSettings; resolver?: Resolver } = {},
  ) =>
    new MessageWebhookTransport(
      'perkebbas reply',
      messageWebhookSchema.parse({ url, auth: { kind: 'bearer', token: TOKEN } }),
      (v) => ({ text: v.text }),
      env.log,
      network,
    );

  it.each([307, 308, 302])(
    'a %i redirect to another origin is refused as permanent; that origin sees no request',
    async (status) => {
      fake.redirectNext('reply', status, `${other.origin}/api/pengaduan/PKB-2026-11-00417/tanggapan`);
      const error = await transport()
        .deliver(message)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as Error).message).toMatch(
        /perkebbas reply redirect \(HTTP \d+\) points to another origin \(http:\/\/127\.0\.0\.2:\d+\)/,
      );
      expect(other.requests).toEqual([]);
      expect(fake.callsTo('reply')).toHaveLength(1);
    },
  );

  it('follows a same-origin 307 with the body and credentials', async () => {
    fake.redirectNext('reply', 307, 'self', 2);
    await expect(transport().deliver(message)).resolves.toBe('perkebbas reply: delivered (HTTP 201)');
    const calls = fake.callsTo('reply');
    expect(calls.map((c) => c.status)).toEqual([307, 307, 201]);
    expect(
      calls.every(
        (c) => c.headers.authorization === `Bearer ${TOKEN}` && (c.body as { text?: string })?.text === message.text,
      ),
    ).toBe(true);
  });

  it('refuses a gateway name resolving to a private address; accepts it when allowlisted', async () => {
    const url = fake.url('/api/pengaduan/{{to}}/tanggapan').replace('127.0.0.1', 'gateway.test');
    const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const refused = await transport(url, { settings: { allowInsecureHttp: true, allowedAddresses: [] }, resolver })
      .deliver(message)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect((refused as Error).message).toMatch(
      /gateway\.test resolves to no address we may connect to \(127\.0\.0\.1 is a loopback address/,
    );
    expect(fake.calls).toEqual([]);

    const allowed = transport(url, {
      settings: { allowInsecureHttp: true, allowedAddresses: ['127.0.0.1'] },
      resolver,
    });
    await expect(allowed.deliver(message)).resolves.toBe('perkebbas reply: delivered (HTTP 201)');
    expect(fake.callsTo('reply')[0]!.path).toBe('/api/pengaduan/PKB-2026-11-00417/tanggapan');
  });

  it('keeps a placeholder from moving the request to another host', async () => {
    const hostile = { ...message, to: ['x@127.0.0.2:1/'] };
    await expect(transport().deliver(hostile)).resolves.toContain('delivered');
    expect(other.requests).toEqual([]);
    expect(fake.calls.at(-1)!.path).toBe(`/api/pengaduan/${encodeURIComponent('x@127.0.0.2:1/')}/tanggapan`);
  });
});
