import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import * as qp from 'nodemailer/lib/qp';

/** Above this, nodemailer's encoder works in slices; such mail is left to its own stream. */
const QP_SLICE_BYTES = 64 * 1024;

/**
 * The bytes nodemailer's MailComposer builds for `options` with CR LF line ends (`newline: '\r\n'`).
 *
 * A single-part text message (every mail aduan writes without attachments) is serialized here from
 * the composed MimeNode — its own header block and nodemailer's own quoted-printable functions — the
 * way `build()` would, minus the six-stage stream pipeline `build()` runs per message (streams,
 * setImmediate hops, an AbortController that throws away a DOMException): that cost ~0.4 ms per mail,
 * most of the outbox's share of the pipeline. Anything else (attachments, multipart, base64, large
 * text) goes through `build()`. tests/unit/outbound/eml-bytes.test.ts checks the two agree byte for byte.
 */
export async function composeEml(options: Mail.Options): Promise<Buffer> {
  // A single-part node never shows its boundary; giving one spares a randomBytes() call per node
  // (randomUUID draws from a buffered pool). Still random, so a multipart message stays unguessable.
  const node = new MailComposer({ baseBoundary: randomUUID().replace(/-/g, '').slice(0, 16), ...options }).compile();
  const content = node.content;
  if (options.newline !== '\r\n' || node.childNodes.length > 0 || typeof content !== 'string') return node.build();
  const encoding = node.getTransferEncoding();
  const bytes = Buffer.from(content, 'utf8');
  let body: string;
  if (encoding === '7bit') body = content;
  else if (encoding === 'quoted-printable' && bytes.length <= QP_SLICE_BYTES) body = quotedPrintable(bytes);
  else return node.build();
  // build(): headers, a blank line, the encoded content, a final line break, then every bare LF as CR LF.
  const message = `${node.buildHeaders()}\r\n\r\n${body}`;
  const ended = message.endsWith('\n') ? message : message.endsWith('\r') ? `${message}\n` : `${message}\r\n`;
  return Buffer.from(ended.replace(/(?<!\r)\n/g, '\r\n'), 'utf8');
}

/**
 * What nodemailer's quoted-printable encoder stream gives for one chunk: trailing blanks are held
 * back until the end of the input (then encoded as =20/=09) and the last line is wrapped together with them.
 */
function quotedPrintable(bytes: Buffer): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  const wrapped = qp.wrap(qp.encode(bytes.subarray(0, end)), 76);
  if (end === bytes.length) return wrapped;
  const lastLine = wrapped.lastIndexOf('\n') + 1;
  return wrapped.slice(0, lastLine) + qp.wrap(wrapped.slice(lastLine) + qp.encode(bytes.subarray(end)), 76);
}
