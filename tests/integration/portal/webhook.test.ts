import { PortalWebhookIntake, type PortalConfig } from '../../../src/channels/portal';
import { signBody } from '../../../src/channels/portal/webhook-signature';
import type { RunningService } from '../../../src/main';
import { FakePortalServer, portalRecord } from '../../support/fake-portal-server';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { portalConfig } from './portal-test-env';

const SECRET = 'perkebbas-webhook-secret-4f1c9a';

describe('signed push endpoint for portals that push', () => {
  let env: TestEnv;
  let service: RunningService | undefined;
  let webhook: PortalWebhookIntake | undefined;
  let portal: PortalConfig;

  afterEach(async () => {
    await webhook?.stop();
    await service?.stop();
    webhook = undefined;
    service = undefined;
    await env.cleanup();
  });

  async function start(): Promise<PortalWebhookIntake> {
    env = createTestEnv();
    const fake = await FakePortalServer.start();
    portal = portalConfig(fake, {
      webhook: { enabled: true, port: 0, secret: SECRET, signatureHeader: 'X-Perkebbas-Signature' },
    });
    await fake.close(); // only its URL was needed for the (unused) poll section
    service = await startTestService(env);
    webhook = new PortalWebhookIntake({
      portal,
      store: service.store,
      log: env.log.child({ channel: 'perkebbas-webhook' }),
      timeZone: 'Asia/Jakarta',
    });
    await webhook.start(service.sink);
    return webhook;
  }

  const post = (url: string, body: string, signature?: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature !== undefined ? { 'x-perkebbas-signature': signature } : {}),
      },
      body,
    });

  it('takes a record with a good signature once, and rejects bad or missing signatures with 401 without logging the body', async () => {
    const hook = await start();
    const record = portalRecord('PKB-77', '2026-11-30T09:00:00+07:00', {
      isi: 'Mohon bantuan, KTP-el saya hilang di Sumbul dan perlu dicetak ulang segera.',
    });
    const body = JSON.stringify(record);

    const good = await post(hook.url(), body, `sha256=${signBody(body, SECRET)}`);
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ received: 1, queued: 1, duplicate: 0, quarantined: 0 });
    const again = await post(hook.url(), body, signBody(body, SECRET));
    expect(await again.json()).toEqual({ received: 1, queued: 0, duplicate: 1, quarantined: 0 });

    const forged = JSON.stringify({ ...record, id: 'PKB-78' });
    expect((await post(hook.url(), forged, signBody(body, SECRET))).status).toBe(401);
    expect((await post(hook.url(), forged, signBody(forged, 'wrong-secret-wrong-secret'))).status).toBe(401);
    expect((await post(hook.url(), forged)).status).toBe(401);
    expect((await post(hook.url(), forged, 'sha256=zz')).status).toBe(401);

    await waitFor(async () => (await service!.store.countTickets()) === 1, 10_000, 'the ticket');
    await new Promise((r) => setTimeout(r, 200));
    expect(await service!.store.countTickets()).toBe(1);
    expect((await service!.store.findBySource('perkebbas', 'PKB-77'))?.complainant.phone).toBe('+6281265553210');
    const rejections = env.logLines.filter((l) => l.includes('signature missing or wrong'));
    expect(rejections).toHaveLength(4);
    expect(rejections.map((l) => JSON.parse(l).signed)).toEqual([true, true, false, true]);
    expect(env.logLines.join('\n')).not.toContain('KTP-el saya hilang');
    expect(env.logLines.join('\n')).not.toContain('Marihot');

    // After a restart on the same store and Redis prefix, the portal sending the record again adds nothing.
    await webhook!.stop();
    await service!.stop();
    service = await startTestService(env);
    webhook = new PortalWebhookIntake({ portal, store: service.store, log: env.log, timeZone: 'Asia/Jakarta' });
    await webhook.start(service.sink);
    const resent = await post(webhook.url(), body, signBody(body, SECRET));
    expect(await resent.json()).toEqual({ received: 1, queued: 0, duplicate: 1, quarantined: 0 });
    expect(await service.store.countTickets()).toBe(1);
  });

  it('takes an array of records, quarantining the one that does not match the mapping; unsigned garbage and signed non-JSON are refused', async () => {
    const hook = await start();
    const drifted = portalRecord('PKB-2', '2026-11-30T10:00:00+07:00');
    delete drifted.isi;
    const body = JSON.stringify([portalRecord('PKB-1', '2026-11-30T09:00:00+07:00'), drifted]);
    const response = await post(hook.url(), body, signBody(body, SECRET));
    expect(await response.json()).toEqual({ received: 2, queued: 1, duplicate: 0, quarantined: 1 });
    const [quarantined] = await service!.store.listQuarantine();
    expect(quarantined).toMatchObject({
      channel: 'perkebbas',
      sourceId: 'PKB-2',
      reason: 'perkebbas: mapping text ← "isi": missing in the record',
    });

    const notJson = 'not json at all';
    expect((await post(hook.url(), notJson, signBody(notJson, SECRET))).status).toBe(400);
    expect((await fetch(hook.url(), { method: 'GET' })).status).toBe(405);
    expect(
      (await fetch(hook.url().replace('/webhooks/perkebbas', '/other'), { method: 'POST', body: '{}' })).status,
    ).toBe(404);
    expect(webhook!.health().state).toBe('ok');
  });
});
