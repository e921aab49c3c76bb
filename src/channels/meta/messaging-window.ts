/**
 * Meta lets a Page answer freely within 24 hours of the person's last message. After that only tagged
 * messages may go out; of the tags, only HUMAN_AGENT fits us (a reply typed by staff, up to 7 days,
 * once App Review approved it). Automatic messages never use it.
 */

export const STANDARD_WINDOW_MS = 24 * 3_600_000;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3_600_000;

export type ReplyDecision =
  | { send: true; messagingType: 'RESPONSE' }
  | { send: true; messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }
  | { send: false; reason: string };

export interface ReplyContext {
  /** ISO time of the citizen's newest message in the conversation, if one was found. */
  lastInboundAt: string | undefined;
  now: number;
  /** Written by staff (a solution), not composed automatically. */
  humanWritten: boolean;
  humanAgentTagApproved: boolean;
  /** Channel name for the Bahasa Indonesia reason (e.g. "Facebook Messenger"). */
  channelLabel: string;
}

export function decideReply(context: ReplyContext): ReplyDecision {
  const { lastInboundAt, now, channelLabel } = context;
  if (!lastInboundAt) {
    return {
      send: false,
      reason: `pesan pelapor tidak ditemukan di percakapan ${channelLabel}, sehingga balasan tidak dapat dikirim lewat ${channelLabel}; mohon hubungi pelapor dengan cara lain`,
    };
  }
  const age = now - Date.parse(lastInboundAt);
  if (age <= STANDARD_WINDOW_MS) return { send: true, messagingType: 'RESPONSE' };
  if (context.humanWritten && context.humanAgentTagApproved && age <= HUMAN_AGENT_WINDOW_MS) {
    return { send: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  }
  const hours = Math.floor(age / 3_600_000);
  const since = hours >= 48 ? `${Math.floor(hours / 24)} hari` : `${hours} jam`;
  return {
    send: false,
    reason:
      `di luar jendela 24 jam ${channelLabel}: pesan terakhir pelapor diterima ${since} yang lalu. ` +
      `Meta hanya mengizinkan balasan dalam 24 jam sejak pesan terakhir pelapor; balasan dapat dikirim lagi setelah pelapor menulis pesan baru`,
  };
}

/** Messenger takes up to 2000 characters per message, Instagram up to 1000 bytes. */
export function splitMessageText(text: string, channel: 'messenger' | 'instagram'): string[] {
  const fits =
    channel === 'instagram'
      ? (s: string) => Buffer.byteLength(s, 'utf8') <= 1000
      : (s: string) => [...s].length <= 2000;
  const chunks: string[] = [];
  let current = '';
  const push = (piece: string, separator: string) => {
    const joined = current ? `${current}${separator}${piece}` : piece;
    if (fits(joined)) {
      current = joined;
      return true;
    }
    if (current) chunks.push(current);
    current = '';
    if (fits(piece)) {
      current = piece;
      return true;
    }
    return false;
  };
  for (const line of text.trim().split('\n')) {
    if (push(line, '\n')) continue;
    for (const word of line.split(' ')) {
      if (push(word, ' ')) continue;
      for (const char of word) if (!push(char, '')) throw new Error('a single character exceeds the message limit');
    }
  }
  if (current) chunks.push(current);
  return chunks;
}
