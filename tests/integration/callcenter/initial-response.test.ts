import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCallCenterReplyTransport } from '../../../src/channels/callcenter';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { FakePortalServer } from '../../support/fake-portal-server';
import { createTestEnv, waitFor, type TestEnv } from '../../support/service-harness';
import { callCenterConfig, callRow, HEADER, logFolder, startWatching, type Watching } from './callcenter-test-env';

describe('initial response for call-center complaints', () => {
  let env: TestEnv;
  let watching: Watching | undefined;
  let gateway: FakePortalServer | undefined;

  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(async () => {
    await watching?.stop();
    await gateway?.close();
    watching = undefined;
    gateway = undefined;
    await env.cleanup();
  });

  const respondedTicket = () =>
    waitFor(
      async () => {
        const [ticket] = await watching!.service.store.listTickets({});
        return ticket?.history.some((h) => h.event === 'acknowledged' || h.event === 'acknowledgement-skipped')
          ? ticket
          : undefined;
      },
      10_000,
      'the initial-response entry',
    );

  it('without a gateway sends nothing and notes on the ticket that the agent answered on the phone', async () => {
    const folder = logFolder(env);
    writeFileSync(path.join(folder, 'calls.csv'), HEADER + callRow(1));
    // createTransports in outbox mode: call-center is not a channel with automatic replies.
    watching = await startWatching(env, callCenterConfig(folder), (s) => s, { transports: undefined });
    const ticket = await respondedTicket();
    expect(ticket.history.find((h) => h.event === 'acknowledgement-skipped')?.note).toBe(
      'kanal ini tidak memiliki balasan otomatis; respon awal disampaikan langsung oleh petugas',
    );
    expect(ticket.history.some((h) => h.event === 'acknowledged')).toBe(false);
  });

  it('with a gateway POSTs {to, text} to it and records the response as sent', async () => {
    gateway = await FakePortalServer.start({
      auth: { kind: 'api-key', header: 'X-API-Key', value: 'kunci-gateway-sms' },
    });
    const folder = logFolder(env);
    writeFileSync(path.join(folder, 'calls.csv'), HEADER + callRow(1));
    const config = callCenterConfig(folder, {
      gateway: {
        url: gateway.url('/sms/send'),
        auth: { kind: 'api-key', header: 'X-API-Key', value: 'kunci-gateway-sms' },
      },
    });
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, {
      address: 'pengaduan@aduan.test',
      name: 'Aduan',
    });
    watching = await startWatching(env, config, (s) => s, {
      transports: { citizen: { 'call-center': createCallCenterReplyTransport(config, env.log)! }, team: outbox },
    });
    const ticket = await respondedTicket();
    const [sms] = gateway.callsTo('gateway');
    expect(sms!.body).toEqual({ to: '+6281210000001', text: expect.stringContaining(ticket.ticketNumber) });
    expect(sms!.headers['idempotency-key']).toBe(`${ticket.ticketNumber}.ack`);
    expect(ticket.history.find((h) => h.event === 'acknowledged')?.note).toBe('respon awal dikirim ke call-center');
    expect(ticket.status).not.toBe('received');
  });
});
