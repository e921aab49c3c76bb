import { MetaReplyTransport } from '../../../src/channels/meta/reply-transport';
import { GraphClient } from '../../../src/channels/meta/graph-client';
import { RateGate } from '../../../src/channels/meta/rate-gate';
import type { MetaAccount } from '../../../src/channels/meta/accounts';
import { createLogger } from '../../../src/lib/logger';
import { NotSentError, type OutgoingMessage } from '../../../src/outbound/message';
import { classifyError } from '../../../src/lib/errors';
import { FakeGraphServer } from '../../support/fake-graph-server';

const PAGE_ID = '104000000000001';
const IG_ID = '17841400000000000';
const TOKEN = 'EAAGreplyTestToken';
const BUDI = { id: '7000000000000001', name: 'Budi Santoso' };
const RINA = { id: '17841446739229368', username: 'rina_sidikalang' };
const HOUR = 3_600_000;

describe('MetaReplyTransport against the fake Send API', () => {
  let fake: FakeGraphServer;
  const log = createLogger({ level: 'silent' });
  const transport = (account: MetaAccount, humanAgentTagApproved = false) =>
    new MetaReplyTransport({
      account,
      client: new GraphClient({ baseUrl: fake.url, version: 'v24.0', accessToken: TOKEN, timeoutMs: 2000, retryBaseMs: 10 }, new RateGate({ callsPerSecond: 100, slowDownAtPercent: 80, pauseBaseMs: 100, pauseMaxMs: 100 }), log),
      humanAgentTagApproved,
      log,
    });
  const messenger: MetaAccount = { channel: 'messenger', ownId: PAGE_ID, pageId: PAGE_ID, label: 'Facebook Messenger' };
  const instagram: MetaAccount = { channel: 'instagram', ownId: IG_ID, pageId: PAGE_ID, label: 'Instagram' };
  const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    id: 'ADU-2026-000001.ack', purpose: 'acknowledgement', channel: 'messenger', to: [BUDI.id], subject: 'Pengaduan Anda diterima',
    text: 'Yth. Budi Santoso,\nPengaduan Anda telah kami terima dengan nomor tiket ADU-2026-000001.', ...overrides,
  });

  beforeEach(async () => {
    fake = await FakeGraphServer.start({ pageId: PAGE_ID, igAccountId: IG_ID, accessToken: TOKEN });
  });
  afterEach(() => fake.close());

  it('answers within the window with RESPONSE, and an effect repeated after a crash sends nothing twice', async () => {
    fake.addInbound('messenger', BUDI, 'KTP saya belum jadi', { at: Date.now() - 2 * HOUR });
    const t = transport(messenger);
    expect(await t.deliver(message())).toMatch(/^messenger: sent m_/);
    expect(await t.deliver(message())).toBe('messenger: already in the conversation (sent by an earlier attempt)');
    expect(fake.sendCalls()).toHaveLength(1);
    expect(fake.sendCalls()[0]!.body).toEqual({ recipient: { id: BUDI.id }, messaging_type: 'RESPONSE', message: { text: message().text } });
  });

  it('sends a staff solution after 24 hours with HUMAN_AGENT only when approved, never an automatic message', async () => {
    fake.addInbound('messenger', BUDI, 'Bagaimana kelanjutannya?', { at: Date.now() - 48 * HOUR });
    const solution = message({ id: 'ADU-2026-000001.solution', purpose: 'solution', text: 'KTP Anda sudah dapat diambil di kantor Disdukcapil, Sidikalang.' });
    await expect(transport(messenger, false).deliver(solution)).rejects.toBeInstanceOf(NotSentError);
    await expect(transport(messenger, true).deliver(message())).rejects.toThrow(/di luar jendela 24 jam/);
    expect(fake.sendCalls()).toHaveLength(0);
    expect(await transport(messenger, true).deliver(solution)).toMatch(/sent with HUMAN_AGENT tag/);
    expect(fake.sendCalls()[0]!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('records a person who blocked the Page (551) as not sent, and a token failure as a permanent error', async () => {
    fake.addInbound('messenger', BUDI, 'halo');
    fake.makeUnreachable(BUDI.id);
    const blocked = await transport(messenger).deliver(message()).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(NotSentError);
    expect((blocked as NotSentError).reason).toMatch(/tidak dapat dihubungi lewat Facebook Messenger/);
    fake.expireToken(460);
    const expired = await transport(messenger).deliver(message()).catch((e: unknown) => e);
    expect(classifyError(expired)).toBe('permanent');
  });

  it('splits a long Instagram reply into parts of at most 1000 bytes', async () => {
    fake.addInbound('instagram', RINA, 'halo min');
    const long = Array.from({ length: 12 }, (_, i) => `Baris ${i + 1}: persyaratan pembuatan KIA adalah fotokopi akta kelahiran dan KK asli.`).join('\n').repeat(2);
    expect(await transport(instagram).deliver(message({ channel: 'instagram', to: [RINA.id], text: long }))).toMatch(/^instagram: sent .+, .+/);
    const parts = fake.sentTo(RINA.id).map((m) => m.text!);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => Buffer.byteLength(p) <= 1000)).toBe(true);
    expect(parts.join('\n')).toBe(long);
  });
});
