import { validateComplaint } from '../../../src/domain/complaint';
import type { GraphList, GraphMessage, WebhookPayload } from '../../../src/channels/meta/graph-types';
import {
  graphTimeToIso,
  normalizePolledMessage,
  normalizeWebhookPayload,
  type AccountRef,
  type Normalized,
} from '../../../src/channels/meta/normalize';
import messengerMessages from '../../fixtures/meta/messenger-messages.json';
import instagramMessages from '../../fixtures/meta/instagram-messages.json';
import webhookMessenger from '../../fixtures/meta/webhook-messenger.json';
import webhookInstagram from '../../fixtures/meta/webhook-instagram.json';

const PAGE: AccountRef = { channel: 'messenger', ownId: '104000000000001' };
const INSTAGRAM: AccountRef = { channel: 'instagram', ownId: '17841400000000000' };

function complaintOf(result: Normalized) {
  if (result.kind !== 'complaint') throw new Error(`expected a complaint, got: ${result.reason}`);
  const validated = validateComplaint(result.complaint);
  if (!validated.ok) throw new Error(validated.reason);
  return validated.complaint;
}

describe('graphTimeToIso', () => {
  it('reads the +0000 offset Graph uses', () => {
    expect(graphTimeToIso('2026-08-01T10:00:00+0000')).toBe('2026-08-01T10:00:00.000Z');
    expect(graphTimeToIso('2026-08-01T17:00:00+0700')).toBe('2026-08-01T10:00:00.000Z');
    expect(graphTimeToIso('not a time')).toBeUndefined();
    expect(graphTimeToIso(undefined)).toBeUndefined();
  });
});

describe('normalizePolledMessage (Messenger)', () => {
  const [ownReply, photo, text] = (messengerMessages as GraphList<GraphMessage>).data;

  it('turns a citizen message into a valid complaint threaded by Page + PSID', () => {
    const complaint = complaintOf(normalizePolledMessage(text!, PAGE, 't_10160000000000001'));
    expect(complaint).toMatchObject({
      channel: 'messenger',
      sourceId: 'm_AbCdEf123firsttext',
      threadId: '104000000000001:7000000000000001',
      receivedAt: '2026-08-01T09:58:00.000Z',
      complainant: { name: 'Budi Santoso', platformUserId: '7000000000000001' },
      text: 'Selamat pagi, KTP saya belum jadi sejak 3 bulan lalu. NIK 1211010101900001',
      meta: { accountId: '104000000000001', conversationId: 't_10160000000000001', via: 'polling' },
    });
    // PSID@facebook.com is not a mailbox.
    expect(complaint.complainant.email).toBeUndefined();
  });

  it('keeps attachment metadata without the expiring CDN links', () => {
    const complaint = complaintOf(normalizePolledMessage(photo!, PAGE, 't_1'));
    expect(complaint.text).toBe('');
    expect(complaint.attachments).toEqual([
      expect.objectContaining({ filename: 'image-1234.jpg', contentType: 'image/jpeg', size: 204800 }),
      expect.objectContaining({ filename: 'formulir.pdf', contentType: 'application/pdf', size: 51234 }),
    ]);
    expect(JSON.stringify(complaint)).not.toContain('fbcdn');
    expect(complaint.attachments[0]!.skippedReason).toMatch(/tidak diunduh/);
  });

  it("ignores the Page's own messages", () => {
    expect(normalizePolledMessage(ownReply!, PAGE, 't_1')).toEqual({ kind: 'ignored', reason: 'our own message' });
  });

  it('ignores a message with neither text nor attachment instead of quarantining it', () => {
    expect(
      normalizePolledMessage({ id: 'm_x', created_time: '2026-08-01T10:00:00+0000', from: { id: '7' } }, PAGE, 't_1')
        .kind,
    ).toBe('ignored');
  });
});

describe('normalizePolledMessage (Instagram)', () => {
  const [question, ownReply, empty] = (instagramMessages as GraphList<GraphMessage>).data;

  it('keeps the username and the IGSID', () => {
    const complaint = complaintOf(normalizePolledMessage(question!, INSTAGRAM, 'aWdfconv'));
    expect(complaint).toMatchObject({
      channel: 'instagram',
      threadId: '17841400000000000:17841446739229368',
      complainant: { platformUserId: '17841446739229368', platformUsername: 'warga_sidikalang' },
      receivedAt: '2026-02-18T18:37:25.000Z',
    });
    expect(complaint.complainant.name).toBeUndefined();
  });

  it('ignores our own reply and empty items', () => {
    expect(normalizePolledMessage(ownReply!, INSTAGRAM, 'c').kind).toBe('ignored');
    expect(normalizePolledMessage(empty!, INSTAGRAM, 'c').kind).toBe('ignored');
  });
});

describe('normalizeWebhookPayload', () => {
  it('takes citizen messages and skips echoes, deliveries and reads (Messenger)', () => {
    const results = normalizeWebhookPayload(webhookMessenger as WebhookPayload, [PAGE, INSTAGRAM]);
    const complaints = results.filter((r) => r.kind === 'complaint').map(complaintOf);
    expect(complaints.map((c) => c.sourceId)).toEqual(['m_AbCdEf123webhooktext', 'm_AbCdEf123webhookphoto']);
    expect(complaints[0]).toMatchObject({
      channel: 'messenger',
      threadId: '104000000000001:7000000000000001',
      receivedAt: new Date(1754042400000).toISOString(),
      complainant: { platformUserId: '7000000000000001' },
      meta: { via: 'webhook' },
    });
    expect(complaints[1]!.attachments).toEqual([
      expect.objectContaining({ filename: 'image-1', contentType: 'image/*', size: 0 }),
    ]);
    expect(results.filter((r) => r.kind === 'ignored').map((r) => (r as { reason: string }).reason)).toEqual([
      'echo of our own message',
      expect.stringMatching(/not a message event/),
      expect.stringMatching(/not a message event/),
    ]);
  });

  it('gives a webhook message the same sourceId and threadId as polling does', () => {
    const polled = complaintOf(
      normalizePolledMessage(
        {
          id: 'm_same',
          created_time: '2026-08-01T10:00:00+0000',
          from: { id: '7000000000000001', name: 'Budi' },
          message: 'Halo',
        },
        PAGE,
        't_1',
      ),
    );
    const pushed = complaintOf(
      normalizeWebhookPayload(
        {
          object: 'page',
          entry: [
            {
              id: PAGE.ownId,
              messaging: [
                {
                  sender: { id: '7000000000000001' },
                  recipient: { id: PAGE.ownId },
                  timestamp: Date.parse('2026-08-01T10:00:00Z'),
                  message: { mid: 'm_same', text: 'Halo' },
                },
              ],
            },
          ],
        },
        [PAGE],
      )[0]!,
    );
    expect(pushed.sourceId).toBe(polled.sourceId);
    expect(pushed.threadId).toBe(polled.threadId);
    expect(pushed.receivedAt).toBe(polled.receivedAt);
  });

  it('handles Instagram: unsupported gets a placeholder, an unsend marks the message, our echo and edit 0 are skipped', () => {
    const results = normalizeWebhookPayload(webhookInstagram as WebhookPayload, [PAGE, INSTAGRAM]);
    const complaints = results.filter((r) => r.kind === 'complaint').map(complaintOf);
    expect(complaints.map((c) => c.sourceId)).toEqual([
      'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxwebhook1',
      'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxwebhook2',
      'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxwebhook3#unsend',
    ]);
    expect(complaints[0]!.threadId).toBe('17841400000000000:2182294425935229');
    expect(complaints[1]!.text).toMatch(/tidak dapat dibaca/);
    expect(complaints[2]!.meta).toMatchObject({
      change: 'unsend',
      changeOf: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxwebhook3',
    });
    expect(results.filter((r) => r.kind === 'ignored')).toHaveLength(2);
  });

  it('ignores accounts and objects we do not read', () => {
    expect(normalizeWebhookPayload(webhookInstagram as WebhookPayload, [PAGE])).toEqual([
      { kind: 'ignored', reason: 'no instagram account 17841400000000000 configured' },
    ]);
    expect(normalizeWebhookPayload({ object: 'whatsapp_business_account', entry: [] }, [PAGE])[0]!.kind).toBe(
      'ignored',
    );
  });
});

describe('webhook payloads not in the documented shape', () => {
  const now = new Date('2026-11-30T03:00:00Z');
  const event = (extra: object, message: object = {}) => ({
    object: 'page',
    entry: [
      {
        id: PAGE.ownId,
        time: 1,
        messaging: [
          {
            sender: { id: '7000000000000001' },
            recipient: { id: PAGE.ownId },
            timestamp: Date.parse('2026-11-30T02:59:00Z'),
            ...extra,
            message: { mid: 'm_h', text: 'KTP saya hilang', ...message },
          },
        ],
      },
    ],
  });

  test.each([
    ['a timestamp beyond what a Date holds', { timestamp: 1e20 }],
    ['a timestamp that is text', { timestamp: 'kemarin' }],
    ['no timestamp', { timestamp: undefined }],
  ])('%s: the message counts from the notification, never an exception', (_name, extra) => {
    const [result] = normalizeWebhookPayload(event(extra), [PAGE], now);
    expect(result).toMatchObject({
      kind: 'complaint',
      complaint: {
        receivedAt: now.toISOString(),
        meta: { timestampMissing: expect.stringContaining('tidak terbaca') },
      },
    });
  });

  test.each([
    ['null', null, 'payload is null'],
    ['a list', [], 'payload is a list'],
    ['entry as an object', { object: 'page', entry: { id: PAGE.ownId } }, 'entry is an object, not a list'],
    ['a null entry', { object: 'page', entry: [null] }, 'an entry is null'],
    [
      'messaging as an object',
      { object: 'page', entry: [{ id: PAGE.ownId, messaging: { 0: {} } }] },
      'entry.messaging is an object',
    ],
    ['a null event', { object: 'page', entry: [{ id: PAGE.ownId, messaging: [null] }] }, 'an event is null'],
    [
      'a Graph error body',
      { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } },
      'object "undefined" is not read',
    ],
  ])('%s is reported as malformed with the reason', (_name, payload, reason) => {
    expect(normalizeWebhookPayload(payload, [PAGE], now)).toEqual([
      { kind: 'ignored', reason: expect.stringContaining(reason), malformed: true },
    ]);
  });

  test('a malformed event does not cost the other events of the payload', () => {
    const payload = event({});
    (payload.entry[0]!.messaging as unknown[]).unshift(null, {
      sender: null,
      message: { mid: 'm_x', attachments: [null], text: { $gt: '' } },
    });
    const results = normalizeWebhookPayload(payload, [PAGE], now);
    expect(results.map((r) => r.kind)).toEqual(['ignored', 'ignored', 'complaint']);
  });

  test('text that is not a string is kept as its JSON; odd attachments lists are read safely', () => {
    const [result] = normalizeWebhookPayload(
      event({}, { text: { $gt: '' }, attachments: [null, { type: 7 }] }),
      [PAGE],
      now,
    );
    expect(result).toMatchObject({
      kind: 'complaint',
      complaint: { text: '{"$gt":""}', attachments: [{ filename: 'lampiran-1' }, { filename: 'lampiran-2' }] },
    });
  });
});
