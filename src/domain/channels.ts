/** Every way a complaint reaches the office (seed: online and offline channels). */
export const CHANNEL_KEYS = [
  'email',
  'messenger',
  'instagram',
  'perkebbas',
  'call-center',
  'suggestion-box',
  'walk-in',
] as const;

export type ChannelKey = (typeof CHANNEL_KEYS)[number];

/** Channels where a reply can be sent back automatically on the same channel. */
export const REPLYABLE_CHANNELS: readonly ChannelKey[] = ['email', 'messenger', 'instagram', 'perkebbas'];
