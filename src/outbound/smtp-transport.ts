import nodemailer, { type Transporter } from 'nodemailer';
import { mailOptionsFor } from './email-headers';
import type { OutgoingMessage, Transport } from './message';

/** Real mail through an SMTP server. Errors keep nodemailer's responseCode for classifyError. */
export class SmtpTransport implements Transport {
  private readonly transporter: Transporter;

  constructor(
    smtp: { host: string; port: number; secure: boolean; user?: string | undefined; password?: string | undefined },
    private readonly from: { address: string; name: string },
  ) {
    this.transporter = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      pool: true,
      maxConnections: 3,
    });
  }

  async deliver(message: OutgoingMessage): Promise<string> {
    const info = await this.transporter.sendMail(mailOptionsFor(message, this.from));
    return `smtp: ${info.response ?? 'accepted'} ${info.messageId}`;
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
