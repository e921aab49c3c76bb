/**
 * Meta reports how much of an allowance has been used (in percent) in X-App-Usage and, per business
 * object, in X-Business-Use-Case-Usage; throttling starts at 100. The headers come only "once enough
 * calls have been made", so their absence means nothing.
 */

export interface UsageReading {
  /** The highest of call_count, total_time and total_cputime over every bucket. */
  percent: number;
  /** Business use case: how long until throttled access returns (Meta gives minutes); 0 when not throttled. */
  regainAccessMs: number;
}

type HeaderBag = Record<string, unknown>;

export function readUsageHeaders(headers: HeaderBag): UsageReading | undefined {
  const readings = [
    parseAppUsage(header(headers, 'x-app-usage')),
    parseBusinessUseCaseUsage(header(headers, 'x-business-use-case-usage')),
  ].filter((r): r is UsageReading => r !== undefined);
  if (readings.length === 0) return undefined;
  return {
    percent: Math.max(...readings.map((r) => r.percent)),
    regainAccessMs: Math.max(...readings.map((r) => r.regainAccessMs)),
  };
}

/** How many times the normal spacing between calls to use: 1 below the threshold, up to `maxFactor` at 100 %. */
export function slowdownFactor(percent: number, thresholdPercent: number, maxFactor = 10): number {
  if (percent < thresholdPercent) return 1;
  if (thresholdPercent >= 100) return maxFactor;
  const share = Math.min(1, (percent - thresholdPercent) / (100 - thresholdPercent));
  return 1 + share * (maxFactor - 1);
}

function parseAppUsage(raw: string | undefined): UsageReading | undefined {
  const value = parseJson(raw);
  if (!isRecord(value)) return undefined;
  return { percent: highestPercent(value), regainAccessMs: 0 };
}

function parseBusinessUseCaseUsage(raw: string | undefined): UsageReading | undefined {
  const value = parseJson(raw);
  if (!isRecord(value)) return undefined;
  const buckets = Object.values(value).flatMap((list) => (Array.isArray(list) ? list.filter(isRecord) : []));
  if (buckets.length === 0) return undefined;
  return {
    percent: Math.max(...buckets.map(highestPercent)),
    regainAccessMs: Math.max(...buckets.map((b) => numberOf(b.estimated_time_to_regain_access) * 60_000)),
  };
}

function highestPercent(bucket: Record<string, unknown>): number {
  return Math.max(numberOf(bucket.call_count), numberOf(bucket.total_time), numberOf(bucket.total_cputime));
}

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;
}

function parseJson(raw: string | undefined): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
