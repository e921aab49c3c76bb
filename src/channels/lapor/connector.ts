/**
 * How aduan talks to SP4N-LAPOR!. The v4 integration API is not public (its documentation is given to a
 * `developer` account that the Admin Koordinator of the regency requests; docs/channel-lapor.md), so the
 * only implementation is the manual one: a person reads dispositions in the LAPOR! dashboard and pastes
 * follow-ups into it. An API connector can take its place behind this interface once the office has the
 * documentation; nothing here guesses at that API.
 */

export interface LaporFollowUp {
  trackingId: string;
  ticketNumber: string;
  /** The office's answer, as it is to be posted. */
  answer: string;
  /** The report's page in LAPOR!. */
  reportUrl: string;
}

/** `manual`: a person must post it (the hand-off mail to the Admin Penghubung says how); `posted`: done by the API. */
export type LaporPostResult = { kind: 'manual'; instructions: string } | { kind: 'posted'; reference: string };

/** A report disposed to the office, as a connector reads it (the manual one reads none: staff enter them). */
export interface LaporDisposition {
  trackingId: string;
  text: string;
  forwardedAt?: string;
  disposedAt?: string;
}

/** What LAPOR! says of a report; `unknown` without an API. */
export interface LaporStatus {
  trackingId: string;
  state: 'unknown' | 'disposed' | 'followed-up' | 'closed';
}

export interface LaporConnector {
  readonly kind: 'manual';
  postFollowUp(followUp: LaporFollowUp): Promise<LaporPostResult>;
  pullDispositions(): Promise<LaporDisposition[]>;
  status(trackingId: string): Promise<LaporStatus>;
}
