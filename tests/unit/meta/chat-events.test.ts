import { normalizeWebhookPayload, type AccountRef } from '../../../src/channels/meta/normalize';

const PAGE: AccountRef = { channel: 'messenger', ownId: '104000000000001' };
const OUR_APP = '1517776481860111';
const INBOX_APP = '263902037430900';
const CITIZEN = '7000000000000001';
const now = new Date('2026-08-01T03:00:00Z');

function payload(event: Record<string, unknown>, list: 'messaging' | 'standby' = 'messaging') {
  return {
    object: 'page',
    entry: [
      {
        id: PAGE.ownId,
        time: now.getTime(),
        [list]: [{ sender: { id: CITIZEN }, recipient: { id: PAGE.ownId }, timestamp: now.getTime(), ...event }],
      },
    ],
  };
}
const one = (event: Record<string, unknown>, options: { appId?: string; list?: 'messaging' | 'standby' } = {}) =>
  normalizeWebhookPayload(payload(event, options.list), [PAGE], now, options.appId ?? OUR_APP)[0]!;
const meta = (event: Record<string, unknown>) => {
  const n = one(event);
  if (n.kind !== 'complaint') throw new Error(n.reason);
  return n.complaint.meta ?? {};
};

describe('Meta webhook events as citizens and staff send them', () => {
  const echo = (appId: number) => ({
    sender: { id: PAGE.ownId },
    recipient: { id: CITIZEN },
    message: { mid: 'm_echo', text: 'Sudah kami proses, Pak.', is_echo: true, app_id: appId },
  });

  it('an echo from another app is an inbox answer for the citizen; ours, or any when no app id is set, is ignored', () => {
    const answer = one(echo(Number(INBOX_APP)));
    expect(answer).toMatchObject({
      kind: 'complaint',
      complaint: {
        sourceId: 'm_echo',
        threadId: `${PAGE.ownId}:${CITIZEN}`,
        complainant: { platformUserId: CITIZEN },
        autoReplyAllowed: false,
        meta: { inboxAnswer: 'page-inbox', inboxAppId: INBOX_APP },
      },
    });
    expect(one(echo(Number(OUR_APP)))).toMatchObject({ kind: 'ignored', reason: 'echo of our own message' });
    expect(one(echo(Number(INBOX_APP)), { appId: '' })).toMatchObject({ kind: 'ignored' });
  });

  it('marks what has nothing to classify: greetings, stickers, menu taps, postbacks, story mentions, shares', () => {
    expect(meta({ message: { mid: 'm1', text: 'halo min 🙏' } }).chatter).toBe('greeting');
    expect(
      meta({
        message: { mid: 'm2', attachments: [{ type: 'image', payload: { url: 'u', sticker_id: 369239263222822 } }] },
      }).chatter,
    ).toBe('sticker');
    expect(meta({ message: { mid: 'm3', attachments: [{ type: 'sticker', payload: { url: 'u' } }] } }).chatter).toBe(
      'sticker',
    );
    expect(meta({ message: { mid: 'm4', text: 'Syarat KTP', quick_reply: { payload: 'MENU_KTP' } } }).chatter).toBe(
      'menu',
    );
    const started = one({ postback: { mid: 'm5', title: 'Get Started', payload: 'GET_STARTED' } });
    expect(started).toMatchObject({
      kind: 'complaint',
      complaint: { sourceId: 'm5', text: '[menu] Get Started', meta: { chatter: 'postback' } },
    });
    expect(
      meta({ message: { mid: 'm6', attachments: [{ type: 'story_mention', payload: { url: 'u' } }] } }).chatter,
    ).toBe('story-mention');
    expect(meta({ message: { mid: 'm7', attachments: [{ type: 'fallback', payload: { url: 'u' } }] } }).chatter).toBe(
      'share',
    );
  });

  it('content, a photo or a voice note alone is no chatter, and its file is to be downloaded', () => {
    expect(meta({ message: { mid: 'm8', text: 'halo min, KTP saya hilang' } }).chatter).toBeUndefined();
    const photo = one({
      message: { mid: 'm9', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/a' } }] },
    });
    expect(photo).toMatchObject({ kind: 'complaint', downloads: [{ index: 0, url: 'https://cdn.example/a' }] });
    if (photo.kind === 'complaint') expect(photo.complaint.meta?.chatter).toBeUndefined();
    expect(
      meta({ message: { mid: 'm10', attachments: [{ type: 'audio', payload: { url: 'u' } }] } }).chatter,
    ).toBeUndefined();
  });

  it('standby: no automatic message, and the record says why', () => {
    const n = one({ message: { mid: 'm11', text: 'KTP saya hilang' } }, { list: 'standby' });
    expect(n).toMatchObject({
      kind: 'complaint',
      complaint: {
        autoReplyAllowed: false,
        meta: { standby: 'true', autoReplyBlocked: expect.stringMatching(/standby/) },
      },
    });
  });

  it('message_edit carries the new text for the original; num_edit 0 and a missing mid are not edits', () => {
    expect(one({ message_edit: { mid: 'm12', text: 'KTP saya rusak', num_edit: 2 } })).toMatchObject({
      kind: 'complaint',
      complaint: {
        sourceId: 'm12#edit-2',
        text: 'KTP saya rusak',
        meta: { change: 'edit', changeOf: 'm12', editNumber: '2' },
      },
    });
    expect(one({ message_edit: { mid: 'm12', text: 'x', num_edit: 0 } }).kind).toBe('ignored');
    expect(one({ message_edit: { text: 'x', num_edit: 1 } })).toMatchObject({ kind: 'ignored', malformed: true });
  });
});
