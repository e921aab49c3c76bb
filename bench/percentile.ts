import { nearestRank } from '../src/domain/recap';

/** The recap's nearest-rank percentile, NaN when nothing was measured (the latency benches print it). */
export function percentile(values: readonly number[], p: number): number {
  return nearestRank(values, p) ?? NaN;
}
