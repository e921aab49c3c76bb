import type { Ticket } from '../domain/complaint';
import type { SurveyResponse, SurveySource } from '../domain/survey-instrument';

/**
 * What the satisfaction survey keeps (part of Store): the links sent to citizens, stored by the hash of their
 * token only (a leaked database gives no working link), and the responses. A closure survey is answered once
 * per ticket, whichever link or chat message it came by: the store's unique key decides, not a read before
 * the write. Opt-outs and the entered number of service users are small values kept as cursors
 * (`survey-opt-out:<hash>`, `survey-users:<YYYY-MM>`).
 */

export interface SurveyLink {
  /** SHA-256 of the token (hex); the token itself is only in the message sent. */
  tokenHash: string;
  source: SurveySource;
  ticketId?: string;
  createdAt: string;
  /** The link's end; for a link made before the ticket's resolution an outer bound only. */
  expiresAt: string;
  /** Made before the resolution (a walk-in's receipt): valid this many days from it (src/domain/survey-link.ts). */
  validDaysAfterResolution?: number;
  /** When a response was submitted through this link. */
  usedAt?: string;
}

/** `already-answered`: the ticket (or this link) has a response already; nothing was written. */
export type SubmitOutcome = 'accepted' | 'already-answered';

export interface SurveyStorage {
  addSurveyLink(link: Omit<SurveyLink, 'usedAt'>): Promise<void>;
  getSurveyLink(tokenHash: string): Promise<SurveyLink | undefined>;
  /**
   * Stores the response and, in the same write, marks the link (if any) used. A closure survey is stored
   * once per ticket; a used link takes no second response.
   */
  submitSurvey(response: SurveyResponse, tokenHash?: string): Promise<SubmitOutcome>;
  getSurveyResponseOfTicket(ticketId: string): Promise<SurveyResponse | undefined>;
  /** Responses submitted in [from, to), oldest first. */
  listSurveyResponses(from: string, to: string): Promise<SurveyResponse[]>;
  /** Resolved tickets created since `since` without a done effect of `kind`, oldest first. */
  listResolvedTicketsLacking(kind: string, since: string, limit: number): Promise<Ticket[]>;
}
