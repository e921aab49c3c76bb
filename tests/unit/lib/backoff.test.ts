import { backoffDelay } from '../../../src/lib/backoff';

describe('backoff: exponential with equal jitter', () => {
  test('half the step is kept, half drawn: never less than half, never more than the step or the cap', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffDelay(3, 1000, 60_000, () => 0.5)).toBe(3000);
    expect(backoffDelay(20, 1000, 60_000, () => 0)).toBe(30_000);
    expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
