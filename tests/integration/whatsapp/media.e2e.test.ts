import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Ticket } from '../../../src/domain/complaint';
import { messagesPayload, type InboundSpec } from '../../support/fake-whatsapp-server';
import { waitFor } from '../../support/service-harness';
import { LINE_1, startWhatsAppHarness, type WhatsAppHarness } from './whatsapp-test-env';

const SITI = '6281376543210';
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
  Buffer.alloc(4000, 7),
  Buffer.from([0xff, 0xd9]),
]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 65), Buffer.from('\n%%EOF\n')]);

let seq = 0;
function media(type: string, mediaId: string, extra: Record<string, unknown> = {}): InboundSpec {
  return {
    phoneNumberId: LINE_1,
    waId: SITI,
    wamid: `wamid.MEDIA${Date.now()}${++seq}`,
    message: { type, [type]: { id: mediaId, mime_type: 'image/jpeg', ...extra } },
  };
}

async function storedFiles(
  h: WhatsAppHarness,
  wamid: string,
): Promise<NonNullable<Ticket['history'][number]['attachments']>> {
  return waitFor(
    async () => {
      const [ticket] = await h.tickets();
      const entry = ticket?.history.find((e) => e.ref === wamid && e.attachments?.length);
      return entry?.attachments;
    },
    15_000,
    'the stored media',
  );
}

describe('WhatsApp media', () => {
  let h: WhatsAppHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('keeps the message at once with media pending, then stores the file after a 503 on the lookup', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    h.fake.addMedia('1001', JPEG, 'image/jpeg');
    h.fake.failMediaLookups(2);
    const message = media('image', '1001', { caption: 'Foto KK saya yang rusak' });
    expect(await h.post(messagesPayload([[message]]))).toBe(200);
    const [ticket] = await waitFor(
      async () => ((await h!.tickets()).length ? h!.tickets() : undefined),
      15_000,
      'the ticket',
    );
    expect(ticket!.text).toBe('Foto KK saya yang rusak');
    expect(ticket!.attachments[0]!.skippedReason).toContain('media pending');

    const [file] = await storedFiles(h, message.wamid);
    expect(file).toMatchObject({
      contentType: 'image/jpeg',
      size: JPEG.length,
      sha256: createHash('sha256').update(JPEG).digest('hex'),
    });
    expect(readFileSync(file!.storedAt!)).toEqual(JPEG);
    // Each attempt looked the media id up afresh: two refused, one answered.
    expect(
      h.fake.calls.filter((c) => c.path.startsWith('/v') && c.path.endsWith('/1001')).map((c) => c.status),
    ).toEqual([503, 503, 200]);
  });

  it('looks the media id up again when its URL expired between lookup and download', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    h.fake.addMedia('2002', PDF, 'application/pdf');
    h.fake.expireNextMediaUrls(1);
    const message = media('document', '2002', { mime_type: 'application/pdf', filename: 'surat-pindah.pdf' });
    expect(await h.post(messagesPayload([[message]]))).toBe(200);
    const [file] = await storedFiles(h, message.wamid);
    expect(file).toMatchObject({ filename: 'surat-pindah.pdf', contentType: 'application/pdf', size: PDF.length });
    const downloads = h.fake.calls.filter((c) => c.path === '/media/2002').map((c) => c.status);
    expect(downloads).toEqual([404, 200]);
  });

  it('a photo sent as a follow-up joins the open ticket', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    h.fake.addMedia('4004', JPEG, 'image/jpeg');
    const first: InboundSpec = {
      phoneNumberId: LINE_1,
      waId: SITI,
      wamid: `wamid.FIRST${Date.now()}`,
      message: { type: 'text', text: { body: 'KK saya rusak kena air, mohon dicetak ulang' } },
    };
    await h.post(messagesPayload([[first]]));
    await waitFor(async () => (await h!.tickets()).length === 1, 15_000, 'the ticket');
    const photo = media('image', '4004', { caption: 'ini fotonya' });
    await h.post(messagesPayload([[photo]]));
    const [file] = await storedFiles(h, photo.wamid);
    expect(file?.sha256).toBe(createHash('sha256').update(JPEG).digest('hex'));
    const tickets = await h.tickets();
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.history.some((e) => e.event === 'follow-up' && e.ref === photo.wamid)).toBe(true);
  });

  it('never stores bytes whose sha256 differs from what Meta announced; a redelivery fetches nothing twice', async () => {
    h = await startWhatsAppHarness();
    h.fake.citizenWrote(SITI);
    h.fake.addMedia('3003', JPEG, 'image/jpeg', 'f'.repeat(64));
    h.fake.addMedia('3004', JPEG, 'image/jpeg');
    const bad = media('image', '3003');
    const good = media('image', '3004');
    const payload = messagesPayload([[bad], [good]]);
    expect(await h.post(payload)).toBe(200);
    await storedFiles(h, good.wamid);
    expect(await h.post(payload)).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    const [ticket] = await h.tickets();
    expect(ticket!.history.filter((e) => e.ref === bad.wamid && e.attachments?.length)).toEqual([]);
    expect(h.fake.calls.filter((c) => c.path === '/media/3004' && c.status === 200)).toHaveLength(1);
  });
});
