import { rateGateFor, metaAccounts } from '../../../src/channels/meta/accounts';
import { metaChannelSchema } from '../../../src/channels/meta/config-schema';
import { InboundClock } from '../../../src/channels/meta/inbound-clock';

describe('Graph call budgets per account', () => {
  const meta = metaChannelSchema.parse({
    pageId: '104000000000001',
    instagram: { enabled: true, accountId: '17841400000000000' },
    polling: { callsPerSecond: 2 },
    sending: { callsPerSecond: 100 },
  });
  const [messenger, instagram] = metaAccounts(meta);

  it('reads and sends have separate gates, shared per account and budget', () => {
    const read = rateGateFor(meta, messenger!);
    const send = rateGateFor(meta, messenger!, 'send');
    expect(send).not.toBe(read);
    expect(rateGateFor(meta, messenger!, 'send')).toBe(send);
    expect(rateGateFor(meta, instagram!, 'send')).not.toBe(send);
    expect([read.spacingMs(), send.spacingMs()]).toEqual([500, 10]);
    // A rate limit on reads does not pause sending.
    read.limited(60_000);
    expect(read.pausedForMs()).toBeGreaterThan(0);
    expect(send.pausedForMs()).toBe(0);
  });

  it('the Send API budget defaults to 50 calls/s and is capped at 300 (Meta: 300/s per account for text)', () => {
    expect(metaChannelSchema.parse({}).sending.callsPerSecond).toBe(50);
    expect(metaChannelSchema.safeParse({ sending: { callsPerSecond: 301 } }).success).toBe(false);
  });
});

describe('InboundClock', () => {
  it('keeps the newest time per citizen and channel; an unknown citizen has none', () => {
    const clock = new InboundClock();
    clock.noteInbound('messenger', '7001', '2026-08-01T10:00:00.000Z');
    clock.noteInbound('messenger', '7001', '2026-08-01T09:00:00.000Z');
    clock.noteInbound('messenger', '7001', 'not a time');
    expect(clock.lastInboundAt('messenger', '7001')).toBe('2026-08-01T10:00:00.000Z');
    expect(clock.lastInboundAt('instagram', '7001')).toBeUndefined();
    expect(clock.lastInboundAt('messenger', '7002')).toBeUndefined();
  });
});
