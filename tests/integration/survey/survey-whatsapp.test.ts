import { whatsappChannelSchema } from '../../../src/channels/whatsapp/config-schema';
import { createWhatsAppReplyTransports } from '../../../src/channels/whatsapp/parts';
import { DEFAULT_INSTRUMENT } from '../../../src/domain/survey-instrument';
import { readQuickAnswer } from '../../../src/domain/survey-invitation';
import { createLogger } from '../../../src/lib/logger';
import { NotSentError, type OutgoingMessage, type Transport } from '../../../src/outbound/message';
import { FakeWhatsAppServer } from '../../support/fake-whatsapp-server';
import { LINE_1, TOKEN } from '../whatsapp/whatsapp-test-env';

/** The survey invitation on WhatsApp, against the loopback Cloud API: list inside the window, template outside. */

const SITI = '6281376543210';
const log = createLogger({ level: 'silent' });
const TOKEN_SUFFIX = 'AbCdEfGhIjKlMnOpQrStUvWx';

function invitation(): OutgoingMessage {
  return {
    id: 'ADU-2026-000042.survey',
    purpose: 'survey-invitation',
    channel: 'whatsapp',
    to: [`${LINE_1}:${SITI}`],
    subject: '[ADU-2026-000042] Survei kepuasan pelayanan pengaduan',
    text: `Terima kasih ... https://pengaduan.example/survei/${TOKEN_SUFFIX}\nBalas 1-4.`,
    survey: {
      url: `https://pengaduan.example/survei/${TOKEN_SUFFIX}`,
      urlSuffix: TOKEN_SUFFIX,
      question: DEFAULT_INSTRUMENT.overall.question,
      answers: DEFAULT_INSTRUMENT.overall.answers,
    },
  };
}

describe('WhatsApp survey invitation', () => {
  let fake: FakeWhatsAppServer;
  const transportWith = (templates: Record<string, unknown>): Transport => {
    const section = whatsappChannelSchema.parse({
      enabled: true,
      graphBaseUrl: fake.url,
      accessToken: TOKEN,
      appSecret: 'x'.repeat(32),
      numbers: [{ phoneNumberId: LINE_1 }],
      webhook: { verifyToken: 'v' },
      templates,
    });
    return createWhatsAppReplyTransports(section, log).whatsapp!;
  };
  beforeEach(async () => {
    fake = await FakeWhatsAppServer.start({
      accessToken: TOKEN,
      phoneNumberIds: [LINE_1],
      templates: ['survei_kepuasan'],
    });
  });
  afterEach(() => fake.close());

  test('inside the 24-hour window: an interactive list of the four answers, whose row ids read as quick answers', async () => {
    fake.citizenWrote(SITI);
    const transport = transportWith({ survey: { name: 'survei_kepuasan' } });
    await expect(transport.deliver(invitation())).resolves.toMatch(/survey list sent/);
    expect(fake.sent).toHaveLength(1);
    const list = fake.sent[0]!.list!;
    expect(list.body).toContain(TOKEN_SUFFIX);
    expect(list.rows.map((r) => r.title)).toEqual(['4 - Sangat puas', '3 - Puas', '2 - Kurang puas', '1 - Tidak puas']);
    for (const row of list.rows)
      expect(readQuickAnswer(row.title, DEFAULT_INSTRUMENT, row.id)).toEqual({
        kind: 'score',
        score: Number(row.id.slice(-1)),
      });
  });

  test('outside the window: the UTILITY template with the link token in its URL button', async () => {
    fake.windowClosed(SITI);
    const transport = transportWith({ survey: { name: 'survei_kepuasan' } });
    await expect(transport.deliver(invitation())).resolves.toMatch(/survey template survei_kepuasan sent/);
    const sent = fake.sent.find((m) => m.type === 'template')!;
    expect(sent.template).toEqual({
      name: 'survei_kepuasan',
      language: 'id',
      parameters: ['ADU-2026-000042'],
      buttonParameters: [TOKEN_SUFFIX],
    });
    // The list was refused with 131047 first; nothing else went out.
    expect(fake.calls.filter((c) => c.code === 131047)).toHaveLength(1);
    expect(fake.sent).toHaveLength(1);
  });

  test('outside the window without a survey template: not sent (no retry), with the reason', async () => {
    fake.windowClosed(SITI);
    const refused = await transportWith({})
      .deliver(invitation())
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotSentError);
    expect((refused as NotSentError).reason).toContain('templat undangan survei');
    expect(fake.sent).toHaveLength(0);
  });

  test('a template Meta refuses (paused or recategorised after approval) is reported, not retried', async () => {
    fake.windowClosed(SITI);
    const transport = transportWith({ survey: { name: 'survei_kepuasan' } });
    // The list is refused for the window, then the template for being paused (132015).
    fake.failNext({ code: 131047, message: 'Re-engagement message' }, { code: 132015, message: 'Template is paused' });
    const refused = await transport.deliver(invitation()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotSentError);
    expect((refused as NotSentError).reason).toContain('ditolak Meta (kode 132015)');
    expect(fake.sent).toHaveLength(0);
  });
});
