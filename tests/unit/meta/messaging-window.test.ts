import { decideReply, splitMessageText } from '../../../src/channels/meta/messaging-window';

const NOW = Date.parse('2026-08-02T10:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();
const base = { now: NOW, humanWritten: false, humanAgentTagApproved: false, channelLabel: 'Facebook Messenger' };

describe('decideReply', () => {
  it('answers with RESPONSE within 24 hours of the citizen’s last message', () => {
    expect(decideReply({ ...base, lastInboundAt: hoursAgo(23.9) })).toEqual({ send: true, messagingType: 'RESPONSE' });
  });

  it('does not send after 24 hours and says why in Bahasa Indonesia', () => {
    const decision = decideReply({ ...base, lastInboundAt: hoursAgo(25) });
    expect(decision).toEqual({
      send: false,
      reason: expect.stringContaining('di luar jendela 24 jam Facebook Messenger'),
    });
    expect(decideReply({ ...base, lastInboundAt: hoursAgo(72) })).toEqual({
      send: false,
      reason: expect.stringContaining('3 hari yang lalu'),
    });
  });

  it('uses HUMAN_AGENT only for staff-written replies, when approved, up to 7 days', () => {
    const late = { ...base, lastInboundAt: hoursAgo(48) };
    expect(decideReply({ ...late, humanWritten: true, humanAgentTagApproved: true })).toEqual({
      send: true,
      messagingType: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
    expect(decideReply({ ...late, humanWritten: false, humanAgentTagApproved: true }).send).toBe(false);
    expect(decideReply({ ...late, humanWritten: true, humanAgentTagApproved: false }).send).toBe(false);
    expect(
      decideReply({ ...base, lastInboundAt: hoursAgo(8 * 24), humanWritten: true, humanAgentTagApproved: true }).send,
    ).toBe(false);
  });

  it('does not send when the citizen’s message cannot be found', () => {
    expect(decideReply({ ...base, lastInboundAt: undefined }).send).toBe(false);
  });
});

describe('splitMessageText', () => {
  it('keeps a normal acknowledgement in one message', () => {
    expect(splitMessageText('Yth. Budi,\nPengaduan Anda telah kami terima.\n', 'messenger')).toEqual([
      'Yth. Budi,\nPengaduan Anda telah kami terima.',
    ]);
  });

  it('splits at line and word boundaries within Messenger (2000 chars) and Instagram (1000 bytes) limits', () => {
    const paragraph = Array.from({ length: 300 }, (_, i) => `kata${i}`).join(' ');
    const text = `${paragraph}\n${paragraph}`;
    const messenger = splitMessageText(text, 'messenger');
    expect(messenger.every((c) => c.length <= 2000)).toBe(true);
    expect(messenger.join(' ').replace(/\n/g, ' ')).toBe(text.replace(/\n/g, ' '));
    const instagram = splitMessageText('é'.repeat(1500), 'instagram');
    expect(instagram.every((c) => Buffer.byteLength(c) <= 1000)).toBe(true);
    expect(instagram.join('')).toBe('é'.repeat(1500));
  });
});
