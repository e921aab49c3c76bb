import type { PiiFinding } from './pii-scan';
import type { Tally } from './rig';

/**
 * Everything that must hold after a crash or outage run, as readable lines (empty: all good): every
 * complaint exactly one ticket, one initial response where its channel replies automatically (and the
 * skip recorded where it does not), one team mail; nothing pending, quarantined or dead; a message
 * sent twice only in the crash window (none at all when `crashes` is false); no personal data in logs.
 */
export function violationsOf(tally: Tally, pii: PiiFinding[], options: { crashes: boolean }): string[] {
  return [
    ...tally.lost.map((l) => `lost: ${l}`),
    ...tally.doubled.map((d) => `doubled: ${d}`),
    ...tally.unexpected.map((u) => `unexpected: ${u}`),
    ...tally.repeatsOutsideCrashWindow.map((r) => `repeat outside the crash window: ${r}`),
    ...(!options.crashes && tally.repeats > 0
      ? [`${tally.repeats} message(s) sent twice without any crash: ${tally.repeatIds.join(', ')}`]
      : []),
    ...(tally.skippedAcks.recorded === tally.skippedAcks.expected
      ? []
      : [
          `${tally.skippedAcks.expected - tally.skippedAcks.recorded} ticket(s) without automatic reply lack the "skipped" record`,
        ]),
    ...(tally.tickets === tally.fedTotal ? [] : [`${tally.tickets} tickets for ${tally.fedTotal} complaints`]),
    ...(tally.pendingIntake ? [`${tally.pendingIntake} complaint(s) still pending in the intake inbox`] : []),
    ...(tally.quarantined ? [`${tally.quarantined} complaint(s) quarantined`] : []),
    ...(tally.deadLetters ? [`${tally.deadLetters} job(s) in the dead-letter queue`] : []),
    ...pii.map((f) => `personal data in the log (${f.kind}): …${f.excerpt}…`),
  ];
}
