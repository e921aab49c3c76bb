import type { HistoryEntry, TicketStatus } from '../domain/complaint';
import type { OutgoingMessage, Transport } from '../outbound/message';

/** What one effect will do: send a message and record it, or record why nothing is sent. */
export type Plan =
  | { send: OutgoingMessage; transport: Transport; history: HistoryEntry; status?: TicketStatus }
  | { skip: string; history?: HistoryEntry };
