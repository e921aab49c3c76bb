import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server on loopback (the `smtp-server` package) that accepts every message and records
 * it, parsed. `refuseNext` makes it answer the next messages with a temporary (4xx) or permanent
 * (5xx) rejection, like a mail server under load or one that refuses a recipient.
 */

export interface ReceivedMail {
  at: number;
  envelope: { from: string; to: string[] };
  raw: Buffer;
  mail: ParsedMail;
  header(name: string): string | undefined;
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private refusals: Array<{ code: number; message: string }> = [];
  private refusingUntil = 0;
  private holdingUntil = 0;
  /** Messages refused (by refuseNext or refuseFor) and connections turned away at the greeting. */
  refused = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    // eslint-disable-next-line prefer-const -- the server's callbacks need the name before the sink exists
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 200 * 1024 * 1024,
      onConnect: (_session, callback) => callback(sink?.refusingConnections() ?? undefined),
      onData: (stream, session, callback) =>
        void sink!.accept(stream, session).then(
          () => callback(),
          (error: Error) => callback(error),
        ),
    });
    server.on('error', () => undefined);
    const port = await new Promise<number>((resolve, reject) => {
      server.listen(0, '127.0.0.1', () => {
        const address = server.server.address();
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('smtp sink did not get a port'));
      });
    });
    sink = new SmtpSink(server, port);
    return sink;
  }

  /** The next `count` messages are refused with this SMTP reply. */
  refuseNext(count: number, code = 451, message = '4.3.0 Coba lagi nanti'): void {
    for (let i = 0; i < count; i++) this.refusals.push({ code, message });
  }

  /**
   * For the next `ms`, like a mail server that is overloaded: new connections are turned away at the
   * greeting (421) and messages on open connections are refused at DATA (451).
   */
  refuseFor(ms: number): void {
    this.refusingUntil = Date.now() + ms;
  }

  /** For the next `ms`, messages are taken but the "250 OK" that tells the sender so waits until the end. */
  holdFor(ms: number): void {
    this.holdingUntil = Date.now() + ms;
  }

  get refusing(): boolean {
    return Date.now() < this.refusingUntil;
  }

  /** The greeting's answer while refusing. */
  refusingConnections(): Error | undefined {
    if (!this.refusing) return undefined;
    this.refused += 1;
    return Object.assign(new Error('4.3.2 Layanan sementara tidak tersedia, coba lagi nanti'), { responseCode: 421 });
  }

  /** Messages whose X-Aduan-Purpose header is `purpose` (acknowledgement, team-ticket, team-follow-up, alert). */
  withPurpose(purpose: string): ReceivedMail[] {
    return this.received.filter((m) => m.header('x-aduan-purpose') === purpose);
  }

  /** Resolves with the first message matching, waiting for it to arrive. */
  async waitFor(
    match: (mail: ReceivedMail) => boolean,
    timeoutMs = 15_000,
    what = 'a matching message',
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `smtp sink: timed out after ${timeoutMs} ms waiting for ${what}; got ${this.received.length} message(s)`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 200));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.listeners.add(done);
      });
      this.listeners.clear();
    }
  }

  clear(): void {
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async accept(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    // When the message was complete on our side (before parsing it): when a sender could count it delivered.
    const at = Date.now();
    const refusal =
      this.refusals.shift() ?? (this.refusing ? { code: 451, message: '4.3.0 Coba lagi nanti' } : undefined);
    if (refusal) {
      this.refused += 1;
      throw Object.assign(new Error(refusal.message), { responseCode: refusal.code });
    }
    const raw = Buffer.concat(chunks);
    const mail = await simpleParser(raw);
    const envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
    };
    this.received.push({ at, envelope, raw, mail, header: (name) => headerValue(mail, name) });
    for (const listener of this.listeners) listener();
    const hold = this.holdingUntil - Date.now();
    if (hold > 0) await new Promise((r) => setTimeout(r, hold));
  }
}

function headerValue(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line
    ? line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim()
    : undefined;
}
