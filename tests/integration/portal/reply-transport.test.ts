import { createPortalReplyTransport } from '../../../src/channels/portal';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { FakePortalServer, portalRecord } from '../../support/fake-portal-server';
import { createTestEnv, waitFor, type TestEnv } from '../../support/service-harness';
import { portalConfig, startPolling, TOKEN, type Polling } from './portal-test-env';

describe('replies on the portal (initial response and staff solutions)', () => {
  let env: TestEnv;
  let fake: FakePortalServer;
  let polling: Polling | undefined;

  afterEach(async () => {
    await polling?.stop();
    polling = undefined;
    await fake.close();
    await env.cleanup();
  });

  it('POSTs the initial response to the reply endpoint with the templated body and an idempotency key; a 503 is retried', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging: 'page' });
    fake.records.push(portalRecord('PKB-2026-11-00417', '2026-11-30T08:30:00+07:00'));
    fake.failNext('reply', 503, { 'retry-after': '0' });
    const portal = portalConfig(fake, {
      reply: {
        url: fake.url('/api/pengaduan/{{to}}/tanggapan'),
        auth: { kind: 'bearer', token: TOKEN },
        bodyTemplate: { tanggapan: '{{text}}', referensi: 'Tiket {{ticketNumber}}', jenis: '{{purpose}}' },
      },
    });
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, {
      address: 'pengaduan@aduan.test',
      name: 'Aduan',
    });
    polling = await startPolling(env, portal, (s) => s, {
      transports: { citizen: { perkebbas: createPortalReplyTransport(portal, env.log)! }, team: outbox },
    });

    const delivered = await waitFor(
      async () => fake.callsTo('reply').find((c) => c.status === 201),
      10_000,
      'the reply',
    );
    const [ticket] = await polling.service.store.listTickets({});
    expect(fake.callsTo('reply').map((c) => c.status)).toEqual([503, 201]);
    expect(delivered.path).toBe('/api/pengaduan/PKB-2026-11-00417/tanggapan');
    expect(delivered.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(delivered.headers['idempotency-key']).toBe(`${ticket!.ticketNumber}.ack`);
    expect(delivered.body).toEqual({
      tanggapan: expect.stringContaining(ticket!.ticketNumber),
      referensi: `Tiket ${ticket!.ticketNumber}`,
      jenis: 'acknowledgement',
    });
    const done = await waitFor(
      async () => {
        const t = await polling!.service.store.getTicket(ticket!.id);
        return t?.history.some((h) => h.event === 'acknowledged') ? t : undefined;
      },
      10_000,
      'the acknowledged entry',
    );
    expect(done.history.find((h) => h.event === 'acknowledged')?.note).toBe('respon awal dikirim ke perkebbas');
    const effect = (await polling.service.store.listEffects(ticket!.id)).find((e) => e.kind === 'respond');
    expect(effect?.detail).toBe('perkebbas reply: delivered (HTTP 201)');
  });
});
