import type { ChannelKey } from '../domain/channels';
import type { Ticket } from '../domain/complaint';
import type { ContactMatch } from '../domain/data-subject';

/**
 * What the store keeps for the personal-data lifecycle (UU No. 27/2022 PDP): anonymization of tickets,
 * data-subject requests with their deadlines, restrictions of processing, and an audit trail. Part of
 * the one Store interface (src/store/store.ts); both stores implement it, the contract suite tests it.
 */

export type DataRequestKind = 'export' | 'erase' | 'restrict' | 'lift';
export type DataRequestStatus = 'open' | 'done' | 'refused';

/** A citizen's request, answered within 3×24 hours of calendar time from its receipt. */
export interface DataRequest {
  id: string;
  kind: DataRequestKind;
  /** The subject key (`phone:+62…`, src/domain/data-subject subjectKey). */
  subject: string;
  receivedAt: string;
  deadlineAt: string;
  status: DataRequestStatus;
  /** Who recorded it (`operator:<user>`). */
  by: string;
  /** How the citizen's identity was checked (export), or why (erase). */
  verifiedBy?: string;
  reason?: string;
  /** What was done, or why it is still open (a refusal's message). */
  outcome?: string;
  doneAt?: string;
}

export type PrivacyAuditAction = 'retention-run' | 'export' | 'erase' | 'restrict' | 'lift' | 'attachments-swept';

/** One audit line: what was done to personal data, when, by whom; never the personal data itself. */
export interface PrivacyAuditRecord {
  id: string;
  at: string;
  action: PrivacyAuditAction;
  by: string;
  /** Counts, the period, ticket numbers, masked subject: JSON, no personal data. */
  detail: Record<string, unknown>;
}

export interface Restriction {
  subject: string;
  at: string;
  by: string;
  reason?: string;
}

export interface UnticketedPurge {
  heldChat: number;
  quarantine: number;
  noise: number;
}

export interface PrivacyRecords {
  /** Tickets whose complainant field equals the value (email compared case-folded), oldest first. */
  findTicketsByContact(match: ContactMatch): Promise<Ticket[]>;
  /**
   * Resolved tickets not yet anonymized, received before `receivedBefore`, oldest first; `afterId`:
   * the next page (ids are time-ordered).
   */
  listRetentionCandidates(receivedBefore: string, limit: number, afterId?: string): Promise<Ticket[]>;
  /**
   * Replaces the ticket with its anonymized copy (src/domain/anonymize) unless it is anonymized already
   * (false: nothing written), and in the same write forgets what still pointed at the citizen: its
   * message refs (threads, follow-ups: the source ids of its messages), the payloads of those messages'
   * intake entries, its held chat messages and the details of its effect records.
   */
  replaceWithAnonymized(anonymized: Ticket): Promise<boolean>;
  /** Every `storedAt` still named by a ticket, a held chat message, an unfinished intake entry or a quarantined record. */
  listReferencedFiles(): Promise<string[]>;

  /**
   * Deletes what never became a ticket and was kept before `before`: held chat messages not merged into a
   * ticket, quarantined records, recorded automated mail. Returns how many of each.
   */
  purgeUnticketedBefore(before: string): Promise<UnticketedPurge>;

  saveDataRequest(request: DataRequest): Promise<void>;
  getDataRequest(id: string): Promise<DataRequest | undefined>;
  /** Newest first; `status` filters. */
  listDataRequests(status?: DataRequestStatus): Promise<DataRequest[]>;

  /** Records (restriction) or lifts (undefined) the restriction of processing for a subject key. */
  setRestriction(subject: string, restriction: Restriction | undefined): Promise<void>;
  /** Those of `subjects` that are restricted. */
  findRestrictions(subjects: string[]): Promise<Restriction[]>;

  appendPrivacyAudit(record: Omit<PrivacyAuditRecord, 'id'>): Promise<PrivacyAuditRecord>;
  /** Newest first. */
  listPrivacyAudit(limit?: number): Promise<PrivacyAuditRecord[]>;

  /** The stored payload of an intake entry still pending (a job carries only the reference). */
  getIntakePayload(channel: ChannelKey, sourceId: string): Promise<string | undefined>;
}
