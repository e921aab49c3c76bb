import { messagesPayload, type InboundSpec } from '../../support/fake-whatsapp-server';
import { waitFor } from '../../support/service-harness';
import { LINE_1, startWhatsAppHarness, type WhatsAppHarness } from './whatsapp-test-env';

const SITI = '6281376543210';
const ANDI = '6285261234567';
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
  Buffer.alloc(2000, 7),
  Buffer.from([0xff, 0xd9]),
]);

let seq = 0;
function message(waId: string, body: Record<string, unknown>, timestamp?: number): InboundSpec {
  return {
    phoneNumberId: LINE_1,
    waId,
    name: 'Warga',
    wamid: `wamid.CHAT${Date.now()}${++seq}`,
    ...(timestamp ? { timestamp } : {}),
    message: body,
  };
}
const text = (waId: string, body: string, timestamp?: number) =>
  message(waId, { type: 'text', text: { body } }, timestamp);
const sticker = (waId: string) =>
  message(waId, { type: 'sticker', sticker: { id: '9009', mime_type: 'image/webp', animated: false } });
const prompts = (h: WhatsAppHarness, waId: string) =>
  h.fake.sent.filter((s) => s.to === waId && s.text?.includes('Silakan tuliskan pengaduan Anda'));

describe('WhatsApp: a conversation becomes a complaint when it has content (issue #24, rule 3)', () => {
  let h: WhatsAppHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('holds greetings, emoji and stickers with one prompt a day, then opens one ticket with the whole conversation', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    const startedAt = Math.floor(Date.now() / 1000) - 120;
    expect(await h.post(messagesPayload([[text(SITI, 'halo min', startedAt)]]))).toBe(200);
    expect(await h.post(messagesPayload([[text(SITI, 'Selamat pagi'), text(SITI, '🙏🙏🙏')]]))).toBe(200);
    expect(await h.post(messagesPayload([[sticker(SITI), text(SITI, 'p')]]))).toBe(200);
    await waitFor(async () => prompts(h!, SITI).length === 1, 10_000, 'the prompt');
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.tickets()).toEqual([]);
    expect(prompts(h, SITI)).toHaveLength(1);
    expect(h.fake.sent.filter((s) => s.to === SITI)).toHaveLength(1);

    const complaint = text(SITI, 'KTP-el saya belum jadi sejak Agustus, sudah rekam di kecamatan Sidikalang');
    expect(await h.post(messagesPayload([[complaint]]))).toBe(200);
    const [ticket] = await waitFor(
      async () => ((await h!.tickets()).length ? h!.tickets() : undefined),
      15_000,
      'a ticket',
    );
    expect(await h.tickets()).toHaveLength(1);
    expect(ticket!.sourceId).toBe(complaint.wamid);
    expect(ticket!.threadId).toBe(`${LINE_1}:${SITI}`);
    expect(ticket!.receivedAt).toBe(new Date(startedAt * 1000).toISOString());
    expect(ticket!.text).toContain('halo min');
    expect(ticket!.text).toContain('(stiker)');
    expect(ticket!.text).toContain('KTP-el saya belum jadi');
    expect(ticket!.classification.category).not.toBe('other');
    // The acknowledgement follows through the normal pipeline; still one prompt only.
    await waitFor(async () => h!.fake.sent.filter((s) => s.to === SITI).length === 2, 15_000, 'the acknowledgement');
    expect(prompts(h, SITI)).toHaveLength(1);
  });

  it('a greeting and the complaint in one notification make one ticket; a photo alone opens one', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    h.fake.citizenWrote(ANDI);
    h.fake.addMedia('7007', JPEG, 'image/jpeg');
    const photo = message(ANDI, { type: 'image', image: { id: '7007', mime_type: 'image/jpeg' } });
    const payload = messagesPayload([
      [text(SITI, 'Assalamualaikum kak'), text(SITI, 'Akta kelahiran anak saya salah tulis nama ibunya')],
      [photo],
    ]);
    expect(await h.post(payload)).toBe(200);
    await waitFor(async () => (await h!.tickets()).length === 2, 15_000, 'two tickets');
    const tickets = await h.tickets();
    const siti = tickets.find((t) => t.threadId === `${LINE_1}:${SITI}`)!;
    const andi = tickets.find((t) => t.threadId === `${LINE_1}:${ANDI}`)!;
    expect(siti.text).toMatch(/Assalamualaikum kak\nAkta kelahiran/);
    expect(andi.sourceId).toBe(photo.wamid);
    // The greeting was kept (and answered with the prompt) before the complaint after it was read.
    expect(prompts(h, SITI).length).toBeLessThanOrEqual(1);
    expect(prompts(h, ANDI)).toHaveLength(0);
  });

  it('with a ticket open, a greeting is a follow-up on it, not a new ticket and no prompt', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    expect(await h.post(messagesPayload([[text(SITI, 'Mohon bantu, KK saya belum dicetak sejak bulan lalu')]]))).toBe(
      200,
    );
    await waitFor(async () => (await h!.tickets()).length === 1, 15_000, 'the ticket');
    const hello = text(SITI, 'halo min');
    expect(await h.post(messagesPayload([[hello]]))).toBe(200);
    await waitFor(
      async () => (await h!.tickets())[0]!.history.some((e) => e.ref === hello.wamid),
      15_000,
      'the follow-up',
    );
    expect(await h.tickets()).toHaveLength(1);
    expect(prompts(h, SITI)).toHaveLength(0);
  });

  it('keeps at most the 20 latest greetings of the last 7 days; the ticket starts with the first kept one', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    const now = Math.floor(Date.now() / 1000);
    const old = text(SITI, 'halo min 0', now - 8 * 24 * 3600);
    const recent = Array.from({ length: 21 }, (_, i) => text(SITI, `halo min ${i + 1}`, now - 3600 + i * 60));
    for (const m of [old, ...recent]) expect(await h.post(messagesPayload([[m]]))).toBe(200);
    expect(await h.tickets()).toEqual([]);
    expect(await h.post(messagesPayload([[text(SITI, 'KIA anak saya belum terbit, sudah dua bulan')]]))).toBe(200);
    const ticket = await waitFor(async () => (await h!.tickets())[0], 15_000, 'the ticket');
    const lines = ticket.text.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('halo min 2');
    expect(lines).not.toContain('halo min 0');
    expect(lines).not.toContain('halo min 1');
    expect(ticket.receivedAt).toBe(new Date(recent[1]!.timestamp! * 1000).toISOString());
    expect(ticket.meta.heldDropped).toMatch(/^2 pesan pembuka sebelumnya/);
    expect(prompts(h, SITI)).toHaveLength(1);
  });
});
