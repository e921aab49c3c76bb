import { portalChannelSchema, type PortalPollConfig } from '../../../src/channels/portal/config-schema';
import {
  nextCursor,
  nextFromLinkHeader,
  nextPage,
  pageUrl,
  recordsOf,
} from '../../../src/channels/portal/page-request';
import { parseRetryAfter } from '../../../src/channels/shared/retry-after';

const mapping = { sourceId: 'id', receivedAt: 't', text: 'x' };
function poll(extra: Record<string, unknown>): PortalPollConfig {
  return portalChannelSchema.parse({
    enabled: true,
    mapping,
    poll: { url: 'https://portal.example/api/pengaduan?fixed=1', query: { status: 'baru' }, ...extra },
  }).poll!;
}

describe('poll requests', () => {
  it('adds the since-time (minus the overlap, in the chosen format) and page parameters', () => {
    const since = { kind: 'since', param: 'updated_since', overlapSeconds: 60 };
    const p = poll({ incremental: since, pagination: { kind: 'page', size: 25 } });
    expect(pageUrl(p, { since: '2026-11-30T03:15:00.000Z' }, { kind: 'first' }, 'Asia/Jakarta')).toBe(
      'https://portal.example/api/pengaduan?fixed=1&status=baru&updated_since=2026-11-30T10%3A14%3A00%2B07%3A00&page=1&per_page=25',
    );
    const epoch = poll({
      incremental: { ...since, format: 'epoch-seconds' },
      pagination: { kind: 'page', sizeParam: '', firstPage: 0 },
    });
    expect(pageUrl(epoch, { since: '2026-11-30T03:15:00.000Z' }, { kind: 'number', page: 3 }, 'Asia/Jakarta')).toBe(
      'https://portal.example/api/pengaduan?fixed=1&status=baru&updated_since=1796008440&page=3',
    );
  });

  it('sends the cursor, and follows next links as given (relative ones against the endpoint)', () => {
    const p = poll({ incremental: { kind: 'cursor', param: 'cursor', responsePath: 'meta.next' } });
    expect(pageUrl(p, { cursor: 'abc' }, { kind: 'first' }, 'Asia/Jakarta')).toBe(
      'https://portal.example/api/pengaduan?fixed=1&status=baru&cursor=abc',
    );
    expect(pageUrl(p, {}, { kind: 'link', url: '/api/pengaduan?page=2' }, 'Asia/Jakarta')).toBe(
      'https://portal.example/api/pengaduan?page=2',
    );
    expect(nextCursor(p, { meta: { next: 42 } })).toBe('42');
    expect(nextCursor(p, { meta: { next: '' } })).toBeUndefined();
  });

  it('decides the next page: a short page is the last; a link ends when absent', () => {
    const paged = poll({ pagination: { kind: 'page', size: 2 } });
    expect(nextPage(paged, { kind: 'first' }, {}, null, 2)).toEqual({ kind: 'number', page: 2 });
    expect(nextPage(paged, { kind: 'number', page: 2 }, {}, null, 2)).toEqual({ kind: 'number', page: 3 });
    expect(nextPage(paged, { kind: 'number', page: 3 }, {}, null, 1)).toBeUndefined();
    const linked = poll({ pagination: { kind: 'next-link', responsePath: 'links.next' } });
    expect(nextPage(linked, { kind: 'first' }, { links: { next: '/p2' } }, null, 2)).toEqual({
      kind: 'link',
      url: '/p2',
    });
    expect(nextPage(linked, { kind: 'first' }, { links: { next: null } }, null, 2)).toBeUndefined();
    const header = poll({ pagination: { kind: 'next-link' } });
    expect(
      nextPage(header, { kind: 'first' }, {}, '<https://p/x?page=1>; rel="prev", <https://p/x?page=3>; rel="next"', 2),
    ).toEqual({ kind: 'link', url: 'https://p/x?page=3' });
  });

  it('finds the records, and names what it found instead', () => {
    expect(recordsOf({ data: [1, 2] }, 'data')).toEqual([1, 2]);
    expect(recordsOf([3], '')).toEqual([3]);
    expect(() => recordsOf({ items: [] }, 'data')).toThrow('expected an array of records at "data", found nothing');
    expect(() => recordsOf({ data: { id: 1 } }, 'data')).toThrow('found object');
  });

  it('reads Link headers and Retry-After', () => {
    expect(nextFromLinkHeader('<https://a/b?c=1,2>; rel="next"')).toBe('https://a/b?c=1,2');
    expect(nextFromLinkHeader('<https://a>; rel="last"')).toBeUndefined();
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('portal config', () => {
  it('accepts a disabled section with empty secrets and checks them once enabled', () => {
    const base = { mapping, auth: { kind: 'bearer', token: '' }, poll: { url: 'https://p/x' } };
    expect(portalChannelSchema.safeParse({ ...base, enabled: false }).success).toBe(true);
    const enabled = portalChannelSchema.safeParse({
      ...base,
      enabled: true,
      webhook: { enabled: true, secret: 'short' },
    });
    expect(enabled.success ? [] : enabled.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'auth: bearer token is empty (set it through an environment variable)',
      'webhook.secret: the webhook needs a shared secret of at least 16 characters',
    ]);
  });

  it('refuses unknown template placeholders and cursor + pagination together', () => {
    const bad = portalChannelSchema.safeParse({
      enabled: true,
      mapping,
      poll: {
        url: 'https://p/x',
        incremental: { kind: 'cursor', param: 'c', responsePath: 'n' },
        pagination: { kind: 'page' },
      },
      reply: { url: 'https://p/{{recipient}}', bodyTemplate: { a: '{{text}}', b: ['{{nama}}'] } },
    });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.message)).toEqual([
      'unknown placeholder {{recipient}}; allowed: to, text, subject, messageId, ticketNumber, purpose, channel',
      'unknown placeholder {{nama}}; allowed: to, text, subject, messageId, ticketNumber, purpose, channel',
      'with a cursor the cursor pages; set pagination.kind: none',
    ]);
    expect(portalChannelSchema.safeParse({ enabled: true, mapping }).error?.issues[0]?.message).toBe(
      'enabled, but neither poll nor webhook is configured',
    );
  });
});
