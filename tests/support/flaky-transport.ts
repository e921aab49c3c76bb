import type { OutgoingMessage, Transport } from '../../src/outbound/message';

/**
 * Stands in for a remote server that misbehaves (SMTP refusing, a gateway down): fails the way
 * `failWith` says while `failing()` is true, otherwise hands the message to the real transport.
 */
export class FlakyTransport implements Transport {
  readonly attempts: OutgoingMessage[] = [];
  readonly delivered: OutgoingMessage[] = [];

  constructor(
    private readonly inner: Transport,
    private readonly failing: (message: OutgoingMessage, attempt: number) => unknown | undefined,
  ) {}

  async deliver(message: OutgoingMessage): Promise<string> {
    this.attempts.push(message);
    const attempt = this.attempts.filter((m) => m.id === message.id).length;
    const failure = this.failing(message, attempt);
    if (failure) throw failure;
    this.delivered.push(message);
    return this.inner.deliver(message);
  }
}

/** Errors shaped like the ones real clients raise. */
export const smtpError = (code: number, text: string) =>
  Object.assign(new Error(`${code} ${text}`), { responseCode: code });
export const connectionRefused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNREFUSED' });
