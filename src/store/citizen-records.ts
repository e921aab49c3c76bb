import type { ChannelKey } from '../domain/channels';
import type { CategoryKey } from '../domain/categories';
import type { TicketStatus } from '../domain/complaint';

/**
 * Citizen records as the store keeps them (src/domain/citizens for what the keys mean). A record is one
 * sender on one channel (its `primary` key is unique); records are linked, never merged, by a matching
 * valid NIK or by staff, and every link and unlink is audited.
 */

/** How a key belongs to a record: the key the channel answers on, another contact given, a NIK. */
export type IdentifierRole = 'primary' | 'contact' | 'nik';

export interface CitizenIdentifierRow {
  key: string;
  role: IdentifierRole;
  firstSeen: string;
}

export interface CitizenRecord {
  id: string;
  createdAt: string;
  identifiers: CitizenIdentifierRow[];
}

/** What intake asks for a new ticket (the identity from src/domain/citizens/identifiers). */
export interface CitizenAttach {
  ticketId: string;
  primary?: string;
  contacts: string[];
  nik?: string;
  at: string;
}

export interface CitizenAttachResult {
  citizenId: string;
  /** A new record was made for this ticket. */
  created: boolean;
  /** Records linked now because they carry the same valid NIK. */
  linkedByNik: string[];
}

/** One entry of a record's audit: a link or unlink, by staff (`operator:<user>`) or `system` (NIK). */
export interface CitizenLinkEvent {
  at: string;
  action: 'link' | 'unlink';
  a: string;
  b: string;
  reason: string;
  by: string;
}

export interface CitizenLinkRequest {
  a: string;
  b: string;
  reason: string;
  by: string;
  at: string;
}

/** A ticket of a citizen, as the team mail and `citizen show` list it. */
export interface CitizenTicket {
  citizenId: string;
  ticketId: string;
  ticketNumber: string;
  channel: ChannelKey;
  category: CategoryKey;
  status: TicketStatus;
  receivedAt: string;
}

/** The store's part for citizen records (src/store/store.ts extends it). */
export interface CitizenStore {
  /**
   * Attaches a ticket to the record of its primary key (made when none; a new record of its own when the
   * complaint has no primary key), adds its contacts and NIK, and links every other record carrying the
   * same NIK — one atomic write, idempotent per ticket (a retry returns the first record).
   */
  attachCitizen(input: CitizenAttach): Promise<CitizenAttachResult>;
  getCitizen(id: string): Promise<CitizenRecord | undefined>;
  /** Records carrying this identifier key in any role, the one it is primary of first. */
  findCitizen(key: string): Promise<CitizenRecord[]>;
  citizenOfTicket(ticketId: string): Promise<string | undefined>;
  /** The record and every record linked to it, directly or through others (the person), itself first. */
  linkedCitizens(id: string): Promise<string[]>;
  /** The tickets of the record and of every record linked to it, newest first. */
  citizenTickets(citizenId: string): Promise<CitizenTicket[]>;
  /** False when already linked (nothing written); throws when a record is missing. */
  linkCitizens(request: CitizenLinkRequest): Promise<boolean>;
  /** False when they were not linked directly (nothing written). */
  unlinkCitizens(request: CitizenLinkRequest): Promise<boolean>;
  /** Links and unlinks touching the record, oldest first. */
  citizenAudit(id: string): Promise<CitizenLinkEvent[]>;
}

/** Who links records that carry the same valid NIK. */
export const NIK_LINK = { by: 'system', reason: 'NIK sama' } as const;

/** A link is stored once, smaller id first. */
export function ordered(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}
