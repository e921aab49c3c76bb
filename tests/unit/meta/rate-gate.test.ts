import { RateGate, type Clock } from '../../../src/channels/meta/rate-gate';
import { readUsageHeaders, slowdownFactor } from '../../../src/channels/meta/usage-headers';

function fakeClock(): Clock & { advance(ms: number): void; slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    slept,
  };
}

describe('usage headers', () => {
  it('reads the highest percentage of X-App-Usage and X-Business-Use-Case-Usage', () => {
    const reading = readUsageHeaders({
      'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":25}',
      'x-business-use-case-usage':
        '{"104000000000001":[{"type":"pages","call_count":12,"total_cputime":3,"total_time":91,"estimated_time_to_regain_access":0}]}',
    });
    expect(reading).toEqual({ percent: 91, regainAccessMs: 0 });
  });

  it('turns estimated_time_to_regain_access (minutes) into milliseconds', () => {
    const reading = readUsageHeaders({
      'x-business-use-case-usage':
        '{"1":[{"type":"messenger","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":3}]}',
    });
    expect(reading).toEqual({ percent: 100, regainAccessMs: 180_000 });
  });

  it('ignores absent or malformed headers', () => {
    expect(readUsageHeaders({})).toBeUndefined();
    expect(readUsageHeaders({ 'x-app-usage': 'not json' })).toBeUndefined();
  });

  it('slows down progressively from the threshold', () => {
    expect(slowdownFactor(50, 80)).toBe(1);
    expect(slowdownFactor(80, 80)).toBe(1);
    expect(slowdownFactor(90, 80)).toBeCloseTo(5.5);
    expect(slowdownFactor(100, 80)).toBe(10);
    expect(slowdownFactor(150, 80)).toBe(10);
  });
});

describe('RateGate', () => {
  const options = { callsPerSecond: 2, slowDownAtPercent: 80, pauseBaseMs: 1000, pauseMaxMs: 8000 };

  it('spaces calls to the configured rate', async () => {
    const clock = fakeClock();
    const gate = new RateGate(options, clock);
    for (let i = 0; i < 5; i++) await gate.acquire();
    expect(clock.slept).toEqual([500, 500, 500, 500]);
  });

  it('spaces calls further as reported usage nears the limit, and forgets old readings', async () => {
    const clock = fakeClock();
    const gate = new RateGate(options, clock);
    gate.observe({ percent: 90, regainAccessMs: 0 });
    expect(gate.spacingMs()).toBe(2750);
    clock.advance(6 * 60_000);
    expect(gate.spacingMs()).toBe(500);
  });

  it('pauses after a rate limit, doubling while it repeats, and resets after a success', () => {
    const clock = fakeClock();
    const gate = new RateGate(options, clock);
    expect(gate.limited()).toBe(1000);
    clock.advance(1000);
    expect(gate.limited()).toBe(2000);
    clock.advance(2000);
    for (let i = 0; i < 5; i++) gate.limited();
    expect(gate.pausedForMs()).toBe(8000);
    clock.advance(8000);
    gate.succeeded();
    expect(gate.limited()).toBe(1000);
  });

  it('waits as long as Meta says when it gives a regain time', () => {
    const clock = fakeClock();
    const gate = new RateGate(options, clock);
    expect(gate.limited(120_000)).toBe(120_000);
    gate.observe({ percent: 100, regainAccessMs: 300_000 });
    expect(gate.pausedForMs()).toBe(300_000);
  });
});
