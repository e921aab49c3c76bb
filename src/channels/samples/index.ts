import type { AppConfig } from '../../config/schema';
import type { ChannelModule } from '../channel-module';
import { SamplesIntake } from './samples-intake';

export { SamplesIntake } from './samples-intake';

/** `channels.samples`: records already normalized (JSON lines), read once; the offline channels' way in. */
export const samplesChannel: ChannelModule<NonNullable<AppConfig['channels']['samples']>> = {
  configOf: (config) => config.channels.samples,
  intakes: async (section, { store, log }) => [new SamplesIntake(section.folder, store, log.child({ channel: 'samples' }))],
  replyTransports: async () => ({}),
  async feedDemo({ samplesDir, store, sink, log }) {
    const records = new SamplesIntake(samplesDir, store, log);
    await records.start(sink);
    await records.drained();
  },
};
