import { whatsappChannelSchema } from '../../../src/channels/whatsapp/config-schema';
import { createWhatsAppReplyTransports } from '../../../src/channels/whatsapp/parts';
import { TransientError } from '../../../src/lib/errors';
import { createLogger } from '../../../src/lib/logger';
import type { OutgoingMessage, Transport } from '../../../src/outbound/message';
import { FakeWhatsAppServer } from '../../support/fake-whatsapp-server';
import { LINE_1, LINE_2, TOKEN } from './whatsapp-test-env';

const SITI = '6281376543210';
const ANDI = '6285261234567';
const log = createLogger({ level: 'silent' });

function message(to: string, id = `ADU-2026-000001.ack-${Math.random()}`): OutgoingMessage {
  return { id, purpose: 'acknowledgement', channel: 'whatsapp', to: [to], subject: '', text: 'Aduan diterima.' };
}

describe('WhatsApp reply transport against the loopback Cloud API', () => {
  let fake: FakeWhatsAppServer;
  let transport: Transport;
  beforeEach(async () => {
    fake = await FakeWhatsAppServer.start({ accessToken: TOKEN, phoneNumberIds: [LINE_1, LINE_2] });
    const section = whatsappChannelSchema.parse({
      enabled: true,
      graphBaseUrl: fake.url,
      accessToken: TOKEN,
      appSecret: 'x'.repeat(32),
      numbers: [{ phoneNumberId: LINE_1 }, { phoneNumberId: LINE_2 }],
      webhook: { verifyToken: 'v' },
    });
    transport = createWhatsAppReplyTransports(section, log).whatsapp!;
    fake.citizenWrote(SITI);
    fake.citizenWrote(ANDI);
  });
  afterEach(() => fake.close());

  it('131056 pauses only that recipient; others on the same number still get their reply', async () => {
    fake.failNext({ code: 131056, message: 'Pair rate limit hit' });
    const refused = await transport.deliver(message(`${LINE_1}:${SITI}`)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransientError);
    expect((refused as TransientError).retryAfterMs).toBe(6000);
    // Within the pause the same recipient is not even tried; another one is.
    await expect(transport.deliver(message(`${LINE_1}:${SITI}`))).rejects.toThrow(/paused/);
    await expect(transport.deliver(message(`${LINE_1}:${ANDI}`))).resolves.toMatch(/sent wamid/);
    expect(fake.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('130429 pauses the whole number for Retry-After; the other number keeps sending', async () => {
    fake.failNext({ code: 130429, status: 429, retryAfterSeconds: 30, message: 'Rate limit hit' });
    const refused = await transport.deliver(message(`${LINE_1}:${SITI}`)).catch((e: unknown) => e);
    expect((refused as TransientError).retryAfterMs).toBe(30_000);
    await expect(transport.deliver(message(`${LINE_1}:${ANDI}`))).rejects.toThrow(/paused/);
    await expect(transport.deliver(message(`${LINE_2}:${ANDI}`))).resolves.toMatch(/sent wamid/);
  });

  it('refuses a recipient that is not <configured number>:<wa_id>', async () => {
    await expect(transport.deliver(message('6281376543210'))).rejects.toThrow(/recipient/);
    await expect(transport.deliver(message(`999:${SITI}`))).rejects.toThrow(/no longer configured/);
    expect(fake.calls).toEqual([]);
  });
});
