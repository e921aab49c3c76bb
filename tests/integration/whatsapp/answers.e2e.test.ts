import { messagesPayload, type InboundSpec } from '../../support/fake-whatsapp-server';
import { waitFor } from '../../support/service-harness';
import { staffAnswer, tokenTagOf } from '../../support/staff-mail';
import { acknowledged, citizenText } from './staff-answer';
import { LINE_2, startWhatsAppHarness, type WhatsAppHarness } from './whatsapp-test-env';

const ANDI = '6285261234567';
function message(body: string): InboundSpec {
  return citizenText(LINE_2, ANDI, body);
}

describe('staff answers on WhatsApp', () => {
  let h: WhatsAppHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('inside the window: the answer goes out as text, a long one split politely, each part once', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(ANDI);
    await h.post(messagesPayload([[message('Bagaimana cara mengurus akta kematian?')]]));
    const ticket = await acknowledged(h);
    const long = Array.from(
      { length: 60 },
      (_, i) =>
        `${i + 1}. Siapkan dokumen persyaratan nomor ${i + 1} dan bawa ke kantor kecamatan terdekat untuk diverifikasi oleh petugas.`,
    ).join('\n');
    await h.service.sink.submit(staffAnswer(h, ticket, long), { channel: 'email' });
    await waitFor(async () => (await h!.service.store.getTicket(ticket.id))?.status === 'resolved', 20_000, 'resolved');
    const answer = h.fake.sent.slice(1);
    expect(answer.length).toBeGreaterThan(1);
    expect(answer.every((m) => m.type === 'text' && [...m.text!].length <= 4096 && m.phoneNumberId === LINE_2)).toBe(
      true,
    );
    expect(answer.map((m) => m.text).join('\n')).toContain('60. Siapkan dokumen');
  });

  it('outside the window: the answer-ready template goes out, the team is told, and the answer follows once the citizen writes', async () => {
    h = await startWhatsAppHarness({ templates: { answerReady: { name: 'aduan_jawaban_siap' } } });
    h.fake.citizenWrote(ANDI);
    await h.post(messagesPayload([[message('Kapan KTP saya selesai dicetak?')]]));
    const ticket = await acknowledged(h);
    // More than 24 hours later the citizen has not written again.
    h.fake.windowClosed(ANDI);
    await h.service.sink.submit(staffAnswer(h, ticket, 'KTP Bapak sudah dapat diambil di kantor Disdukcapil.'), {
      channel: 'email',
    });
    const noted = await waitFor(
      async () => {
        const t = await h!.service.store.getTicket(ticket.id);
        return t?.history.find((e) => e.note?.includes('aduan_jawaban_siap')) ? t : undefined;
      },
      20_000,
      'the note about the template',
    );
    expect(h.fake.sent.at(-1)).toMatchObject({
      type: 'template',
      template: { name: 'aduan_jawaban_siap', parameters: [ticket.ticketNumber] },
    });
    expect(noted.history.find((e) => e.note?.includes('aduan_jawaban_siap'))!.note).toContain(
      'isi jawaban belum terkirim',
    );
    await waitFor(
      async () => h!.outbox().some((f) => f.startsWith(tokenTagOf(ticket.ticketNumber)) && f.includes('not-sent')),
      15_000,
      'the team told',
    );

    // The citizen answers the template, which opens the window: the answer itself goes out, once.
    h.fake.citizenWrote(ANDI);
    await h.post(messagesPayload([[message('Baik, apa jawabannya?')]]));
    await waitFor(
      async () => h!.fake.sent.some((m) => m.text?.includes('KTP Bapak sudah dapat diambil di kantor Disdukcapil.')),
      15_000,
      'the owed answer',
    );
    const done = await waitFor(
      async () => {
        const t = await h!.service.store.getTicket(ticket.id);
        return t?.history.find((e) => e.note?.startsWith('Jawaban terkirim lewat WhatsApp setelah pelapor membalas'))
          ? t
          : undefined;
      },
      15_000,
      'the note on the ticket',
    );
    expect(done.ticketNumber).toBe(ticket.ticketNumber);
    await h.post(messagesPayload([[message('Terima kasih')]]));
    await new Promise((r) => setTimeout(r, 800));
    expect(
      h.fake.sent.filter((m) => m.text?.includes('KTP Bapak sudah dapat diambil di kantor Disdukcapil.')),
    ).toHaveLength(1);
  });

  it('a template Meta refuses (132001) alerts the admin naming the template', async () => {
    h = await startWhatsAppHarness({ templates: { received: { name: 'templat_hilang' } }, approved: [] });
    await h.post(messagesPayload([[message('Pesan lama di luar jendela')]]));
    const alert = await waitFor(
      async () => h!.outbox().find((f) => f.startsWith('alert.whatsapp-template-templat-hilang')),
      15_000,
      'the admin alert',
    );
    expect(h.outboxText(alert)).toContain('templat_hilang');
    await waitFor(
      async () => (await h!.tickets())[0]?.history.some((e) => e.event === 'acknowledgement-skipped'),
      15_000,
      'the skipped acknowledgement',
    );
  });
});
