import { parseMessageIds } from './message-ids';

/**
 * Reads a delivery-status notification (RFC 3464 bounce, and the looser forms Gmail, Exchange and
 * old MTAs send): who could not be reached, why, and the Message-ID of the mail that bounced, which
 * is how the bounce finds its ticket.
 */

export interface DeliveryReport {
  /** Message-IDs of the returned mail, from its attached headers. */
  originalMessageIds: string[];
  recipient?: string;
  status?: string;
  action?: string;
  diagnostic?: string;
}

export interface ReportParts {
  /** The human-readable and machine-readable text parts as mailparser gives them. */
  text: string;
  /** Attached message/rfc822, text/rfc822-headers and message/delivery-status parts. */
  parts: Array<{ contentType: string; content: Buffer }>;
}

export function readDeliveryReport(mail: ReportParts): DeliveryReport {
  const statusText = [
    mail.text,
    ...mail.parts.filter((p) => /delivery-status/i.test(p.contentType)).map((p) => p.content.toString('utf8')),
  ].join('\n');
  const embedded = mail.parts
    .filter((p) => /rfc822/i.test(p.contentType))
    .map((p) => headerBlock(p.content.toString('utf8')));
  const originalMessageIds = [...new Set(embedded.flatMap((headers) => parseMessageIds(field(headers, 'message-id'))))];
  const recipient = field(statusText, 'final-recipient')
    ?.replace(/^rfc822\s*;\s*/i, '')
    .trim();
  return {
    originalMessageIds,
    ...(recipient ? { recipient } : {}),
    ...optional('status', field(statusText, 'status')),
    ...optional('action', field(statusText, 'action')),
    ...optional('diagnostic', field(statusText, 'diagnostic-code')?.replace(/^smtp\s*;\s*/i, '')),
  };
}

/** The header block of an embedded message (up to the first empty line). */
function headerBlock(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  return end >= 0 ? message.slice(0, end) : message;
}

/** First `Name: value` of a header-style block, folding undone. */
function field(block: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t]+.*)*)`, 'im').exec(block);
  const value = match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
  return value ? value.slice(0, 500) : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
