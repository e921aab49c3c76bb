import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { isLoopbackHost } from '../net/outbound-http';
import { mailOptionsFor } from './email-headers';
import type { OutgoingMessage, Transport } from './message';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  /** Absent: STARTTLS is required unless `secure` (TLS from the first byte) or the host is loopback. */
  requireTLS?: boolean | undefined;
  /** Pooled connections; absent: 3. The service passes its effect concurrency, so no send queues for one. */
  maxConnections?: number | undefined;
}

/**
 * nodemailer's options. Without requireTLS nodemailer sends the password and the mail in clear when
 * the server (or someone in between, stripping the STARTTLS offer) does not offer TLS.
 */
export function smtpOptions(smtp: SmtpSettings): SMTPTransport.Options {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && (smtp.requireTLS ?? !isLoopbackHost(smtp.host)),
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

/** Real mail through an SMTP server. Errors keep nodemailer's responseCode for classifyError. */
export class SmtpTransport implements Transport {
  private readonly transporter: Transporter;

  constructor(
    smtp: SmtpSettings,
    private readonly from: { address: string; name: string },
  ) {
    this.transporter = nodemailer.createTransport({
      ...smtpOptions(smtp),
      pool: true,
      maxConnections: smtp.maxConnections ?? 3,
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
