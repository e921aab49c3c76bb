import { callCenterChannel } from './callcenter';
import type { ChannelModule } from './channel-module';
import { emailChannel } from './email';
import { laporChannel } from './lapor';
import { metaChannel } from './meta';
import { portalChannel } from './portal';
import { samplesChannel } from './samples';
import { whatsappChannel } from './whatsapp';

/**
 * Every channel the service knows, in the order the demo feeds their samples. A new channel is a new
 * folder exporting a ChannelModule, its config section in config/schema.ts, and a line here.
 */
export const CHANNEL_MODULES: ReadonlyArray<ChannelModule<{ enabled: boolean }>> = [
  samplesChannel,
  emailChannel,
  callCenterChannel,
  metaChannel,
  portalChannel,
  whatsappChannel,
  laporChannel,
];
