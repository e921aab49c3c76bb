import { MEDIA_PENDING, normalizeWhatsAppWebhook, parseWaAddress } from '../../../src/channels/whatsapp/normalize';
import { classifyCloudError } from '../../../src/channels/whatsapp/cloud-errors';
import { splitMessage } from '../../../src/channels/shared/split-message';
import { hubChallenge, verifyHubSignature } from '../../../src/channels/shared/hub-signature';
import { normalizePhone, phoneFromWaId } from '../../../src/domain/phone';
import { validateComplaint } from '../../../src/domain/complaint';
import { messagesPayload, hubSignature } from '../../support/fake-whatsapp-server';

const LINE = '106540352242922';
const own = new Set([LINE]);
const one = (message: Record<string, unknown>, waId = '6281376543210') =>
  normalizeWhatsAppWebhook(
    messagesPayload([[{ phoneNumberId: LINE, waId, wamid: 'wamid.X1', timestamp: 1_780_000_000, message }]]),
    own,
  );

describe('WhatsApp webhook normalization', () => {
  it('turns a text into a valid complaint keyed on the wamid, threaded on number + citizen', () => {
    const [item] = one({ type: 'text', text: { body: 'KTP saya hilang' } });
    expect(item).toMatchObject({
      kind: 'complaint',
      complaint: {
        channel: 'whatsapp',
        sourceId: 'wamid.X1',
        threadId: `${LINE}:6281376543210`,
        receivedAt: new Date(1_780_000_000_000).toISOString(),
        complainant: { phone: '+6281376543210', platformUserId: `${LINE}:6281376543210` },
        text: 'KTP saya hilang',
      },
    });
    expect(validateComplaint(item!.kind === 'complaint' && item!.complaint).ok).toBe(true);
  });

  it.each([
    [{ type: 'image', image: { id: 'M1', mime_type: 'image/jpeg', sha256: 'abc', caption: 'foto KK' } }, 'foto KK'],
    [{ type: 'location', location: { latitude: 2.74, longitude: 98.31, name: 'Kantor Camat Sumbul' } }, 'Sumbul'],
    [
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Pak Kades' }, phones: [{ phone: '+62 812' }] }] },
      'Pak Kades',
    ],
    [
      { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'kk', title: 'Kartu Keluarga' } } },
      'Kartu Keluarga',
    ],
    [{ type: 'button', button: { text: 'Sudah selesai', payload: 'done' } }, 'Sudah selesai'],
  ])('reads %j', (message, expected) => {
    const [item] = one(message);
    expect(item?.kind).toBe('complaint');
    if (item?.kind === 'complaint') {
      expect(item.complaint.text).toContain(expected);
      expect(validateComplaint(item.complaint).ok).toBe(true);
    }
  });

  it('keeps a media message with its attachment marked as pending download', () => {
    const [item] = one({ type: 'audio', audio: { id: 'M2', mime_type: 'audio/ogg', voice: true } });
    expect(item).toMatchObject({
      kind: 'complaint',
      complaint: {
        attachments: [{ filename: 'pesan-suara-whatsapp', skippedReason: MEDIA_PENDING }],
        meta: { mediaId: 'M2' },
      },
    });
  });

  it('records reactions and unsupported messages without a ticket', () => {
    expect(one({ type: 'reaction', reaction: { message_id: 'w', emoji: '👍' } })[0]).toMatchObject({
      kind: 'no-ticket',
      what: 'reaction',
    });
    expect(one({ type: 'unsupported' })[0]).toMatchObject({
      kind: 'no-ticket',
      what: 'unsupported',
      replyTo: `${LINE}:6281376543210`,
    });
  });

  it('ignores numbers that are not ours and payloads of another shape, without throwing', () => {
    const other = normalizeWhatsAppWebhook(
      messagesPayload([
        [{ phoneNumberId: '999', waId: '62812', wamid: 'w', message: { type: 'text', text: { body: 'x' } } }],
      ]),
      own,
    );
    expect(other).toEqual([expect.objectContaining({ kind: 'ignored', malformed: true })]);
    for (const junk of [
      null,
      1,
      'x',
      [],
      { object: 'page' },
      { object: 'whatsapp_business_account', entry: [null, { changes: [1] }] },
    ])
      expect(() => normalizeWhatsAppWebhook(junk, own)).not.toThrow();
  });

  it('routes replies back through number and citizen', () => {
    expect(parseWaAddress(`${LINE}:6281376543210`)).toEqual({ phoneNumberId: LINE, to: '6281376543210' });
    expect(parseWaAddress('bukan alamat')).toBeUndefined();
  });
});

describe('phones of every channel in one form', () => {
  it.each([
    ['0812-3238-3434', '+6281232383434'],
    ['62 812 3238 3434', '+6281232383434'],
    ['+62 (0)812 3238 3434', '+6281232383434'],
    ['+60 12-345 6789', '+60123456789'],
  ])('%s → %s', (raw, expected) => expect(normalizePhone(raw)).toBe(expected));

  it('takes a wa_id as it is: a +60 number never becomes +62', () => {
    expect(phoneFromWaId('60123456789')).toBe('+60123456789');
    expect(phoneFromWaId('6281232383434')).toBe(normalizePhone('0812-3238-3434'));
  });
});

describe('Cloud API errors, splitting and signatures', () => {
  it.each([
    [130429, 'rate-limit'],
    [4, 'rate-limit'],
    [80007, 'rate-limit'],
    [131056, 'pair-rate-limit'],
    [131047, 'outside-window'],
    [131026, 'unreachable'],
    [132001, 'template'],
    [132016, 'template'],
    [190, 'auth'],
    [131000, 'transient'],
  ])('code %d → %s', (code, kind) => expect(classifyCloudError(code, 400)).toBe(kind));

  it('splits at most 4,096 characters per message, keeping words whole', () => {
    const text = Array.from({ length: 900 }, (_, i) => `kata${i}`).join(' ');
    const parts = splitMessage(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => [...p].length <= 4096)).toBe(true);
    expect(parts.join(' ')).toBe(text);
  });

  it('cuts a word longer than a message and never splits an emoji', () => {
    const parts = splitMessage(`awal ${'🙏'.repeat(5000)} akhir`, 4096);
    expect(parts.map((p) => [...p].length)).toEqual([4, 4096, 904 + ' akhir'.length]);
    expect(parts.join(' ').replace(/\s/g, '')).toBe(`awal${'🙏'.repeat(5000)}akhir`);
    expect(parts.every((p) => !/[\ud800-\udbff]$/.test(p))).toBe(true);
  });

  it('checks the signature over the raw bytes and the handshake token', () => {
    const body = Buffer.from('{"a":1}');
    expect(verifyHubSignature(body, hubSignature(body, 's3cret'), 's3cret')).toBe(true);
    expect(verifyHubSignature(body, hubSignature(body, 's3cret'), 'other')).toBe(false);
    expect(verifyHubSignature(body, 'sha256=zz', 's3cret')).toBe(false);
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': 't', 'hub.challenge': '42' });
    expect(hubChallenge(query, 't')).toBe('42');
    expect(hubChallenge(query, 'u')).toBeUndefined();
    expect(hubChallenge(query, '')).toBeUndefined();
  });
});

describe('channels.whatsapp config (check-config)', () => {
  it('names every missing setting of an enabled section', async () => {
    const { whatsappChannelSchema } = await import('../../../src/channels/whatsapp/config-schema');
    const result = whatsappChannelSchema.safeParse({
      enabled: true,
      numbers: [{ phoneNumberId: '1' }, { phoneNumberId: '1' }],
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'accessToken: required when enabled (set WHATSAPP_ACCESS_TOKEN)',
      'appSecret: required when enabled (set WHATSAPP_APP_SECRET)',
      'webhook.verifyToken: required when enabled',
      'numbers: each phoneNumberId once',
    ]);
    expect(whatsappChannelSchema.safeParse({}).success).toBe(true);
  });
});
