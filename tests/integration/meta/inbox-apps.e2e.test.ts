import { INBOX_APP_ID, OUR_APP_ID, postWebhook } from '../../support/fake-graph-server';
import { waitFor } from '../../support/service-harness';
import { APP_SECRET, BUDI, startMetaHarness, type MetaHarness } from './meta-test-env';

const KONSOLIDASI = 'NIK saya ditolak waktu daftar BPJS Kesehatan karena data tidak padan. Mohon dibantu konsolidasi.';
/** Another app on the Page: an away-message tool or a chatbot (any id not listed in inboxAppIds). */
const BOT_APP_ID = '987654321012345';

describe('Meta echoes from apps other than the Page inbox (channels.meta.inboxAppIds)', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('an away reply or a bot is a note that never resolves; the listed inbox app still answers', async () => {
    h = await startMetaHarness({
      webhook: true,
      polling: { intervalMs: 60_000 },
      meta: { appId: OUR_APP_ID, inboxAppIds: [INBOX_APP_ID] },
    });
    const post = async (payload: Record<string, unknown>) =>
      expect((await postWebhook(h!.webhookUrl(), payload, APP_SECRET)).status).toBe(200);
    const { messageId } = h.fake.addInbound('messenger', BUDI, KONSOLIDASI);
    await post(h.fake.webhookPayloadFor(messageId));
    const ticket = await waitFor(async () => (await h!.tickets())[0], 10_000, 'the ticket');

    const away = h.fake.addInboxAnswer('messenger', BUDI, 'Terima kasih, pesan Anda akan kami balas pada jam kerja.', {
      appId: BOT_APP_ID,
    });
    await post(away.payload);
    const noted = await waitFor(
      async () => (await h!.service.store.getTicket(ticket.id))?.history.find((e) => e.ref === away.messageId),
      10_000,
      'the note',
    );
    expect(noted).toMatchObject({
      event: 'note',
      by: `app-${BOT_APP_ID}`,
      note: expect.stringContaining('bukan jawaban'),
    });
    const afterAway = (await h.service.store.getTicket(ticket.id))!;
    expect(afterAway.status).not.toBe('resolved');
    expect(afterAway.history.filter((e) => e.event === 'staff-reply')).toEqual([]);

    const answer = h.fake.addInboxAnswer('messenger', BUDI, 'Data Bapak sudah kami konsolidasi.');
    await post(answer.payload);
    await waitFor(
      async () => (await h!.service.store.getTicket(ticket.id))?.status === 'resolved',
      10_000,
      'resolved by the inbox answer',
    );
  });
});
