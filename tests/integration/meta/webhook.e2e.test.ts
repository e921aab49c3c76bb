import { hubSignature, metaJson, postWebhook } from '../../support/fake-graph-server';
import { waitFor } from '../../support/service-harness';
import { APP_SECRET, BUDI, RINA, startMetaHarness, VERIFY_TOKEN, type MetaHarness } from './meta-test-env';

describe('Meta webhook receiver end to end', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('answers the hub.* verification handshake only with the right verify token', async () => {
    h = await startMetaHarness({ webhook: true, polling: { intervalMs: 60_000 } });
    const verify = (token: string) =>
      fetch(`${h!.webhookUrl()}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`);
    const ok = await verify(VERIFY_TOKEN);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    expect((await verify('wrong')).status).toBe(403);
    expect((await fetch(h.webhookUrl().replace('/webhooks/meta', '/elsewhere'))).status).toBe(404);
  });

  it('rejects a bad signature with 401 and logs it without the body; nothing is submitted', async () => {
    h = await startMetaHarness({ webhook: true, polling: { intervalMs: 60_000 } });
    const secretText = 'Rahasia: NIK saya 1211010101900001 dan alamat Jl. Sisingamangaraja';
    const payload = {
      object: 'page',
      entry: [
        {
          id: '104000000000001',
          time: Date.now(),
          messaging: [
            {
              sender: { id: BUDI.id },
              recipient: { id: '104000000000001' },
              timestamp: Date.now(),
              message: { mid: 'm_forged', text: secretText },
            },
          ],
        },
      ],
    };

    const forged = await postWebhook(h.webhookUrl(), payload, 'not-the-app-secret');
    const unsigned = await postWebhook(h.webhookUrl(), payload, APP_SECRET, { signature: '' });
    // Signed, then altered after signing: the signature covers the exact bytes.
    const altered = await fetch(h.webhookUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature(metaJson(payload), APP_SECRET),
      },
      body: metaJson({ ...payload, object: 'instagram' }),
    });
    expect([forged.status, unsigned.status, altered.status]).toEqual([401, 401, 401]);

    await new Promise((r) => setTimeout(r, 300));
    expect(await h.tickets()).toEqual([]);
    const rejections = h.env.logLines.filter((l) => l.includes('webhook signature mismatch'));
    expect(rejections).toHaveLength(3);
    expect(h.env.logLines.join('\n')).not.toContain('Sisingamangaraja');
  });

  it('takes a webhook message in within a second, answers once, and polling later adds nothing', async () => {
    h = await startMetaHarness({ webhook: true, polling: { intervalMs: 1500 } });
    await h.passes(2);
    const { messageId } = h.fake.addInbound(
      'instagram',
      RINA,
      'Selamat malam min, KIA anak saya kapan bisa diambil? 🙏',
    );
    const delivered = await postWebhook(h.webhookUrl(), h.fake.webhookPayloadFor(messageId), APP_SECRET);
    expect(delivered.status).toBe(200);
    expect(delivered.ms).toBeLessThan(1000);

    const ticket = await waitFor(async () => (await h!.tickets())[0], 10_000, 'the ticket from the webhook');
    expect(ticket).toMatchObject({
      channel: 'instagram',
      sourceId: messageId,
      meta: { via: 'webhook' },
      text: 'Selamat malam min, KIA anak saya kapan bisa diambil? 🙏',
    });
    await waitFor(async () => h!.fake.sendCalls().length === 1, 10_000, 'the reply');

    // A redelivery and the next polling passes see the same mid: nothing new.
    expect((await postWebhook(h.webhookUrl(), h.fake.webhookPayloadFor(messageId), APP_SECRET)).status).toBe(200);
    await h.passCompleted('instagram');
    await h.passCompleted('instagram');
    expect(await h.tickets()).toHaveLength(1);
    expect(h.fake.sendCalls()).toHaveLength(1);
  });

  it('still takes in a message whose webhook never came (polling reconciles)', async () => {
    h = await startMetaHarness({ webhook: true });
    const { messageId } = h.fake.addInbound('messenger', BUDI, 'Webhook hilang, tapi pesan ini tetap harus tercatat');
    const ticket = await waitFor(async () => (await h!.tickets())[0], 10_000, 'the ticket from polling');
    expect(ticket).toMatchObject({ sourceId: messageId, meta: { via: 'polling' } });
    await waitFor(async () => h!.fake.sendCalls().length === 1, 10_000, 'the reply');
  });
});
