import { GraphClient } from '../../../src/channels/meta/graph-client';
import { graphErrorOf } from '../../../src/channels/meta/graph-errors';
import { RateGate } from '../../../src/channels/meta/rate-gate';
import { createLogger } from '../../../src/lib/logger';
import type { OutboundHttpSettings, Resolver } from '../../../src/net/outbound-http';
import { FakeGraphServer } from '../../support/fake-graph-server';

const PAGE_ID = '104000000000001';
const TOKEN = 'EAAGpolicyTestToken';

describe('GraphClient under the shared outbound-HTTP policy', () => {
  let fake: FakeGraphServer;
  const log = createLogger({ level: 'silent' });
  const gate = () => new RateGate({ callsPerSecond: 100, slowDownAtPercent: 80, pauseBaseMs: 100, pauseMaxMs: 100 });
  const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
  const client = (outboundHttp: OutboundHttpSettings) =>
    new GraphClient(
      {
        baseUrl: fake.url.replace('127.0.0.1', 'graph.test'),
        version: 'v24.0',
        accessToken: TOKEN,
        timeoutMs: 2000,
        retryBaseMs: 10,
        outboundHttp,
        resolver,
      },
      gate(),
      log,
    );

  beforeEach(async () => {
    fake = await FakeGraphServer.start({ pageId: PAGE_ID, igAccountId: '17841400000000000', accessToken: TOKEN });
  });
  afterEach(() => fake.close());

  it('refuses a Graph host that resolves to a private or loopback address, once, without retrying', async () => {
    const error = await client({ allowInsecureHttp: true, allowedAddresses: [] })
      .get(`${PAGE_ID}/conversations`)
      .catch((e: unknown) => e);
    expect(graphErrorOf(error)?.kind).toBe('invalid');
    expect((error as Error).message).toMatch(/graph\.test resolves to no address we may connect to/);
    expect(fake.calls).toHaveLength(0);
  });

  it('reaches an allowlisted address', async () => {
    const list = await client({ allowInsecureHttp: true, allowedAddresses: ['127.0.0.1'] }).get<{ data: unknown[] }>(
      `${PAGE_ID}/conversations`,
      { platform: 'messenger' },
    );
    expect(Array.isArray(list.data)).toBe(true);
    expect(fake.calls).toHaveLength(1);
  });

  it('needs https for a Graph base URL that is not loopback', () => {
    expect(
      () =>
        new GraphClient(
          { baseUrl: 'http://graph.facebook.com', version: 'v24.0', accessToken: TOKEN, timeoutMs: 1000 },
          gate(),
          log,
        ),
    ).toThrow(/use https:\/\//);
  });
});
