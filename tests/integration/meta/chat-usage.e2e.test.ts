import type { OfficeCalendar } from '../../../src/domain/sla';
import { SlaSweep } from '../../../src/pipeline/sla-sweep';
import { OUR_APP_ID, postWebhook } from '../../support/fake-graph-server';
import { waitFor } from '../../support/service-harness';
import { APP_SECRET, BUDI, IG_ID, PAGE_ID, RINA, startMetaHarness, type MetaHarness } from './meta-test-env';

const KONSOLIDASI =
  'NIK saya ditolak waktu daftar BPJS Kesehatan karena data tidak padan. Mohon dibantu konsolidasi. Saya tinggal di Sidikalang.';
const PROMPT = /Silakan tuliskan pengaduan Anda/;

/** Messenger and Instagram as citizens and staff use them, through the signed webhook and the fake Graph API. */
describe('Meta chat usage end to end', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });
  const start = () => startMetaHarness({ webhook: true, polling: { intervalMs: 60_000 }, meta: { appId: OUR_APP_ID } });
  const post = async (payload: Record<string, unknown>) =>
    expect((await postWebhook(h!.webhookUrl(), payload, APP_SECRET)).status).toBe(200);
  const settle = () => new Promise((r) => setTimeout(r, 400));
  const sentTexts = (id: string) => h!.fake.sentTo(id).map((m) => m.text ?? '');

  it('greetings open no ticket: one prompt a day, and the complaint that follows carries the whole conversation', async () => {
    h = await start();
    const first = Date.now() - 60_000;
    const halo = h.fake.citizenNotification('messenger', BUDI, { message: { text: 'halo min' } }, { at: first });
    await post(halo.payload);
    await waitFor(async () => sentTexts(BUDI.id).length === 1, 5_000, 'the prompt');
    expect(sentTexts(BUDI.id)[0]).toMatch(PROMPT);
    await post(
      h.fake.citizenNotification('messenger', BUDI, { message: { text: 'selamat siang bapak/ibu 🙏🙏🙏' } }).payload,
    );
    await post(h.fake.citizenNotification('messenger', BUDI, { message: { text: 'p' } }).payload);
    await settle();
    expect(await h.tickets()).toEqual([]);
    expect(sentTexts(BUDI.id)).toHaveLength(1); // at most one prompt per conversation per day

    // A redelivered greeting is still nothing new.
    await post(halo.payload);
    const content = h.fake.citizenNotification('messenger', BUDI, { message: { text: KONSOLIDASI } });
    await post(content.payload);
    const ticket = await waitFor(async () => (await h!.tickets())[0], 10_000, 'the ticket');
    expect(ticket.sourceId).toBe(content.messageId);
    expect(ticket.receivedAt).toBe(new Date(first).toISOString());
    expect(ticket.text.split('\n')).toEqual(['halo min', 'selamat siang bapak/ibu 🙏🙏🙏', 'p', KONSOLIDASI]);
    expect(ticket.classification.category).toBe('nik-consolidation');
    await waitFor(async () => sentTexts(BUDI.id).length === 2, 10_000, 'the initial response');
    expect(await h.tickets()).toHaveLength(1);
  });

  it('stickers, story mentions, menu taps and "Get Started" open no ticket; a photo alone does', async () => {
    h = await start();
    await post(
      h.fake.citizenNotification('messenger', BUDI, {
        message: {
          attachments: [{ type: 'image', payload: { url: 'https://cdn.example/s.png', sticker_id: 369239263222822 } }],
        },
      }).payload,
    );
    await post(
      h.fake.citizenNotification('messenger', BUDI, {
        postback: { title: 'Get Started', payload: 'GET_STARTED' },
      }).payload,
    );
    await post(
      h.fake.citizenNotification('messenger', BUDI, {
        message: { text: 'Tanya syarat', quick_reply: { payload: 'MENU_SYARAT' } },
      }).payload,
    );
    await post(
      h.fake.citizenNotification('instagram', RINA, {
        message: { attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside.example/story' } }] },
      }).payload,
    );
    await settle();
    expect(await h.tickets()).toEqual([]);
    expect(sentTexts(BUDI.id)).toHaveLength(1);
    expect(sentTexts(RINA.id)).toHaveLength(1);

    const photo = h.fake.citizenNotification('instagram', RINA, {
      message: { attachments: [{ type: 'image', payload: { url: 'https://lookaside.example/ktp.jpg' } }] },
    });
    await post(photo.payload);
    const ticket = await waitFor(async () => (await h!.tickets())[0], 10_000, 'the photo ticket');
    expect(ticket).toMatchObject({ channel: 'instagram', sourceId: photo.messageId, team: 'triase' });
  });

  it('an answer typed in the Page inbox resolves the ticket without a relay; our own echoes are ignored; no reminder follows', async () => {
    h = await start();
    const { messageId } = h.fake.addInbound('messenger', BUDI, KONSOLIDASI);
    await post(h.fake.webhookPayloadFor(messageId));
    const ticket = await waitFor(
      async () => (await h!.tickets()).find((t) => t.status === 'acknowledged' || t.status === 'routed'),
      10_000,
      'the ticket',
    );
    await waitFor(async () => sentTexts(BUDI.id).length === 1, 10_000, 'the initial response');
    // Our own Send API message comes back as an echo with our app id: nothing happens.
    const ownEcho = h.fake.webhookPayloadFor(h.fake.sentTo(BUDI.id)[0]!.id);
    await post(ownEcho);

    const answer = h.fake.addInboxAnswer(
      'messenger',
      BUDI,
      'Data Bapak sudah kami konsolidasi, silakan coba daftar BPJS lagi.',
    );
    await post(answer.payload);
    const answered = await waitFor(
      async () =>
        (await h!.service.store.getTicket(ticket.id))?.status === 'resolved'
          ? h!.service.store.getTicket(ticket.id)
          : undefined,
      10_000,
      'the inbox answer',
    );
    expect(answered!.history.filter((e) => e.event === 'staff-reply')).toEqual([
      expect.objectContaining({
        by: 'page-inbox',
        ref: answer.messageId,
        note: expect.stringContaining('dibalas langsung di kotak masuk Page'),
      }),
    ]);
    expect(answered!.history.filter((e) => e.event === 'resolved')).toHaveLength(1);
    await settle();
    expect(sentTexts(BUDI.id)).toHaveLength(2); // the initial response and the staff's own answer; nothing relayed
    expect(h.fake.sendCalls()).toHaveLength(1);

    // The citizen thanks the office: no new ticket, and no prompt to write a complaint.
    await post(h.fake.citizenNotification('messenger', BUDI, { message: { text: 'terima kasih min 🙏' } }).payload);
    await settle();
    expect(h.fake.sendCalls()).toHaveLength(1);
    expect(await h.tickets()).toHaveLength(1);

    // The SLA sweep, run past the due time, leaves the answered ticket alone but escalates an unanswered one.
    const other = h.fake.addInbound('messenger', { id: '7000000000000009', name: 'Sari' }, KONSOLIDASI);
    await post(h.fake.webhookPayloadFor(other.messageId));
    await waitFor(
      async () => (await h!.service.store.listSlaCandidates('2000-01-01T00:00:00Z', 10)).length === 1,
      10_000,
      'the second ticket routed',
    );
    const sweep = new SlaSweep({
      store: h.service.store,
      effects: h.service.queues.effects,
      calendar: {
        timeZone: 'Asia/Jakarta',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, '00:00-24:00'])),
        holidays: [],
      } as OfficeCalendar,
      reminderAtShare: 0.5,
      intervalMs: 60_000,
      log: h.env.log,
    });
    const candidates = await h.service.store.listSlaCandidates('2000-01-01T00:00:00Z', 10);
    expect(candidates.map((c) => c.ticketId)).not.toContain(ticket.id);
    expect(await sweep.runOnce(Date.now() + 7 * 24 * 3_600_000)).toEqual({ reminders: 0, escalations: 1 });
  });

  it('an inbox answer starting with #tanya keeps the ticket open', async () => {
    h = await start();
    const { messageId } = h.fake.addInbound('instagram', RINA, KONSOLIDASI);
    await post(h.fake.webhookPayloadFor(messageId));
    const ticket = await waitFor(async () => (await h!.tickets())[0], 10_000, 'the ticket');
    const answer = h.fake.addInboxAnswer('instagram', RINA, '#tanya\nBoleh kirimkan foto KK Ibu?');
    await post(answer.payload);
    const asked = await waitFor(
      async () => (await h!.service.store.getTicket(ticket.id))?.history.find((e) => e.event === 'staff-reply'),
      10_000,
      'the question recorded',
    );
    expect(asked).toMatchObject({ by: 'page-inbox', ref: answer.messageId });
    expect((await h.service.store.getTicket(ticket.id))!.status).not.toBe('resolved');
  });

  it('on a thread another app owns (standby) nothing automatic is sent, and the ticket says so', async () => {
    h = await start();
    await post(
      h.fake.citizenNotification('messenger', BUDI, { message: { text: 'halo min' } }, { standby: true }).payload,
    );
    await post(
      h.fake.citizenNotification('messenger', BUDI, { message: { text: KONSOLIDASI } }, { standby: true }).payload,
    );
    const ticket = await waitFor(
      async () => (await h!.tickets()).find((t) => t.history.some((e) => e.event === 'acknowledgement-skipped')),
      10_000,
      'the standby ticket',
    );
    expect(ticket.meta.standby).toBe('true');
    expect(ticket.history.find((e) => e.event === 'acknowledgement-skipped')!.note).toMatch(/standby/);
    await settle();
    expect(h.fake.sendCalls()).toEqual([]);
  });

  it('a follow-up with content reclassifies a ticket of kind other and re-routes it with the reason', async () => {
    h = await start();
    const vague = h.fake.addInbound('messenger', BUDI, 'Min, saya ada urusan yang belum selesai, bagaimana ini?');
    await post(h.fake.webhookPayloadFor(vague.messageId));
    const ticket = await waitFor(
      async () => (await h!.tickets()).find((t) => t.history.some((e) => e.event === 'routed')),
      10_000,
      'the routed ticket',
    );
    expect(ticket).toMatchObject({ team: 'triase' });
    const detail = h.fake.addInbound('messenger', BUDI, KONSOLIDASI);
    await post(h.fake.webhookPayloadFor(detail.messageId));
    const rerouted = await waitFor(
      async () => {
        const t = await h!.service.store.getTicket(ticket.id);
        return t?.history.some((e) => e.event === 'note' && /setelah dialihkan/.test(e.note ?? '')) ? t : undefined;
      },
      10_000,
      'the re-routing',
    );
    expect(rerouted).toMatchObject({ team: 'piak', classification: { category: 'nik-consolidation' } });
    expect(rerouted!.history.find((e) => e.event === 'rerouted')!.note).toMatch(
      /diklasifikasi ulang sebagai Konsolidasi NIK/,
    );
    expect(await h.tickets()).toHaveLength(1);
  });

  it('a reply goes out as one Send API call: the window comes from the message just taken in', async () => {
    h = await start();
    const { messageId } = h.fake.addInbound('messenger', BUDI, KONSOLIDASI);
    await post(h.fake.webhookPayloadFor(messageId));
    await waitFor(async () => sentTexts(BUDI.id).length === 1, 10_000, 'the initial response');
    // The reply transport's reads (the conversation by user_id, then its messages); the poller's pass reads too.
    const replyReads = h.fake.calls.filter(
      (c) => c.method === 'GET' && (c.query.user_id || c.query.fields === 'id,created_time,from,message'),
    );
    expect(replyReads).toEqual([]);
    expect(h.fake.sendCalls()).toHaveLength(1);
  });

  it('an edit is kept beside the original; unsending the only message closes the ticket as ditarik warga', async () => {
    h = await start();
    const own = (platform: 'messenger' | 'instagram') => (platform === 'messenger' ? PAGE_ID : IG_ID);
    const event = (platform: 'messenger' | 'instagram', citizen: string, body: Record<string, unknown>) =>
      h!.fake.notification(platform, {
        sender: { id: citizen },
        recipient: { id: own(platform) },
        timestamp: Date.now(),
        ...body,
      });

    const first = h.fake.addInbound('messenger', BUDI, 'KTP saya belum jadi sejak bulan Juni');
    await post(h.fake.webhookPayloadFor(first.messageId));
    const ticket = await waitFor(async () => (await h!.tickets())[0], 10_000, 'the ticket');
    await post(
      event('messenger', BUDI.id, {
        message_edit: { mid: first.messageId, text: 'KTP saya belum jadi sejak bulan Mei', num_edit: 1 },
      }),
    );
    // Instagram's num_edit 0 announces a new message, not an edit: nothing happens.
    await post(event('messenger', BUDI.id, { message_edit: { mid: first.messageId, text: 'x', num_edit: 0 } }));
    const edited = await waitFor(
      async () =>
        (await h!.service.store.getTicket(ticket.id))?.history.find(
          (e) => e.event === 'note' && /diubah/.test(e.note ?? ''),
        ),
      10_000,
      'the edit',
    );
    expect(edited).toMatchObject({ ref: first.messageId, note: expect.stringContaining('bulan Mei') });
    expect((await h.service.store.getTicket(ticket.id))!.text).toBe('KTP saya belum jadi sejak bulan Juni');

    const rina = h.fake.addInbound('instagram', RINA, 'Akta anak saya salah tanggal lahir');
    await post(h.fake.webhookPayloadFor(rina.messageId));
    const second = await waitFor(
      async () => (await h!.tickets()).find((t) => t.channel === 'instagram'),
      10_000,
      'the second ticket',
    );
    await post(event('instagram', RINA.id, { message: { mid: rina.messageId, is_deleted: true } }));
    const closed = await waitFor(
      async () => {
        const t = await h!.service.store.getTicket(second.id);
        return t?.status === 'resolved' ? t : undefined;
      },
      10_000,
      'the withdrawn ticket closed',
    );
    expect(closed!.history.find((e) => e.event === 'resolved')!.note).toMatch(/ditarik warga/);
    expect(closed!.history.some((e) => e.event === 'note' && /ditarik \(unsend\)/.test(e.note ?? ''))).toBe(true);

    // Unsending a message of a ticket that has more content marks it, the ticket stays open.
    const more = h.fake.addInbound('messenger', BUDI, 'Saya tinggal di Sidikalang');
    await post(h.fake.webhookPayloadFor(more.messageId));
    await waitFor(
      async () =>
        (await h!.service.store.getTicket(ticket.id))?.history.some(
          (e) => e.ref === more.messageId && e.event === 'follow-up',
        ),
      10_000,
      'the follow-up',
    );
    await post(event('messenger', BUDI.id, { message: { mid: first.messageId, is_deleted: true } }));
    await waitFor(
      async () =>
        (await h!.service.store.getTicket(ticket.id))?.history.some((e) => /ditarik \(unsend\)/.test(e.note ?? '')),
      10_000,
      'the unsend noted',
    );
    expect((await h.service.store.getTicket(ticket.id))!.status).not.toBe('resolved');
    expect(await h.tickets()).toHaveLength(2);
  });

  it('with Meta limits enforced (2 reads/s), a burst of 12 citizens is answered at once and no limit is hit', async () => {
    h = await startMetaHarness({
      webhook: true,
      // The shipped read budget: 1.6 calls/s per account, under Meta's 2 (jitter on a busy machine once
      // brought two calls spaced 500 ms apart into one second at the fake).
      polling: { intervalMs: 200, callsPerSecond: 1.6 },
      meta: { appId: OUR_APP_ID },
      before: (fake) => fake.enforceRateLimits({ readsPerSecond: 2, sendsPerSecond: 300 }),
    });
    await h.passes(1);
    const citizens = Array.from({ length: 12 }, (_, i) => ({
      id: `70000000000001${String(i).padStart(2, '0')}`,
      name: `Warga ${i}`,
    }));
    const started = Date.now();
    await Promise.all(
      citizens.map((c) => post(h!.fake.webhookPayloadFor(h!.fake.addInbound('messenger', c, KONSOLIDASI).messageId))),
    );
    await waitFor(async () => citizens.every((c) => sentTexts(c.id).length === 1), 10_000, 'every initial response');
    // The poller reads at its 2 calls/s meanwhile; replies do not queue behind it.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(h.fake.limitErrors).toEqual([]);
  });
});
