import type { ComplaintInputDraft, Ticket } from './complaint';
import type { LaporClockBasis, LaporDates } from './lapor-clock';
import { sanitizeLine, sanitizeText } from './text-sanitizer';

/**
 * One SP4N-LAPOR! report, however it reached the office (the CLI, an HTTP source, a notification mail),
 * as the one complaint record: channel `lapor`, source id = the Tracking ID, so the store's unique
 * (channel, source id) key makes the three entry paths one ticket. Confidential (rahasia) and anonymous
 * reports keep no reporter identity at all: what is not stored cannot reach team mail, reports or logs.
 */

export interface LaporReport {
  trackingId: string;
  text: string;
  subject?: string | undefined;
  /** When the reporter filed it in LAPOR! (for the 3-working-day verification milestone). */
  submittedAt?: string | undefined;
  forwardedAt?: string | undefined;
  disposedAt?: string | undefined;
  /** When its entry path delivered it to the office: the notification mail's receipt, an HTTP source's `arrivedAt`. */
  deliveredAt?: string | undefined;
  reporter?: { name?: string | undefined; email?: string | undefined; phone?: string | undefined } | undefined;
  rahasia?: boolean | undefined;
  anonim?: boolean | undefined;
  /** The report page's slug or id (https://www.lapor.go.id/laporan/detil/<slug>), when known. */
  slug?: string | undefined;
  /** Which entry path: cli, http:<source>, mail. */
  entry: string;
}

export type LaporComplaint = { ok: true; complaint: ComplaintInputDraft } | { ok: false; reason: string };

/**
 * A Tracking ID as written anywhere (`#1916449`, ` 1916449 `): letters and digits only, upper case; the
 * `#` LAPOR! shows before it is dropped. Undefined when it is not one.
 */
export function parseTrackingId(raw: string): string | undefined {
  const trimmed = raw.trim().replace(/^#\s*/, '');
  return /^[0-9A-Za-z]{4,32}$/.test(trimmed) ? trimmed.toUpperCase() : undefined;
}

/** Yes/no as the office's sources write it (ya, true, 1, rahasia …); anything else is no. */
export function laporFlag(raw: string | undefined): boolean {
  return ['1', 'true', 'ya', 'y', 'yes', 'iya', 'rahasia', 'anonim'].includes((raw ?? '').trim().toLowerCase());
}

const IDENTITY_WITHHELD = 'dirahasiakan';

export function laporComplaint(report: LaporReport, now: Date): LaporComplaint {
  const trackingId = parseTrackingId(report.trackingId);
  if (!trackingId) return { ok: false, reason: `Tracking ID "${sanitizeLine(report.trackingId, 40)}" tidak valid` };
  for (const [name, value] of [
    ['submittedAt', report.submittedAt],
    ['forwardedAt', report.forwardedAt],
    ['disposedAt', report.disposedAt],
    ['deliveredAt', report.deliveredAt],
  ] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value)))
      return { ok: false, reason: `${name} "${sanitizeLine(value, 40)}" bukan waktu` };
  }
  const text = sanitizeText(report.text).trim();
  if (!text) return { ok: false, reason: 'isi laporan kosong' };
  const confidential = report.rahasia === true || report.anonim === true;
  const reporter = report.reporter ?? {};
  const name = confidential ? '' : sanitizeLine(reporter.name ?? '', 200);
  const complainant = confidential
    ? {}
    : {
        ...(name ? { name } : {}),
        ...(reporter.email?.trim() ? { email: reporter.email.trim() } : {}),
        ...(reporter.phone ? { phone: reporter.phone } : {}),
      };
  const basis: LaporClockBasis | undefined = report.forwardedAt
    ? 'forwarded'
    : report.disposedAt
      ? 'disposed'
      : undefined;
  const receivedAt = report.submittedAt ?? report.forwardedAt ?? report.disposedAt ?? now.toISOString();
  // The ticket's own time is LAPOR!'s (the submission); the report reached the office only with its latest
  // step (disposition, forwarding, the notification mail), or now when none is known. A first read judges
  // its age from that arrival: a report submitted a week ago and disposed today is today's work.
  const steps = [report.forwardedAt, report.disposedAt, report.deliveredAt].flatMap((at) =>
    at === undefined ? [] : [Date.parse(at)],
  );
  const arrivedAt = new Date(steps.length ? Math.max(...steps) : now.getTime()).toISOString();
  const meta: Record<string, string> = {
    laporTrackingId: trackingId,
    laporEntry: sanitizeLine(report.entry, 100),
    ...(report.submittedAt ? { laporSubmittedAt: new Date(report.submittedAt).toISOString() } : {}),
    ...(report.forwardedAt ? { laporForwardedAt: new Date(report.forwardedAt).toISOString() } : {}),
    ...(report.disposedAt ? { laporDisposedAt: new Date(report.disposedAt).toISOString() } : {}),
    ...(basis ? { laporClockBasis: basis } : {}),
    ...(report.rahasia ? { laporRahasia: 'ya' } : {}),
    ...(report.anonim ? { laporAnonim: 'ya' } : {}),
    ...(confidential ? { laporIdentity: IDENTITY_WITHHELD } : {}),
  };
  const slug = report.slug?.trim();
  if (slug && /^[0-9A-Za-z-]{1,200}$/.test(slug)) meta.laporSlug = slug;
  const subject = sanitizeLine(report.subject ?? '', 900);
  return {
    ok: true,
    complaint: {
      channel: 'lapor',
      sourceId: trackingId,
      receivedAt: new Date(receivedAt).toISOString(),
      arrivedAt,
      complainant,
      subject: subject ? `LAPOR! #${trackingId}: ${subject}` : `LAPOR! #${trackingId}`,
      text,
      // The reporter is answered inside LAPOR! by the Admin Penghubung, never by aduan.
      autoReplyAllowed: false,
      meta,
    },
  };
}

/** The LAPOR! dates a ticket keeps (see laporComplaint). */
export function laporDatesOf(ticket: Pick<Ticket, 'meta'>): LaporDates & { submittedAt?: string } {
  const { laporForwardedAt, laporDisposedAt, laporSubmittedAt } = ticket.meta;
  return {
    ...(laporForwardedAt ? { forwardedAt: laporForwardedAt } : {}),
    ...(laporDisposedAt ? { disposedAt: laporDisposedAt } : {}),
    ...(laporSubmittedAt ? { submittedAt: laporSubmittedAt } : {}),
  };
}

/** The reporter asked LAPOR! to keep them out of sight: no identity is kept (nor shown). */
export function laporIdentityWithheld(ticket: Pick<Ticket, 'meta'>): boolean {
  return ticket.meta.laporIdentity === IDENTITY_WITHHELD;
}

/** The public page of the report: `{id}` in the template becomes the slug when known, else the Tracking ID. */
export function laporReportUrl(ticket: Pick<Ticket, 'meta' | 'sourceId'>, template: string): string {
  const id = ticket.meta.laporSlug ?? ticket.meta.laporTrackingId ?? ticket.sourceId;
  return template.replace('{id}', encodeURIComponent(id));
}
