import type { ComplaintSink } from '../../channels/complaint-sink';

/**
 * The samples' own times lie between these two instants (a Monday morning to Tuesday morning at the
 * office, see samples/README.md). The demo moves them to the minutes just before its own start, in the
 * same order, so every sample is a fresh complaint whatever the date: it is answered and routed within
 * its target, and a report of the demo's month shows a plausible day, not a list of long-overdue tickets.
 */
export const SAMPLES_SPAN = { from: '2026-11-30T08:00:00+07:00', to: '2026-12-01T09:30:00+07:00' } as const;

/** The samples land in this window before the demo's start: within the shortest target (5 minutes). */
const WINDOW_MS = 4 * 60_000;

/** A sample's time moved into the demo's window (times outside the span are clamped to it). */
export function demoTime(sampleAt: string, start: Date): string {
  const from = Date.parse(SAMPLES_SPAN.from);
  const to = Date.parse(SAMPLES_SPAN.to);
  const at = Math.min(Math.max(Date.parse(sampleAt), from), to);
  const share = (at - from) / (to - from);
  return new Date(start.getTime() - WINDOW_MS + Math.round(share * (WINDOW_MS - 1000))).toISOString();
}

/** Hands every sample on with its time moved (see demoTime); the original time stays in meta for staff. */
export function demoTimeSink(sink: ComplaintSink, start: Date): ComplaintSink {
  return {
    submit(candidate, origin) {
      const record = candidate as { receivedAt?: unknown; meta?: Record<string, string> } | null;
      if (!record || typeof record.receivedAt !== 'string' || Number.isNaN(Date.parse(record.receivedAt)))
        return sink.submit(candidate, origin);
      return sink.submit(
        {
          ...record,
          receivedAt: demoTime(record.receivedAt, start),
          meta: { ...record.meta, sampleTime: record.receivedAt },
        },
        origin,
      );
    },
  };
}
