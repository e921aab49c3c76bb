import { hubSignature, messagesPayload, statusesPayload, type InboundSpec } from '../../support/fake-whatsapp-server';
import { waitFor } from '../../support/service-harness';
import { tokenTagOf } from '../../support/staff-mail';
import {
  APP_SECRET,
  LINE_1,
  LINE_2,
  startWhatsAppHarness,
  VERIFY_TOKEN,
  type WhatsAppHarness,
} from './whatsapp-test-env';

const SITI = '6281376543210';
const ANDI = '6285261234567';
/** A migrant worker in Malaysia: must stay +60. */
const RUDI = '60123456789';

let seq = 0;
function text(waId: string, body: string, phoneNumberId = LINE_1, name = 'Warga'): InboundSpec {
  return {
    phoneNumberId,
    waId,
    name,
    wamid: `wamid.IN${Date.now()}${++seq}`,
    message: { type: 'text', text: { body } },
  };
}

describe('WhatsApp Cloud API webhook end to end', () => {
  let h: WhatsAppHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('answers the hub.* handshake only with the right verify token', async () => {
    h = await startWhatsAppHarness();
    const verify = (token: string) =>
      fetch(`${h!.webhookUrl()}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=8812`);
    const ok = await verify(VERIFY_TOKEN);
    expect([ok.status, await ok.text()]).toEqual([200, '8812']);
    expect((await verify('salah')).status).toBe(403);
    expect((await fetch(h.webhookUrl().replace('/webhooks/whatsapp', '/lain'))).status).toBe(404);
  });

  it('refuses a bad signature (401) and a huge body (413); nothing is stored and the body is never logged', async () => {
    h = await startWhatsAppHarness();
    const payload = messagesPayload([[text(SITI, 'NIK saya 1211010101900001 di Jl. Sisingamangaraja')]]);
    const body = JSON.stringify(payload);
    const send = (signature: string, raw = body) =>
      fetch(h!.webhookUrl(), { method: 'POST', headers: { 'x-hub-signature-256': signature }, body: raw }).then(
        (r) => r.status,
      );
    expect(await send(hubSignature(body, 'bukan-rahasia-aplikasi'))).toBe(401);
    expect(await send('')).toBe(401);
    expect(await send(hubSignature(body, APP_SECRET), body.replace('Sisingamangaraja', 'Sidikalang'))).toBe(401);
    const huge = JSON.stringify(messagesPayload([[text(SITI, 'x'.repeat(70_000))]]));
    expect(await send(hubSignature(huge, APP_SECRET), huge)).toBe(413);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.tickets()).toEqual([]);
    expect(h.fake.sent).toEqual([]);
    expect(h.env.logLines.join('\n')).not.toContain('Sisingamangaraja');
    expect(await h.service.metrics.registry.metrics()).toMatch(
      /aduan_whatsapp_webhook_events_total\{kind="rejected"\} 4/,
    );
  });

  it('takes in every message of a batch, routes each to its number and answers each citizen once from it', async () => {
    h = await startWhatsAppHarness();
    const siti = text(SITI, 'Selamat pagi, KTP-el saya belum jadi sejak Agustus', LINE_1, 'Siti Br Sinaga');
    const andi = text(ANDI, 'Mau tanya syarat pindah datang dari Medan', LINE_2, 'Andi');
    const rudi = text(RUDI, 'Saya TKI di Malaysia, bagaimana urus akta anak?', LINE_2, 'Rudi');
    for (const m of [siti, andi, rudi]) h.fake.citizenWrote(m.waId);
    expect(await h.post(messagesPayload([[siti, andi], [rudi]]))).toBe(200);

    await waitFor(async () => h!.fake.sent.length === 3, 15_000, 'three replies');
    const tickets = await h.tickets();
    expect(tickets).toHaveLength(3);
    const byWaId = (waId: string) => tickets.find((t) => t.complainant.platformUserId?.endsWith(`:${waId}`))!;
    expect(byWaId(SITI)).toMatchObject({
      channel: 'whatsapp',
      sourceId: siti.wamid,
      complainant: { name: 'Siti Br Sinaga', phone: '+6281376543210', platformUserId: `${LINE_1}:${SITI}` },
      meta: { phoneNumberId: LINE_1, via: 'webhook' },
    });
    expect(byWaId(RUDI).complainant.phone).toBe('+60123456789');
    const from = Object.fromEntries(h.fake.sent.map((s) => [s.to, s.phoneNumberId]));
    expect(from).toEqual({ [SITI]: LINE_1, [ANDI]: LINE_2, [RUDI]: LINE_2 });
    expect(h.fake.sent.every((s) => s.type === 'text' && s.text!.includes(byWaId(s.to).ticketNumber))).toBe(true);
  });

  it('dedupes on the wamid: a redelivery seconds later and a replay after the ticket is done give one ticket, one reply', async () => {
    h = await startWhatsAppHarness();
    const m = text(SITI, 'Kartu keluarga saya salah nama ibu');
    h.fake.citizenWrote(SITI);
    const payload = messagesPayload([[m]]);
    const statuses = await Promise.all([h.post(payload), h.post(payload)]);
    expect(statuses).toEqual([200, 200]);
    await waitFor(async () => h!.fake.sent.length === 1, 15_000, 'the reply');
    const [ticket] = await h.tickets();
    await waitFor(
      async () => (await h!.service.store.listEffects(ticket!.id)).filter((e) => e.state === 'done').length >= 2,
      15_000,
      'first effects done',
    );
    // Meta retries for up to 7 days: the same wamid later is still the same message.
    expect(await h.post(payload)).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await h.tickets()).toHaveLength(1);
    expect(h.fake.sent).toHaveLength(1);
  });

  it('threads a conversation: follow-ups while open, reopened within the window, a new ticket after it', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    await h.post(messagesPayload([[text(SITI, 'Akta kelahiran anak saya belum terbit')]]));
    const first = await waitFor(async () => (await h!.tickets())[0], 15_000, 'the ticket');
    const second = text(SITI, 'Tambahan: nomor registrasinya 12/2026');
    await h.post(messagesPayload([[second]]));
    await waitFor(
      async () =>
        (await h!.service.store.getTicket(first.id))?.history.some(
          (e) => e.event === 'follow-up' && e.ref === second.wamid,
        ),
      15_000,
      'the follow-up',
    );
    await waitFor(
      async () => h!.outbox().some((f) => f.startsWith(`${tokenTagOf(first.ticketNumber)}.fu-`)),
      15_000,
      'the follow-up mail to the team',
    );
    await h.service.store.appendHistory(first.id, { at: new Date().toISOString(), event: 'resolved' }, 'resolved');
    await h.post(messagesPayload([[text(SITI, 'Aktanya masih belum terbit, bagaimana ini?')]]));
    await waitFor(
      async () => (await h!.service.store.getTicket(first.id))?.status === 'reopened',
      15_000,
      'the ticket reopened',
    );
    expect(await h.tickets()).toHaveLength(1);
    // Resolved eight days ago: past the 7-day reopen window, a new message is a new ticket.
    const longAgo = new Date(Date.now() - 8 * 24 * 3_600_000).toISOString();
    await h.service.store.appendHistory(first.id, { at: longAgo, event: 'resolved' }, 'resolved');
    await h.post(messagesPayload([[text(SITI, 'Sekarang KIA anak saya yang bermasalah')]]));
    await waitFor(async () => (await h!.tickets()).length === 2, 15_000, 'a new ticket');
  });

  it('outside the 24-hour window (131047) sends the configured template with the ticket number', async () => {
    h = await startWhatsAppHarness({ templates: { received: { name: 'aduan_diterima' } } });
    // The fake never saw this citizen write within 24 h: a free-form text is refused with 131047.
    await h.post(messagesPayload([[text(ANDI, 'Pesan lama yang baru terkirim')]]));
    await waitFor(async () => h!.fake.sent.length === 1, 15_000, 'the template');
    const [ticket] = await h.tickets();
    expect(h.fake.sent[0]).toMatchObject({
      type: 'template',
      to: ANDI,
      template: { name: 'aduan_diterima', language: 'id', parameters: [ticket!.ticketNumber] },
    });
    expect(h.fake.calls.filter((c) => c.code === 131047)).toHaveLength(1);
  });

  it('without a template the ticket says why nothing was sent and the team is told', async () => {
    h = await startWhatsAppHarness();
    await h.post(messagesPayload([[text(ANDI, 'Pesan di luar jendela')]]));
    const ticket = await waitFor(
      async () => {
        const [t] = await h!.tickets();
        return t?.history.some((e) => e.event === 'acknowledgement-skipped') ? t : undefined;
      },
      15_000,
      'the skipped acknowledgement',
    );
    expect(ticket.history.find((e) => e.event === 'acknowledgement-skipped')?.note).toContain('templat');
    await waitFor(
      async () => h!.outbox().includes(`${tokenTagOf(ticket.ticketNumber)}.ack.not-sent.eml`),
      15_000,
      'the notice to the team',
    );
    expect(h.fake.sent).toEqual([]);
  });

  it('records statuses of sent messages on the ticket; a failed one alerts', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    await h.post(messagesPayload([[text(SITI, 'Surat pindah saya hilang')]]));
    await waitFor(async () => h!.fake.sent.length === 1, 15_000, 'the reply');
    const [ticket] = await h.tickets();
    const wamid = h.fake.sent[0]!.wamid;
    // The wamid is kept on the ticket just after the send returns.
    await waitFor(
      async () => (await h!.service.store.findByMessageRefs('whatsapp', [`out:${wamid}`])) !== undefined,
      5000,
      'the wamid kept',
    );
    const payload = statusesPayload(LINE_1, [
      { wamid, status: 'sent', recipient: SITI },
      { wamid, status: 'delivered', recipient: SITI },
      { wamid, status: 'failed', recipient: SITI, code: 131050 },
    ]);
    expect(await h.post(payload)).toBe(200);
    expect(await h.post(payload)).toBe(200);
    const notes = (await h.service.store.getTicket(ticket!.id))!.history
      .filter((e) => e.ref === wamid)
      .map((e) => e.note);
    expect(notes).toEqual([
      'Pesan WhatsApp terkirim',
      'Pesan WhatsApp sampai di ponsel pelapor',
      'Pesan WhatsApp gagal terkirim (kode 131050: Message failed to send)',
    ]);
    await waitFor(
      async () => h!.outbox().filter((f) => f.startsWith('alert.whatsapp-failed')).length === 1,
      5000,
      'the alert',
    );
  });

  it('a refused token (190) stops sending, shows failed in health, alerts the admin once', async () => {
    h = await startWhatsAppHarness();
    h.fake.expireToken();
    h.fake.citizenWrote(SITI);
    h.fake.citizenWrote(ANDI);
    await h.post(messagesPayload([[text(SITI, 'Pesan pertama')], [text(ANDI, 'Pesan kedua', LINE_2)]]));
    await waitFor(
      async () => h!.service.channels.find((c) => c.name === 'whatsapp')?.health().state === 'failed',
      15_000,
      'the channel failed',
    );
    await waitFor(async () => (await h!.tickets()).length === 2, 15_000, 'both tickets');
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.outbox().filter((f) => f.startsWith('alert.whatsapp-token'))).toHaveLength(1);
    // Both concurrent first sends may meet the refusal; after it, retries do not call the Cloud API again.
    const refused = h.fake.calls.length;
    expect(refused).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.fake.calls).toHaveLength(refused);
    const metrics = await h.service.metrics.registry.metrics();
    expect(metrics).toMatch(/aduan_channel_up\{channel="whatsapp"\} 0/);
    expect(metrics).toMatch(/aduan_whatsapp_send_errors_total\{code="190"\} [12]/);
  });

  it('rate limits (130429) are retried after the pause; 131026 is noted and the team told', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    h.fake.failNext({ code: 130429, retryAfterSeconds: 0 });
    await h.post(messagesPayload([[text(SITI, 'Mohon info jadwal rekam KTP')]]));
    await waitFor(async () => h!.fake.sent.length === 1, 15_000, 'the reply after the rate limit');

    h.fake.citizenWrote(ANDI);
    h.fake.failNext({ code: 131026, message: 'Message Undeliverable' });
    await h.post(messagesPayload([[text(ANDI, 'Nomor ini tidak bisa menerima pesan')]]));
    const ticket = await waitFor(
      async () => (await h!.tickets()).find((t) => t.history.some((e) => e.event === 'acknowledgement-skipped')),
      15_000,
      'the skipped acknowledgement',
    );
    expect(ticket.history.find((e) => e.event === 'acknowledgement-skipped')?.note).toContain('131026');
  });

  it('reactions make no ticket; an unsupported message gets one request to resend as text per day', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    const unsupported = (n: number): InboundSpec => ({
      phoneNumberId: LINE_1,
      waId: SITI,
      wamid: `wamid.UNSUP${n}`,
      message: { type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] },
    });
    const reaction: InboundSpec = {
      phoneNumberId: LINE_1,
      waId: SITI,
      wamid: 'wamid.REACT1',
      message: { type: 'reaction', reaction: { message_id: 'wamid.OUT000001', emoji: '👍' } },
    };
    expect(await h.post(messagesPayload([[unsupported(1), reaction]]))).toBe(200);
    expect(await h.post(messagesPayload([[unsupported(2)]]))).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.tickets()).toEqual([]);
    expect(h.fake.sent.map((s) => s.text)).toEqual([expect.stringContaining('kirim ulang sebagai teks')]);
  });
});
