import * as mimeFuncs from 'nodemailer/lib/mime-funcs';
import type { OutgoingMessage } from './message';
import { mailOptionsFor } from './email-headers';

/**
 * A text-only message as RFC 5322 bytes, encoded with nodemailer's own header and line helpers.
 * MailComposer's stream pipeline costs ~0.4 ms per message, which dominated the outbox's share of the
 * pipeline; messages with attachments still go through MailComposer.
 */
export function composeTextEml(
  message: OutgoingMessage,
  from: { address: string; name: string },
  date = new Date(),
): Buffer {
  const options = mailOptionsFor(message, from);
  const headers: Array<[string, string]> = [
    ['From', `${mimeFuncs.encodeWords(quoteName(from.name), 'Q', 52)} <${from.address}>`],
    ['To', message.to.join(', ')],
    ...(options.replyTo ? ([['Reply-To', options.replyTo]] as Array<[string, string]>) : []),
    ['Subject', mimeFuncs.encodeWords(message.subject, 'Q', 52)],
    ['Message-ID', options.messageId],
    ...(options.inReplyTo ? ([['In-Reply-To', options.inReplyTo]] as Array<[string, string]>) : []),
    ...(options.references ? ([['References', options.references.join(' ')]] as Array<[string, string]>) : []),
    ['Date', date.toUTCString().replace(/GMT$/, '+0000')],
    ...Object.entries(options.headers),
    ['MIME-Version', '1.0'],
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['Content-Transfer-Encoding', 'base64'],
  ];
  const head = headers
    .map(([name, value]) => mimeFuncs.foldLines(`${name}: ${value.replace(/[\r\n]+/g, ' ')}`, 76))
    .join('\r\n');
  const body = wrapLines(Buffer.from(message.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64'), 76);
  return Buffer.from(`${head}\r\n\r\n${body}\r\n`, 'utf8');
}

/** Base64 in lines of `width` (RFC 2045); slicing is ~6× cheaper than a /.{76}/g replace. */
function wrapLines(text: string, width: number): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join('\r\n');
}

/** A display name with characters that need quoting in a header. */
function quoteName(name: string): string {
  return /[(),.:;<>@[\]\\"]/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name;
}
