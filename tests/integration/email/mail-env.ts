import { ImapFlow } from 'imapflow';
import { emailChannelSchema } from '../../../src/channels/email/config-schema';
import type { AppConfig } from '../../../src/config/schema';
import type { Ticket } from '../../../src/domain/complaint';
import type { ComplaintClassifier } from '../../../src/domain/classifier';
import { createClassifier, type RunningService } from '../../../src/main';
import { Dovecot, type DovecotUser } from '../../support/dovecot';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { SmtpSink } from '../../support/smtp-sink';
import { TRUSTED_AUTHSERV_ID } from '../../support/staff-mail';

/**
 * The email channel's test setting: the real service (config wiring included) reading a fresh
 * mailbox user of a real Dovecot and sending through a real SMTP sink.
 */

export const OUR_DOMAIN = 'disdukcapil.dairikab.go.id';

/** A test file's mail servers, and the service and env of the test running now (stopped after it). */
export interface MailServers {
  dovecot: Dovecot;
  sink: SmtpSink;
  env: TestEnv | undefined;
  service: RunningService | undefined;
}

/**
 * One Dovecot and one SMTP sink for the whole file (started before its first test, removed after the
 * last); after each test its service is stopped, its env cleaned up and the sink emptied.
 */
export function useMailServers(): MailServers {
  const servers = { env: undefined, service: undefined } as MailServers;
  beforeAll(async () => {
    [servers.dovecot, servers.sink] = await Promise.all([Dovecot.start(), SmtpSink.start()]);
  });
  afterEach(async () => {
    await servers.service?.stop();
    await servers.env?.cleanup();
    servers.service = undefined;
    servers.env = undefined;
    servers.sink?.clear();
  });
  afterAll(async () => {
    await Promise.all([servers.dovecot?.destroy(), servers.sink?.stop()]);
  });
  return servers;
}

export function mailTestEnv(
  dovecot: Dovecot,
  user: DovecotUser,
  sink: SmtpSink,
  overrides: Record<string, unknown> = {},
  tweak: (c: AppConfig) => AppConfig = (c) => c,
): TestEnv {
  return createTestEnv((c) =>
    tweak({
      ...c,
      outbound: { ...c.outbound, mode: 'live', smtp: { host: '127.0.0.1', port: sink.port, secure: false } },
      channels: {
        ...c.channels,
        email: emailChannelSchema.parse({
          enabled: true,
          accounts: [
            {
              name: 'uji',
              host: dovecot.host,
              port: dovecot.port,
              security: 'plain',
              user: user.user,
              password: user.password,
              // As for the office's Gmail mailbox: only Gmail's own Authentication-Results are believed.
              senderAuth: { authservIds: [TRUSTED_AUTHSERV_ID] },
            },
          ],
          pollIntervalMs: 10_000,
          reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
          ...overrides,
        }),
      },
    }),
  );
}

let classifier: ComplaintClassifier | undefined;

/**
 * Starts the service with the channels the config enables (the email adapter among them). The real
 * classifier is trained once per test file: training takes seconds and every test uses the same config.
 */
export function startWithEmail(env: TestEnv): Promise<RunningService> {
  classifier ??= createClassifier(env.config, env.configDir);
  return startTestService(env, { channels: undefined, classifier });
}

export async function imapSession<T>(
  dovecot: Dovecot,
  user: DovecotUser,
  work: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const client = await connectAs(dovecot, user);
  try {
    return await work(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Dovecot re-reads its passwd-file at most once a second: a user added in the same second as an earlier
 * login is not known yet, and the login fails. Such a failure is retried (for up to about 4 s).
 */
async function connectAs(dovecot: Dovecot, user: DovecotUser): Promise<ImapFlow> {
  for (let attempt = 1; ; attempt++) {
    const client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: user.user, pass: user.password },
      logger: false,
    });
    try {
      await client.connect();
      return client;
    } catch (error) {
      client.close();
      if (!(error as { authenticationFailed?: boolean }).authenticationFailed || attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
  }
}

export function append(dovecot: Dovecot, user: DovecotUser, ...messages: Array<string | Buffer>): Promise<void> {
  return imapSession(dovecot, user, async (client) => {
    for (const message of messages) await client.append('INBOX', message);
  }).catch((error: unknown) => {
    // imapflow says only "Command failed": the server's own answer and log say why (seen under heavy load).
    const answer = (error as { responseText?: string }).responseText ?? '';
    throw new Error(`IMAP APPEND failed: ${(error as Error).message} ${answer}\n${dovecot.log().slice(-1500)}`, {
      cause: error,
    });
  });
}

export interface CitizenMail {
  /** null: no From header at all. */
  from?: string | null;
  to?: string;
  subject?: string;
  text?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  /** Header lines the receiving server adds on top (Authentication-Results), topmost first. */
  onTop?: string[];
  /** The Date header; default now. */
  date?: Date;
}

let counter = 0;

/** A realistic plain-text mail from a citizen, CRLF line ends. */
export function citizenMail(mail: CitizenMail = {}): string {
  counter += 1;
  const lines = [
    ...(mail.onTop ?? []),
    ...(mail.from === null ? [] : [`From: ${mail.from ?? 'Rosmawati Sinaga <rosmawati.sinaga@gmail.com>'}`]),
    `To: ${mail.to ?? `pengaduan@${OUR_DOMAIN}`}`,
    `Subject: ${mail.subject ?? 'Permohonan surat keterangan belum menikah'}`,
    `Date: ${(mail.date ?? new Date()).toUTCString()}`,
    `Message-ID: ${mail.messageId ?? `<CAJx7pQ${Date.now().toString(36)}${counter}@mail.gmail.com>`}`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.references ? [`References: ${mail.references.join(' ')}`] : []),
    ...Object.entries(mail.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: 8bit',
    '',
    mail.text ??
      'Dengan hormat,\nSaya membutuhkan surat keterangan belum menikah untuk melengkapi berkas CPNS. Mohon informasi apakah bisa diurus online.\n\nHormat saya,\nRosmawati Sinaga',
  ];
  return lines.join('\r\n').replace(/\r?\n/g, '\r\n') + '\r\n';
}

export async function ticketsOf(service: RunningService): Promise<Ticket[]> {
  return service.store.listTickets({});
}

export function waitForTickets(service: RunningService, count: number, timeoutMs = 15_000): Promise<Ticket[]> {
  return waitFor(
    async () => {
      const tickets = await ticketsOf(service);
      return tickets.length >= count ? tickets : undefined;
    },
    timeoutMs,
    `${count} ticket(s)`,
  );
}
