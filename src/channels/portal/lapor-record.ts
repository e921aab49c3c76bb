import { validateComplaint, type ComplaintInput } from '../../domain/complaint';
import { laporComplaint, laporFlag } from '../../domain/lapor-report';
import { parseOfficeTime, type DateOrder } from '../shared/local-time';

/**
 * An HTTP source whose records are SP4N-LAPOR! reports (`channel: lapor`): the mapped record becomes the
 * same LAPOR! complaint the CLI and the notification mailbox make (source id = the Tracking ID, so the
 * three are one ticket). The LAPOR! facts come from `mapping.meta` keys: laporForwardedAt, laporDisposedAt,
 * laporSubmittedAt (times, read like receivedAt), laporRahasia, laporAnonim (yes/no), laporSlug.
 */
export function asLaporRecord(
  mapped: ComplaintInput,
  context: { timeZone: string; dateOrder: DateOrder; source: string; now?: (() => Date) | undefined },
): { ok: true; complaint: ComplaintInput } | { ok: false; reason: string } {
  const times: Record<string, string> = {};
  for (const key of ['laporForwardedAt', 'laporDisposedAt', 'laporSubmittedAt'] as const) {
    const raw = mapped.meta[key];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = parseOfficeTime(raw, context);
    if (!parsed.ok) return { ok: false, reason: `mapping meta.${key}: ${parsed.reason}` };
    times[key] = parsed.iso;
  }
  const { name, email, phone } = mapped.complainant;
  const built = laporComplaint(
    {
      trackingId: mapped.sourceId,
      text: mapped.text,
      subject: mapped.subject,
      submittedAt: times.laporSubmittedAt ?? mapped.receivedAt,
      forwardedAt: times.laporForwardedAt,
      disposedAt: times.laporDisposedAt,
      deliveredAt: mapped.arrivedAt,
      reporter: { name, email, phone },
      rahasia: laporFlag(mapped.meta.laporRahasia),
      anonim: laporFlag(mapped.meta.laporAnonim),
      slug: mapped.meta.laporSlug,
      entry: `http:${context.source}`,
    },
    context.now?.() ?? new Date(),
  );
  if (!built.ok) return built;
  const validated = validateComplaint(built.complaint);
  return validated.ok ? { ok: true, complaint: validated.complaint } : { ok: false, reason: validated.reason };
}
