import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Splitter, type MimeNode } from '@zone-eu/mailsplit';
import { isUtf8 } from '../../lib/text-encoding';

/**
 * An 8-bit text part without a declared charset is read by mailparser as UTF-8, so a message
 * written in Windows-1252 (old Outlook, village office PCs) reaches staff as "Andr� … �suket�".
 * Such a part whose bytes are not valid UTF-8 gets `charset=windows-1252` declared before parsing;
 * parts with a charset, valid UTF-8 and transfer-encoded (base64, quoted-printable) parts are left
 * as they are. Messages that are valid UTF-8 throughout are not rewritten at all.
 */
export async function declareUndeclaredCharsets(raw: Buffer): Promise<Buffer> {
  if (isUtf8(raw)) return raw;
  const out: Buffer[] = [];
  await pipeline(
    (function* () {
      yield raw;
    })(),
    new Splitter(),
    new CharsetDeclarer(),
    new Joiner(),
    async function (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) out.push(chunk);
    },
  );
  return Buffer.concat(out);
}

type SplitItem = ({ type: 'node'; node?: MimeNode } & MimeNode) | { type: 'body' | 'data'; value: Buffer };

/** Holds back an undeclared text node with its body until the body shows which encoding it is in. */
class CharsetDeclarer extends Transform {
  private held: { node: MimeNode; bodies: SplitItem[] } | undefined;

  constructor() {
    super({ objectMode: true });
  }

  override _transform(item: SplitItem, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (item.type === 'body' && this.held) {
      this.held.bodies.push(item);
      callback();
      return;
    }
    this.release();
    const node = item.type === 'node' ? (item as unknown as MimeNode) : undefined;
    if (node && undeclaredEightBitText(node)) this.held = { node, bodies: [] };
    else this.push(item);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.release();
    callback();
  }

  private release(): void {
    if (!this.held) return;
    const { node, bodies } = this.held;
    this.held = undefined;
    const content = Buffer.concat(bodies.map((b) => (b as { value: Buffer }).value));
    if (!isUtf8(content)) node.setCharset('windows-1252');
    this.push(node);
    for (const body of bodies) this.push(body);
  }
}

function undeclaredEightBitText(node: MimeNode): boolean {
  const type = (node.contentType || 'text/plain').toLowerCase();
  const encoding = (node.encoding || '7bit').toLowerCase();
  return !node.multipart && type.startsWith('text/') && !node.charset && ['7bit', '8bit', 'binary'].includes(encoding);
}
