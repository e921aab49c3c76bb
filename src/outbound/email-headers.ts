import path from 'node:path';
import { messageIdFor } from '../domain/office-mail-ids';
import type { OutgoingMessage } from './message';

/** Our own mail identifies itself as automatic (RFC 3834) so other robots do not answer it. */
export function mailOptionsFor(message: OutgoingMessage, from: { address: string; name: string }) {
  const domain = from.address.split('@')[1] ?? 'localhost';
  return {
    from: { name: from.name, address: from.address },
    to: message.to,
    subject: message.subject,
    // CR LF line ends before encoding: nodemailer's quoted-printable wrapping counts a bare LF as part of
    // the line and would break short lines in the middle.
    text: message.text.replace(/\r?\n/g, '\r\n'),
    // Readable where mail is read raw (an outbox file, a server's queue): nodemailer would pick base64
    // for text with many non-ASCII characters.
    textEncoding: 'quoted-printable' as const,
    messageId: messageIdFor(message.id, domain),
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
    ...(message.references?.length ? { references: message.references } : {}),
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    headers: {
      'Auto-Submitted': message.purpose === 'acknowledgement' ? 'auto-replied' : 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-Aduan-Purpose': message.purpose,
    },
    // nodemailer would fetch a URL given as `path`: only absolute file paths are passed on.
    attachments: (message.attachments ?? [])
      .filter((a) => path.isAbsolute(a.path) && !/^[a-z][a-z0-9+.-]*:/i.test(a.path))
      .map((a) => ({ filename: a.filename, contentType: a.contentType, path: a.path })),
  };
}
