import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { messageWebhookSchema } from '../../../src/channels/shared/message-webhook-schema';
import { smsGatewayTransport } from '../../../src/channels/shared/sms-gateway';
import { createLogger } from '../../../src/lib/logger';
import { SmtpTransport } from '../../../src/outbound/smtp-transport';
import { FakePortalServer } from '../../support/fake-portal-server';
import { messagesPayload } from '../../support/fake-whatsapp-server';
import { waitFor } from '../../support/service-harness';
import { SmtpSink } from '../../support/smtp-sink';
import { staffAnswer, tokenTagOf } from '../../support/staff-mail';
import { acknowledged, citizenText, ticketWith } from './staff-answer';
import { LINE_1, LINE_2, startWhatsAppHarness, type WhatsAppHarness } from './whatsapp-test-env';

const ANDI = '6285261234567';
const ANSWER = 'KTP-el Bapak sudah selesai dicetak dan dapat diambil di loket 3 kantor Disdukcapil.';

/** The call-center's SMS gateway, as the WhatsApp channel is given it. */
function smsRoute(gateway: FakePortalServer) {
  const hook = messageWebhookSchema.parse({ url: gateway.url('/sms/send'), timeoutMs: 3000 });
  return smsGatewayTransport({ enabled: true, name: 'call-center', gateway: hook }, createLogger({ level: 'silent' }))!;
}

const teamToldNotSent = (h: WhatsAppHarness, ticketNumber: string) =>
  h.outbox().some((f) => f.startsWith(tokenTagOf(ticketNumber)) && f.includes('not-sent'));

describe('WhatsApp answers by another route when WhatsApp cannot carry them', () => {
  let h: WhatsAppHarness | undefined;
  let gateway: FakePortalServer | undefined;
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await h?.stop();
    await gateway?.close();
    await sink?.stop();
    h = gateway = sink = undefined;
  });

  it('window closed: the template announces the answer, the SMS gateway carries it once (across a retry), and WhatsApp sends it once more, saying so, when the citizen writes', async () => {
    gateway = await FakePortalServer.start();
    // The gateway is down for the first try: the template must not go out twice because of the retry.
    gateway.failNext('gateway', 503);
    const template = { answerReady: { name: 'aduan_jawaban_siap' } };
    h = await startWhatsAppHarness({ templates: template, otherRoutes: { sms: smsRoute(gateway) } });
    h.fake.citizenWrote(ANDI);
    await h.post(messagesPayload([[citizenText(LINE_2, ANDI, 'Kapan KTP saya selesai dicetak?')]]));
    const ticket = await acknowledged(h);
    h.fake.windowClosed(ANDI);
    await h.service.sink.submit(staffAnswer(h, ticket, ANSWER), { channel: 'email' });
    const resolved = await ticketWith(h, ticket.id, (note) => note.includes('isi pesan dikirim lewat SMS pelapor'));
    expect(resolved.status).toBe('resolved');
    expect(resolved.history.find((e) => e.event === 'resolved')!.note).toContain(
      'templat aduan_jawaban_siap memberi tahu pelapor bahwa jawaban sudah siap',
    );
    expect(h.fake.sent.filter((m) => m.type === 'template')).toHaveLength(1);
    const sms = gateway.callsTo('gateway');
    expect(sms.map((c) => c.status)).toEqual([503, 200]);
    expect(sms[1]!.body).toEqual({
      to: `+${ANDI}`,
      text: expect.stringContaining('Pesan ini kami kirim lewat SMS karena belum dapat dikirim lewat WhatsApp.'),
    });
    expect((sms[1]!.body as { text: string }).text).toContain(ANSWER);
    // Delivered: the team is not asked to reach the citizen.
    expect(teamToldNotSent(h, ticket.ticketNumber)).toBe(false);

    // The citizen answers the template on WhatsApp: the answer goes there too, once, saying it went by SMS.
    h.fake.citizenWrote(ANDI);
    await h.post(messagesPayload([[citizenText(LINE_2, ANDI, 'Baik, apa jawabannya?')]]));
    const owed = await waitFor(
      async () => h!.fake.sent.find((m) => m.text?.includes(ANSWER)),
      15_000,
      'the answer on WhatsApp',
    );
    expect(owed.text).toMatch(/^Jawaban ini sudah kami kirim juga lewat SMS Anda\./);
    await ticketWith(h, ticket.id, (note) => note.includes('sebelumnya sudah terkirim lewat SMS'));
    await h.post(messagesPayload([[citizenText(LINE_2, ANDI, 'Terima kasih')]]));
    await new Promise((r) => setTimeout(r, 800));
    expect(h.fake.sent.filter((m) => m.text?.includes(ANSWER))).toHaveLength(1);
  });

  it("no template configured: the answer and its file go to the citizen's email over real SMTP, nothing is owed on WhatsApp", async () => {
    sink = await SmtpSink.start();
    const mail = new SmtpTransport(
      { host: '127.0.0.1', port: sink.port, secure: false },
      { address: 'pengaduan@disdukcapil.dairikab.go.id', name: 'Disdukcapil Dairi' },
    );
    h = await startWhatsAppHarness({ otherRoutes: { mail } });
    // A WhatsApp ticket that knows the citizen's email (a contact given on the ticket).
    h.fake.citizenWrote(ANDI);
    await h.service.sink.submit(
      {
        channel: 'whatsapp',
        sourceId: `wamid.MAIL${Date.now()}`,
        receivedAt: new Date().toISOString(),
        complainant: {
          name: 'Andi',
          phone: `+${ANDI}`,
          platformUserId: `${LINE_1}:${ANDI}`,
          email: 'andi.sitepu@gmail.com',
        },
        text: 'Mohon contoh formulir F-1.02 untuk pindah datang.',
      },
      { channel: 'whatsapp' },
    );
    const ticket = await acknowledged(h);
    h.fake.windowClosed(ANDI);
    const folder = path.resolve(h.env.config.service.dataDir, 'attachments', 'email', 'mail');
    mkdirSync(folder, { recursive: true });
    const pdf = path.join(folder, 'formulir-f102.pdf');
    writeFileSync(pdf, '%PDF-1.4 formulir F-1.02\n%%EOF\n');
    await h.service.sink.submit(
      staffAnswer(h, ticket, 'Formulir F-1.02 terlampir; isi dan bawa ke kantor.', [
        { filename: 'formulir-f102.pdf', contentType: 'application/pdf', size: 30, storedAt: pdf },
      ]),
      { channel: 'email' },
    );
    const received = await sink.waitFor((m) => m.envelope.to.includes('andi.sitepu@gmail.com'), 20_000, 'the email');
    expect(received.mail.text).toContain('Pesan ini kami kirim lewat email karena belum dapat dikirim lewat WhatsApp.');
    expect(received.mail.text).toContain('Formulir F-1.02 terlampir');
    expect(received.mail.attachments.map((a) => a.filename)).toEqual(['formulir-f102.pdf']);
    const resolved = await ticketWith(h, ticket.id, (note) => note.includes('isi pesan dikirim lewat email pelapor'));
    expect(resolved.history.find((e) => e.event === 'resolved')!.note).toContain(
      'templat pesan untuk pemberitahuan jawaban belum diatur',
    );
    expect(h.fake.sent.filter((m) => m.type === 'template')).toHaveLength(0);
    expect(teamToldNotSent(h, ticket.ticketNumber)).toBe(false);
    expect(await h.service.store.getCursor(`whatsapp-owed-answer:${LINE_1}:${ANDI}`)).toBeUndefined();
    expect(sink.received.filter((m) => m.envelope.to.includes('andi.sitepu@gmail.com'))).toHaveLength(1);
  });

  it('131026 (not a WhatsApp user): the initial response goes by SMS instead, and the team need not step in', async () => {
    gateway = await FakePortalServer.start();
    h = await startWhatsAppHarness({ otherRoutes: { sms: smsRoute(gateway) } });
    h.fake.failNext({ code: 131026, message: 'Message undeliverable' });
    await h.post(messagesPayload([[citizenText(LINE_1, ANDI, 'Bagaimana cara mengurus KIA untuk anak?')]]));
    const ticket = await acknowledged(h);
    const acked = await ticketWith(h, ticket.id, (note) => note.includes('isi pesan dikirim lewat SMS pelapor'));
    expect(acked.history.find((e) => e.event === 'acknowledged')!.note).toContain('kode 131026');
    const [sms] = gateway.callsTo('gateway');
    expect((sms!.body as { text: string }).text).toContain(ticket.ticketNumber);
    expect(teamToldNotSent(h, ticket.ticketNumber)).toBe(false);
  });
});
