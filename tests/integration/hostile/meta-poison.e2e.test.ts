import { readFileSync } from 'node:fs';
import { waitFor } from '../../support/service-harness';
import { BUDI, startMetaHarness, type MetaHarness } from '../meta/meta-test-env';

/**
 * The Meta poller (real adapter, fake Graph API) meets a message its normalizer cannot read — a
 * `message` that is a number instead of text makes it throw. Before the poison guard every pass
 * stopped there and the conversation was stuck for good; now it is tried three times, set aside
 * with its raw JSON, the admins are told once, and the next message of the conversation flows.
 */

jest.setTimeout(60_000);

let h: MetaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

it('sets aside a message that makes normalization throw, and answers the next one', async () => {
  h = await startMetaHarness();
  const at = Date.now() - 10_000;
  const poison = h.fake.addInbound('messenger', BUDI, 12345 as unknown as string, { at });
  const normal = h.fake.addInbound('messenger', BUDI, 'Selamat pagi, KTP elektronik saya belum jadi sudah 3 bulan', {
    at: at + 1000,
  });

  const [send] = await waitFor(
    async () => (h!.fake.sendCalls().length > 0 ? h!.fake.sendCalls() : undefined),
    20_000,
    'the reply to the message behind the poison',
  );
  const [ticket] = await h.tickets();
  expect(ticket).toMatchObject({ channel: 'messenger', sourceId: normal.messageId });
  expect(send!.body).toMatchObject({ recipient: { id: BUDI.id } });

  const record = (await h.service.store.listQuarantine(10)).find((r) => r.sourceId === poison.messageId);
  expect(record).toMatchObject({
    channel: 'messenger',
    reason: expect.stringMatching(/poison message: reading failed: TypeError.*3 attempt\(s\)/),
  });
  const payload = JSON.parse(record!.payload) as { rawFile: string };
  expect(JSON.parse(readFileSync(payload.rawFile, 'utf8'))).toMatchObject({ id: poison.messageId, message: 12345 });
  expect(h.env.logLines.filter((l) => l.includes('"admin alert"') && l.includes('poison-meta:messenger'))).toHaveLength(
    1,
  );

  await h.passes(3);
  expect(await h.tickets()).toHaveLength(1);
  expect(h.fake.sendCalls()).toHaveLength(1);
});
