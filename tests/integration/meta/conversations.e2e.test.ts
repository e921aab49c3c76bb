import { createHmac } from 'node:crypto';
import { postWebhook } from '../../support/fake-graph-server';
import { waitFor } from '../../support/service-harness';
import {
  APP_SECRET,
  BUDI,
  decodeMail,
  PAGE_ID,
  PAGE_TOKEN,
  RINA,
  startMetaHarness,
  type MetaHarness,
} from './meta-test-env';
import { tokenTagOf } from '../../support/staff-mail';

describe('Meta channel end to end: polling, replies, dedupe, threading', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('turns a new Messenger message into one ticket and exactly one reply; re-polls, a duplicate webhook and the echo add nothing', async () => {
    h = await startMetaHarness({ webhook: true });
    const { messageId } = h.fake.addInbound(
      'messenger',
      BUDI,
      'Selamat pagi, KTP elektronik saya belum jadi sudah 3 bulan, mohon dibantu',
    );

    const [send] = await waitFor(
      async () => (h!.fake.sendCalls().length > 0 ? h!.fake.sendCalls() : undefined),
      10_000,
      'the Send API call',
    );
    const [ticket] = await h.tickets();
    expect(ticket).toMatchObject({
      channel: 'messenger',
      sourceId: messageId,
      complainant: { name: 'Budi Santoso', platformUserId: BUDI.id },
    });
    expect(send!.path).toBe(`/${PAGE_ID}/messages`);
    expect(send!.body).toMatchObject({
      recipient: { id: BUDI.id },
      messaging_type: 'RESPONSE',
      message: { text: expect.stringContaining(ticket!.ticketNumber) },
    });
    expect(send!.body).not.toHaveProperty('tag');

    // Every call: Bearer token, never in the URL, with a valid appsecret_proof (the fake rejects others).
    const proof = createHmac('sha256', APP_SECRET).update(PAGE_TOKEN).digest('hex');
    expect(
      h.fake.calls.every(
        (c) =>
          c.headers.authorization === `Bearer ${PAGE_TOKEN}` &&
          c.query.appsecret_proof === proof &&
          !('access_token' in c.query),
      ),
    ).toBe(true);
    expect(h.fake.calls.filter((c) => c.errorCode !== undefined)).toEqual([]);

    await h.passes(4);
    const duplicate = await postWebhook(h.webhookUrl(), h.fake.webhookPayloadFor(messageId), APP_SECRET);
    const echo = await postWebhook(h.webhookUrl(), h.fake.webhookPayloadFor(h.fake.sentTo(BUDI.id)[0]!.id), APP_SECRET);
    expect([duplicate.status, echo.status]).toEqual([200, 200]);
    await h.passes(4);

    expect(await h.tickets()).toHaveLength(1);
    expect(h.fake.sendCalls()).toHaveLength(1);
    expect(h.fake.sentTo(BUDI.id)).toHaveLength(1);
    const done = await waitFor(async () => {
      const t = (await h!.tickets())[0]!;
      return t.history.some((e) => e.event === 'acknowledged') && t.history.some((e) => e.event === 'routed')
        ? t
        : undefined;
    });
    expect(done.history.filter((e) => e.event === 'acknowledged')).toHaveLength(1);
    expect(h.outbox().filter((f) => f.endsWith('.team.eml'))).toHaveLength(1);
  });

  it('makes a second message in the same open conversation a follow-up, not a new ticket or a second reply', async () => {
    h = await startMetaHarness();
    h.fake.addInbound('messenger', BUDI, 'Selamat siang, akta kelahiran anak saya belum terbit');
    await waitFor(async () => h!.fake.sendCalls().length === 1, 10_000, 'the initial reply');

    const second = h.fake.addInbound('messenger', BUDI, 'Tambahan: nomor registrasinya 12/2026, terima kasih');
    const ticket = await waitFor(
      async () => {
        const [t] = await h!.tickets();
        return t?.history.some((e) => e.event === 'follow-up' && e.ref === second.messageId) ? t : undefined;
      },
      10_000,
      'the follow-up',
    );
    await waitFor(
      async () => h!.outbox().some((f) => f.startsWith(`${tokenTagOf(ticket.ticketNumber)}.fu-`)),
      10_000,
      'the follow-up mail to the team',
    );
    await h.passes(4);
    expect(await h.tickets()).toHaveLength(1);
    expect(h.fake.sendCalls()).toHaveLength(1);
  });

  it('takes an Instagram burst as one ticket: the greeting kept with the complaint, a follow-up, one prompt and one answer', async () => {
    // Graph gives times in whole seconds.
    const at = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    h = await startMetaHarness({
      before: (fake) => {
        fake.addInbound('instagram', RINA, 'min', { at });
        fake.addInbound('instagram', RINA, 'kk saya hilang, cara urus yg baru gimana?', { at: at + 1000 });
        fake.addInbound('instagram', RINA, 'sy tinggal di Sumbul', { at: at + 2000 });
      },
    });
    const ticket = await waitFor(
      async () => {
        const [t] = await h!.tickets();
        return t && t.history.filter((e) => e.event === 'follow-up').length === 1 ? t : undefined;
      },
      10_000,
      'the ticket and its follow-up',
    );
    // "min" alone opens no ticket: it is kept, and the ticket starts with it (and at its time).
    expect(ticket).toMatchObject({
      channel: 'instagram',
      text: 'min\nkk saya hilang, cara urus yg baru gimana?',
      receivedAt: new Date(at).toISOString(),
      complainant: { platformUsername: 'rina_sidikalang', platformUserId: RINA.id },
    });
    await waitFor(async () => h!.fake.sendCalls().length === 2, 10_000, 'the prompt and the initial response');
    const [prompt, answer] = h.fake.sendCalls();
    expect(JSON.stringify(prompt!.body)).toMatch(/Silakan tuliskan pengaduan Anda/);
    expect(answer!.body).toMatchObject({ recipient: { id: RINA.id }, messaging_type: 'RESPONSE' });
    expect(h.fake.calls.some((c) => c.path.endsWith('/conversations') && c.query.platform === 'instagram')).toBe(true);
    await h.passes(4);
    expect(await h.tickets()).toHaveLength(1);
    expect(h.fake.sendCalls()).toHaveLength(2);
  });
});

describe('Meta channel end to end: the 24-hour window, rate limits, token expiry', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('does not answer outside the 24-hour window: no Send API call, the ticket notes it and the team is told', async () => {
    h = await startMetaHarness({
      before: (fake) => {
        fake.addInbound('messenger', BUDI, 'Mohon info, surat pindah saya kapan bisa diambil?', {
          at: Date.now() - 25 * 3_600_000,
        });
      },
    });
    const ticket = await waitFor(
      async () => {
        const [t] = await h!.tickets();
        return t?.history.some((e) => e.event === 'acknowledgement-skipped') ? t : undefined;
      },
      10_000,
      'the skipped acknowledgement',
    );
    const note = ticket.history.find((e) => e.event === 'acknowledgement-skipped')!.note!;
    expect(note).toMatch(
      /tidak terkirim: di luar jendela 24 jam Facebook Messenger: pesan terakhir pelapor diterima 25 jam yang lalu/,
    );
    expect(ticket.status).not.toBe('acknowledged');
    const teamNotice = await waitFor(
      async () => h!.outbox().find((f) => f === `${tokenTagOf(ticket.ticketNumber)}.ack.not-sent.eml`),
      10_000,
      'the notice to the team',
    );
    expect(await decodeMail(h.outboxText(teamNotice))).toContain('di luar jendela 24 jam');
    const effect = await h.service.store.getEffect(`${ticket.id}:respond`);
    expect(effect).toMatchObject({ state: 'done', detail: expect.stringMatching(/^not sent: di luar jendela/) });
    await h.passes(2);
    expect(h.fake.sendCalls()).toEqual([]);
  });

  it('records a reply Meta refuses as outside the window (code 10/2018278) as not sent, without retrying', async () => {
    h = await startMetaHarness({
      before: (fake) => {
        fake.failNext({
          code: 10,
          subcode: 2018278,
          message: '(#10) This message is sent outside of allowed window.',
          match: (c) => c.method === 'POST',
        });
        fake.addInbound('messenger', BUDI, 'Selamat sore, NIK saya tidak terdaftar di BPJS');
      },
    });
    const ticket = await waitFor(
      async () => {
        const [t] = await h!.tickets();
        return t?.history.some((e) => e.event === 'acknowledgement-skipped') ? t : undefined;
      },
      10_000,
      'the refused acknowledgement',
    );
    expect(ticket.history.find((e) => e.event === 'acknowledgement-skipped')!.note).toMatch(/Meta menolak balasan/);
    await h.passes(2);
    expect(h.fake.sendCalls()).toHaveLength(1);
  });

  it('slows down after a rate-limit error (613) and loses nothing', async () => {
    const citizens = [1, 2, 3].map((n) => ({ id: `700000000000010${n}`, name: `Warga ${n}` }));
    h = await startMetaHarness({
      polling: { rateLimitPauseMs: 700 },
      before: (fake) => {
        citizens.forEach((c, i) =>
          fake.addInbound('messenger', c, `Pengaduan nomor ${i + 1}: e-KTP rusak, bagaimana cara ganti?`),
        );
        // The second read of messages in the first pass is throttled.
        let reads = 0;
        fake.failNext({ code: 613, match: (c) => c.method === 'GET' && c.path.endsWith('/messages') && ++reads === 2 });
      },
    });
    await waitFor(
      async () => (await h!.tickets()).length === 3 && h!.fake.sendCalls().length === 3,
      15_000,
      'three tickets and replies',
    );

    const calls = h.fake.calls;
    const limited = calls.findIndex((c) => c.errorCode === 613);
    expect(limited).toBeGreaterThanOrEqual(0);
    // Calls for the Page (everything but the Instagram inbox listing) pause; one already in flight may still land.
    const pageCalls = calls.filter((c) => c.query.platform !== 'instagram');
    const at = calls[limited]!.at;
    expect(pageCalls.filter((c) => c.at > at + 100 && c.at < at + 650)).toEqual([]);
    expect(pageCalls.some((c) => c.at >= at + 650)).toBe(true);
    expect(h.env.logLines.some((l) => l.includes('rate limited; polling paused'))).toBe(true);
    expect(new Set((await h.tickets()).map((t) => t.complainant.platformUserId))).toEqual(
      new Set(citizens.map((c) => c.id)),
    );
  });

  it('stops both inboxes on an expired token with exactly one admin alert and no busy loop', async () => {
    h = await startMetaHarness({ polling: { intervalMs: 100 } });
    await h.passes(2);
    h.fake.expireToken(463);
    const health = await waitFor(
      async () => {
        const report = await h!.service.health();
        const meta = report.channels.filter((c) => c.name === 'messenger' || c.name === 'instagram');
        return meta.length === 2 && meta.every((c) => c.state === 'failed') ? report : undefined;
      },
      10_000,
      'both Meta channels failed',
    );
    expect(health.status).toBe('degraded');
    expect(health.channels.find((c) => c.name === 'messenger')!.lastError).toMatch(/code 190\/463/);

    const callsAtFailure = h.fake.calls.length;
    await new Promise((r) => setTimeout(r, 1000));
    // Parked until authRecheckMinutes: at most the other inbox's in-flight pass finishes.
    expect(h.fake.calls.length - callsAtFailure).toBeLessThanOrEqual(1);

    const alerts = h.outbox().filter((f) => f.startsWith('alert.'));
    expect(alerts).toHaveLength(1);
    const mail = await decodeMail(h.outboxText(alerts[0]!));
    expect(mail).toContain('To: admin@aduan.test');
    expect(mail).toContain('Graph API menolak token akses Page');
    expect(mail).toContain('kode 190/463');
    expect(mail).not.toContain(PAGE_TOKEN);
  });
});
