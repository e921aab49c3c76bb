import type { OutgoingMessage } from '../../outbound/message';
import type { MESSAGE_PLACEHOLDERS } from './message-webhook-schema';

export type MessageValues = Record<(typeof MESSAGE_PLACEHOLDERS)[number], string>;

/** The values a template can use for one recipient of a message. */
export function messageValues(message: OutgoingMessage, to: string): MessageValues {
  return {
    to,
    text: message.text,
    subject: message.subject,
    messageId: message.id,
    // Message ids are `<ticket number>.<purpose>` (ADU-2026-000123.ack).
    ticketNumber: message.id.split('.')[0] ?? message.id,
    purpose: message.purpose,
    channel: message.channel,
  };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z]+)\s*\}\}$/;

/** Fills a JSON template: `"{{text}}"` becomes the text, `"Tiket {{ticketNumber}}"` is interpolated. */
export function renderTemplate(template: unknown, values: MessageValues): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) return lookup(values, whole[1]!);
    return template.replace(PLACEHOLDER, (_, name: string) => lookup(values, name));
  }
  if (Array.isArray(template)) return template.map((item) => renderTemplate(item, values));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, renderTemplate(value, values)]));
  }
  return template;
}

/**
 * A URL with placeholders, each value URL-encoded. A value `.` or `..` is refused: as a path segment it
 * would climb out of the configured path, and percent-encoding does not help (URL parsers read `%2e%2e`
 * as `..` too).
 */
export function renderUrl(url: string, values: MessageValues): string {
  return url.replace(PLACEHOLDER, (_, name: string) => {
    const value = lookup(values, name);
    if (value === '.' || value === '..') throw new Error(`{{${name}}} is "${value}", which is not allowed in a URL`);
    return encodeURIComponent(value);
  });
}

function lookup(values: MessageValues, name: string): string {
  if (!(name in values)) throw new Error(`unknown placeholder {{${name}}}`);
  return values[name as keyof MessageValues];
}
