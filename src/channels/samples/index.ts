import type { AppConfig } from '../../config/schema';
import type { ChannelModule } from '../channel-module';
import { SamplesIntake } from './samples-intake';

export { SamplesIntake } from './samples-intake';

/** `channels.samples`: records already normalized (JSON lines), read once; the offline channels' way in. */
export const samplesChannel: ChannelModule<NonNullable<AppConfig['channels']['samples']>> = {
  configOf: (config) => config.channels.samples,
  intakes: async (section, { config, store, log }) => [
    new SamplesIntake(section.folder, store, log.child({ channel: 'samples' }), config.service.timeZone),
  ],
  replyTransports: async () => ({}),
  async feedDemo({ samplesDir, config, store, sink, log }) {
    const records = new SamplesIntake(samplesDir, store, log, config.service.timeZone);
    await records.start(sink);
    await records.drained();
  },
};
