import type { Ticket } from '../../../src/domain/complaint';
import { messagesPayload } from '../../support/fake-whatsapp-server';
import { waitFor } from '../../support/service-harness';
import { BUDI, RINA, startMetaHarness, type MetaHarness } from '../meta/meta-test-env';
import { citizenText } from '../whatsapp/staff-answer';
import { LINE_1, startWhatsAppHarness, type WhatsAppHarness } from '../whatsapp/whatsapp-test-env';

/**
 * Issue #22 §2 on the chat channels, through their real adapters and reply transports against the loopback
 * fakes (Graph for Messenger and Instagram, the Cloud API for WhatsApp): the owner's status question is answered
 * in the conversation and recorded on the ticket; someone else's question about that number and a question from
 * an account with no ticket get the same "not found"; nothing reaches the team or becomes a ticket.
 */

jest.setTimeout(90_000);

const NOT_FOUND = 'tidak ditemukan untuk akun ini';
const STRANGER = { id: '7000000000000099', name: 'Orang Lain' };

async function settled(store: MetaHarness['service']['store'], ticket: Ticket) {
  await waitFor(
    async () => (await store.listEffects(ticket.id)).filter((e) => e.state === 'done').length >= 2,
    15_000,
    'first effects',
  );
}

describe('status answer on Messenger and Instagram', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('own ticket (unnamed, the only open one) → status; a stranger naming it and an account without tickets → not found', async () => {
    h = await startMetaHarness();
    const harness = h;
    const store = h.service.store;
    h.fake.addInbound('messenger', BUDI, 'Selamat siang, akta kelahiran anak saya belum terbit sudah 2 bulan');
    const ticket = await waitFor(async () => (await harness.tickets())[0], 15_000, 'the ticket');
    await settled(store, ticket);
    const number = ticket.ticketNumber;

    // The owner asks without a number: their only open ticket is answered, in the conversation.
    h.fake.addInbound('messenger', BUDI, 'Min, sudah sampai mana ya pengaduan saya?');
    const answer = await waitFor(async () => harness.fake.sentTo(BUDI.id)[1]?.text, 15_000, 'the status answer');
    expect(answer).toContain(`Status pengaduan ${number}`);
    expect(answer).toMatch(/Tahap saat ini: (diteruskan ke tim|diterima)/);
    expect(answer).toContain('Target penyelesaian: ');
    expect(answer).not.toContain('Yth.'); // a chat gets the lines, not a letter
    await waitFor(
      async () => (await store.getTicket(ticket.id))!.history.some((h) => h.event === 'status-question'),
      10_000,
      'recorded on the ticket',
    );

    // A stranger on Messenger names that ticket; an Instagram account with no ticket asks about "laporan saya".
    h.fake.addInbound('messenger', STRANGER, `cek status ${number} dong min`);
    h.fake.addInbound('instagram', RINA, 'kak, laporan saya sudah diproses belum?');
    const stranger = await waitFor(async () => harness.fake.sentTo(STRANGER.id)[0]?.text, 15_000, 'stranger');
    const rina = await waitFor(async () => harness.fake.sentTo(RINA.id)[0]?.text, 15_000, 'instagram answer');
    expect(stranger).toContain(NOT_FOUND);
    expect(stranger).not.toContain(number);
    expect(rina).toBe(stranger);

    // Nothing became a ticket or a follow-up for the team.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await harness.tickets()).toHaveLength(1);
    expect(harness.outbox().filter((f) => f.includes('.fu-'))).toEqual([]);
    expect(harness.fake.sentTo(BUDI.id)).toHaveLength(2);
  });
});

describe('status answer on WhatsApp', () => {
  let h: WhatsAppHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const ANDI = '6285261234567';
  const OTHER = '6281377778888';
  const NEW = '6282166660000';

  it('own ticket (named) → status, up to the hourly cap; a stranger and a number without tickets → not found', async () => {
    h = await startWhatsAppHarness({
      tweak: (c) => ({ ...c, citizens: { ...c.citizens, statusAnswersPerHour: 2 } }),
    });
    const harness = h;
    const store = h.service.store;
    const say = (waId: string, body: string) => {
      harness.fake.citizenWrote(waId);
      return harness.post(messagesPayload([[citizenText(LINE_1, waId, body)]]));
    };
    const textsTo = (waId: string) => harness.fake.sent.filter((m) => m.to === waId).map((m) => m.text ?? '');
    await say(ANDI, 'KTP elektronik saya rusak, chipnya tidak terbaca waktu di bank');
    const ticket = await waitFor(async () => (await harness.tickets())[0], 15_000, 'the ticket');
    await settled(store, ticket);
    const number = ticket.ticketNumber;

    await say(ANDI, `Selamat pagi, mohon info status tiket ${number}. Terima kasih`);
    const answer = await waitFor(async () => textsTo(ANDI)[1], 15_000, 'the status answer');
    expect(answer).toContain(`Status pengaduan ${number}`);
    expect(answer).toContain('Jenis: ');

    await say(OTHER, `cek ${number}`);
    await say(NEW, 'Sudah sampai mana pengaduan saya?');
    const other = await waitFor(async () => textsTo(OTHER)[0], 15_000, "the stranger's answer");
    expect(other).toContain(NOT_FOUND);
    expect(other).not.toContain(number);
    expect(await waitFor(async () => textsTo(NEW)[0], 15_000, 'the answer to a number without tickets')).toBe(other);

    // The cap (2 per hour here): the third question is recorded on the ticket, not answered.
    await say(ANDI, `gimana kabarnya adu ${Number(number.slice(-6))}?`);
    await waitFor(async () => textsTo(ANDI)[2], 15_000, 'the second answer');
    await say(ANDI, 'sampai mana pengaduan saya min?');
    const limited = await waitFor(
      async () =>
        (await store.getTicket(ticket.id))!.history.find(
          (e) => e.event === 'status-question' && e.note?.includes('tidak dijawab otomatis'),
        ),
      15_000,
      'the third question recorded',
    );
    expect(limited.statusAnswer).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(textsTo(ANDI)).toHaveLength(3);
    expect(await harness.tickets()).toHaveLength(1);
    expect(harness.outbox().filter((f) => f.includes('.fu-'))).toEqual([]);
  });
});
