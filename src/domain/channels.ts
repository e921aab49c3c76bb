/** Every way a complaint reaches the office (seed: online and offline channels). */
export const CHANNEL_KEYS = [
  'email',
  'messenger',
  'instagram',
  'perkebbas',
  'call-center',
  'suggestion-box',
  'walk-in',
  'whatsapp',
  /** SP4N-LAPOR!: reports the regency's Admin Koordinator disposes to the office (issue #23). */
  'lapor',
] as const;

export type ChannelKey = (typeof CHANNEL_KEYS)[number];

/** What the rest of the service needs to know about a channel, whichever adapter reads it. */
export interface ChannelFacts {
  /** Indonesian name, as staff say it. */
  label: string;
  /** A reply can be sent back automatically on the same channel. */
  canReply: boolean;
  /** An officer answers in person while taking the complaint down (the first response is the receipt). */
  answeredOnReceipt: boolean;
  /** The complainant's field a message to the citizen goes to. */
  replyContact: 'email' | 'platformUserId' | 'phone';
}

/** The one table of channel facts. */
export const CHANNELS: Readonly<Record<ChannelKey, ChannelFacts>> = {
  email: { label: 'Email', canReply: true, answeredOnReceipt: false, replyContact: 'email' },
  messenger: { label: 'Facebook Messenger', canReply: true, answeredOnReceipt: false, replyContact: 'platformUserId' },
  instagram: { label: 'Instagram', canReply: true, answeredOnReceipt: false, replyContact: 'platformUserId' },
  perkebbas: { label: 'Perkebbas', canReply: true, answeredOnReceipt: false, replyContact: 'platformUserId' },
  // Replies only through an SMS/WhatsApp gateway, when one is configured.
  'call-center': { label: 'Call center', canReply: false, answeredOnReceipt: true, replyContact: 'phone' },
  'suggestion-box': { label: 'Kotak saran', canReply: false, answeredOnReceipt: false, replyContact: 'phone' },
  'walk-in': { label: 'Tatap muka', canReply: false, answeredOnReceipt: true, replyContact: 'phone' },
  // platformUserId is `<our phone number id>:<wa_id>`: the number the citizen wrote to answers them.
  whatsapp: { label: 'WhatsApp', canReply: true, answeredOnReceipt: false, replyContact: 'platformUserId' },
  // The reporter is answered inside LAPOR! by the Admin Penghubung (no public API): never messaged by aduan.
  lapor: { label: 'SP4N-LAPOR!', canReply: false, answeredOnReceipt: false, replyContact: 'platformUserId' },
};

/** Indonesian channel names, as staff say them. */
export const CHANNEL_LABELS: Readonly<Record<ChannelKey, string>> = Object.fromEntries(
  CHANNEL_KEYS.map((key) => [key, CHANNELS[key].label]),
) as Record<ChannelKey, string>;

/** Channels where a reply can be sent back automatically on the same channel. */
export const REPLYABLE_CHANNELS: readonly ChannelKey[] = CHANNEL_KEYS.filter((key) => CHANNELS[key].canReply);
