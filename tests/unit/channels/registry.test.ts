import { CHANNEL_MODULES } from '../../../src/channels/registry';
import { channelsSchema, type AppConfig } from '../../../src/config/schema';
import { CHANNEL_KEYS, CHANNELS, CHANNEL_LABELS, REPLYABLE_CHANNELS } from '../../../src/domain/channels';
import type { Ticket } from '../../../src/domain/complaint';
import { recipientOf } from '../../../src/pipeline/coordination-plans';

describe('the channel registry', () => {
  it('reads every section of channels in the config schema with exactly one module', () => {
    for (const key of Object.keys(channelsSchema.shape)) {
      const section = { enabled: true, marker: key };
      // channels.http is a list of sources; the portal module reads it together with channels.perkebbas.
      const config = { channels: { [key]: key === 'http' ? [section] : section } } as unknown as AppConfig;
      const readers = CHANNEL_MODULES.filter((m) => m.configOf(config) !== undefined);
      expect([key, readers.length]).toEqual([key, 1]);
    }
  });

  it('reads nothing from a config without channel sections', () => {
    const config = { channels: {} } as AppConfig;
    expect(CHANNEL_MODULES.map((m) => m.configOf(config))).toEqual(CHANNEL_MODULES.map(() => undefined));
  });
});

describe('the channel facts table', () => {
  it('describes every channel key', () => {
    expect(Object.keys(CHANNELS).sort()).toEqual([...CHANNEL_KEYS].sort());
    expect(CHANNEL_LABELS['walk-in']).toBe('Tatap muka');
    expect(REPLYABLE_CHANNELS).toEqual(['email', 'messenger', 'instagram', 'perkebbas', 'whatsapp']);
  });

  it('sends a message to the contact field the channel names', () => {
    const complainant = { email: 'warga@example.org', phone: '+6281234567890', platformUserId: 'psid-1' };
    const ticket = (channel: string) => ({ channel, complainant }) as unknown as Ticket;
    expect(recipientOf(ticket('email'))).toBe('warga@example.org');
    expect(recipientOf(ticket('instagram'))).toBe('psid-1');
    expect(recipientOf(ticket('perkebbas'))).toBe('psid-1');
    expect(recipientOf(ticket('call-center'))).toBe('+6281234567890');
    expect(recipientOf(ticket('walk-in'))).toBe('+6281234567890');
    // WhatsApp answers from the number the citizen wrote to: `<phone number id>:<wa_id>`.
    expect(recipientOf(ticket('whatsapp'))).toBe('psid-1');
  });
});
