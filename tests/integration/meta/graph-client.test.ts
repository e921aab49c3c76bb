import { createHmac } from 'node:crypto';
import { GraphClient } from '../../../src/channels/meta/graph-client';
import { graphErrorOf, PermanentGraphError, RetryableGraphError } from '../../../src/channels/meta/graph-errors';
import type { GraphConversation, GraphList } from '../../../src/channels/meta/graph-types';
import { RateGate } from '../../../src/channels/meta/rate-gate';
import { createLogger } from '../../../src/lib/logger';
import { FakeGraphServer } from '../../support/fake-graph-server';

const PAGE_ID = '104000000000001';
const TOKEN = 'EAAGclientTestToken';
const SECRET = 'client-test-secret';

describe('GraphClient against the fake Graph API', () => {
  let fake: FakeGraphServer;
  const logLines: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (l: string) => void logLines.push(l) } });
  const gateOptions = { callsPerSecond: 100, slowDownAtPercent: 80, pauseBaseMs: 300, pauseMaxMs: 1000 };
  const client = (
    options: Partial<ConstructorParameters<typeof RateGate>[0]> = {},
    extra: { appSecret?: string; version?: string } = { appSecret: SECRET },
  ) =>
    new GraphClient(
      {
        baseUrl: fake.url,
        version: extra.version ?? 'v24.0',
        accessToken: TOKEN,
        ...(extra.appSecret ? { appSecret: extra.appSecret } : {}),
        timeoutMs: 2000,
        retryBaseMs: 20,
      },
      new RateGate({ ...gateOptions, ...options }),
      log,
    );

  beforeEach(async () => {
    fake = await FakeGraphServer.start({
      pageId: PAGE_ID,
      igAccountId: '17841400000000000',
      accessToken: TOKEN,
      appSecret: SECRET,
    });
    for (let i = 0; i < 5; i++)
      fake.addInbound('messenger', { id: `70000000000000${10 + i}`, name: `Warga ${i}` }, `pesan ${i}`, {
        at: Date.now() - i * 60_000,
      });
  });
  afterEach(async () => {
    await fake.close();
    expect(logLines.join('\n')).not.toContain(TOKEN);
  });

  it('walks every page by following paging.next, newest first, with proof and Bearer token on every call', async () => {
    const items: GraphConversation[] = [];
    for await (const c of client().paginate<GraphConversation>(`${PAGE_ID}/conversations`, {
      platform: 'messenger',
      fields: 'id,updated_time',
      limit: 2,
    }))
      items.push(c);
    expect(items).toHaveLength(5);
    expect(items.map((c) => c.updated_time)).toEqual([...items.map((c) => c.updated_time!)].sort().reverse());
    expect(fake.calls).toHaveLength(3);
    expect(fake.calls.map((c) => c.query.after === undefined)).toEqual([true, false, false]);
    const proof = createHmac('sha256', SECRET).update(TOKEN).digest('hex');
    expect(
      fake.calls.every(
        (c) =>
          c.query.appsecret_proof === proof && c.headers.authorization === `Bearer ${TOKEN}` && !c.query.access_token,
      ),
    ).toBe(true);
  });

  it('is refused by the fake without a valid appsecret_proof', async () => {
    const error = await client({}, {})
      .get(`${PAGE_ID}/conversations`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentGraphError);
    expect(graphErrorOf(error)).toMatchObject({ kind: 'invalid', code: 100 });
  });

  it('keeps at most the configured calls per second', async () => {
    const slow = client({ callsPerSecond: 10 });
    const started = Date.now();
    for (let i = 0; i < 5; i++) await slow.get(`${PAGE_ID}/conversations`, { platform: 'messenger' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    // Four gaps of 100 ms between the first and the last call the fake received.
    expect(fake.calls[4]!.at - fake.calls[0]!.at).toBeGreaterThanOrEqual(370);
  });

  it('spaces calls out when X-App-Usage nears the limit', async () => {
    const c = client({ callsPerSecond: 20 });
    fake.setUsage({ app: { call_count: 95, total_time: 10, total_cputime: 10 } });
    for (let i = 0; i < 3; i++) await c.get(`${PAGE_ID}/conversations`);
    const gaps = fake.calls.slice(1).map((call, i) => call.at - fake.calls[i]!.at);
    // 50 ms normally; ×7.75 at 95 % with the threshold at 80 %.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(300);
  });

  it('retries transient errors (code 2, non-JSON 502) and succeeds', async () => {
    fake.failNext({ code: 2 });
    fake.failNext({ raw: '<html>Bad Gateway</html>', httpStatus: 502 });
    const list = await client().get<GraphList<GraphConversation>>(`${PAGE_ID}/conversations`, {
      platform: 'messenger',
    });
    expect(list.data).toHaveLength(5);
    expect(fake.calls.map((c) => c.status)).toEqual([500, 502, 200]);
  });

  it('pauses the account after a rate limit and makes no call until the pause is over', async () => {
    const c = client();
    fake.failNext({ code: 32 });
    const first = await c.get(`${PAGE_ID}/conversations`).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RetryableGraphError);
    expect((first as RetryableGraphError).retryAfterMs).toBeGreaterThan(250);
    const during = await c.get(`${PAGE_ID}/conversations`).catch((e: unknown) => e);
    expect(graphErrorOf(during)?.kind).toBe('rate-limit');
    expect(fake.calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 320));
    await expect(c.get(`${PAGE_ID}/conversations`)).resolves.toBeDefined();
  });

  it('uses the business-use-case regain time when Meta gives one', async () => {
    const c = client({ pauseBaseMs: 10 });
    fake.failNext({
      code: 80006,
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          [PAGE_ID]: [
            { type: 'messenger', call_count: 100, total_cputime: 4, total_time: 4, estimated_time_to_regain_access: 2 },
          ],
        }),
      },
    });
    const error = await c.get(`${PAGE_ID}/conversations`).catch((e: unknown) => e);
    expect((error as RetryableGraphError).retryAfterMs).toBeGreaterThan(110_000);
  });

  it('reports token expiry as a permanent auth error with code and subcode', async () => {
    fake.expireToken(463);
    const error = await client()
      .get(`${PAGE_ID}/conversations`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentGraphError);
    expect(graphErrorOf(error)).toMatchObject({ kind: 'auth', code: 190, subcode: 463, httpStatus: 400 });
    expect(fake.calls).toHaveLength(1);
  });

  it('does not follow paging.next to another host', async () => {
    fake.failNext({
      httpStatus: 200,
      raw: JSON.stringify({ data: [{ id: 'a' }], paging: { next: 'https://graph.example.net/v24.0/x?after=1' } }),
    });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const item of client().paginate(`${PAGE_ID}/conversations`, {})) seen.push(item);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ id: 'a' }]);
    expect(graphErrorOf(error)?.kind).toBe('invalid');
  });

  it('sends with the configured version and does not repeat a POST that may have reached Meta', async () => {
    const c = client({}, { appSecret: SECRET, version: 'v25.0' });
    const sent = await c.post<{ message_id: string }>(`${PAGE_ID}/messages`, {
      recipient: { id: '7000000000000010' },
      messaging_type: 'RESPONSE',
      message: { text: 'Halo' },
    });
    expect(sent.message_id).toMatch(/^m_/);
    expect(fake.calls[0]).toMatchObject({ version: 'v25.0', path: `/${PAGE_ID}/messages` });
    await fake.close();
    const unreachable = await c.post(`${PAGE_ID}/messages`, {}).catch((e: unknown) => e);
    expect(graphErrorOf(unreachable)).toMatchObject({ kind: 'transient' });
    fake = await FakeGraphServer.start({ pageId: PAGE_ID, igAccountId: '1', accessToken: TOKEN });
  });
});

describe('the fake Graph API itself', () => {
  it('serves the nested form GET /{conversation-id}?fields=messages.limit(n){…} with inner paging, newest first', async () => {
    const fake = await FakeGraphServer.start({ pageId: PAGE_ID, igAccountId: '1', accessToken: TOKEN });
    try {
      const { conversationId } = fake.addInbound('messenger', { id: '7000000000000099', name: 'Budi' }, 'satu', {
        at: Date.now() - 2000,
      });
      fake.addInbound('messenger', { id: '7000000000000099', name: 'Budi' }, 'dua', { at: Date.now() - 1000 });
      fake.addInbound('messenger', { id: '7000000000000099', name: 'Budi' }, 'tiga');
      const response = await fetch(`${fake.url}/v24.0/${conversationId}?fields=messages.limit(2){id,message,from}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = (await response.json()) as {
        id?: string;
        messages: { data: Array<{ message: string; from: { name: string } }>; paging: { next?: string } };
      };
      expect(body.messages.data.map((m) => m.message)).toEqual(['tiga', 'dua']);
      expect(body.messages.data[0]!.from.name).toBe('Budi');
      expect(body.messages.paging.next).toMatch(new RegExp(`^${fake.url}/v24.0/${conversationId}/messages\\?`));
      const missingToken = await fetch(`${fake.url}/v24.0/${conversationId}`);
      expect(((await missingToken.json()) as { error: { code: number } }).error.code).toBe(104);
      const noVersion = await fetch(`${fake.url}/${conversationId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(((await noVersion.json()) as { error: { code: number } }).error.code).toBe(2500);
    } finally {
      await fake.close();
    }
  });
});
