import { normalizeWhatsAppWebhook } from '../../../src/channels/whatsapp/normalize';
import { keptForTicket } from '../../../src/channels/shared/conversation-opener';
import { messagesPayload } from '../../support/fake-whatsapp-server';

const LINE = '106540352242922';
const chatterOf = (message: Record<string, unknown>) => {
  const [item] = normalizeWhatsAppWebhook(
    messagesPayload([[{ phoneNumberId: LINE, waId: '6281376543210', wamid: 'wamid.X1', message }]]),
    new Set([LINE]),
  );
  if (item?.kind !== 'complaint') throw new Error(`not a complaint: ${JSON.stringify(item)}`);
  return item.complaint.meta?.chatter;
};
const text = (body: string) => ({ type: 'text', text: { body } });

describe('WhatsApp chatter marking', () => {
  it.each(['halo min', 'Selamat pagi bapak/ibu', 'p', '🙏🙏🙏', 'Assalamualaikum kak', 'halooo'])(
    '"%s" is a greeting',
    (body) => expect(chatterOf(text(body))).toBe('greeting'),
  );

  it.each(['KTP-el saya belum jadi', 'NIK 1211010101900001', 'halo min, akta anak saya salah nama'])(
    '"%s" has content',
    (body) => expect(chatterOf(text(body))).toBeUndefined(),
  );

  it('stickers and button taps are chatter; media, locations and contacts are content', () => {
    expect(chatterOf({ type: 'sticker', sticker: { id: '1', mime_type: 'image/webp' } })).toBe('sticker');
    expect(chatterOf({ type: 'button', button: { text: 'Ya', payload: 'ya' } })).toBe('menu');
    expect(
      chatterOf({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'a', title: 'Ya' } } }),
    ).toBe('menu');
    expect(chatterOf({ type: 'image', image: { id: '2', mime_type: 'image/jpeg' } })).toBeUndefined();
    expect(chatterOf({ type: 'audio', audio: { id: '3', mime_type: 'audio/ogg', voice: true } })).toBeUndefined();
    expect(chatterOf({ type: 'location', location: { latitude: 2.74, longitude: 98.31 } })).toBeUndefined();
  });

  it('keeps the 20 latest held messages of the 7 days before the content message', () => {
    const at = (hoursAgo: number) => ({
      receivedAt: new Date(Date.UTC(2026, 11, 6) - hoursAgo * 3_600_000).toISOString(),
    });
    const held = [at(24 * 8), ...Array.from({ length: 22 }, (_, i) => at(22 - i))];
    const { kept, dropped } = keptForTicket(held, new Date(Date.UTC(2026, 11, 6)).toISOString());
    expect(dropped).toBe(3);
    expect(kept).toEqual(held.slice(3));
    expect(keptForTicket(held.slice(5, 8), new Date(Date.UTC(2026, 11, 6)).toISOString())).toEqual({
      kept: held.slice(5, 8),
      dropped: 0,
    });
  });
});
