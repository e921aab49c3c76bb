import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { ImapFlow } from 'imapflow';
import IORedis from 'ioredis';
import { deleteKeysWithPrefix } from '../../../src/lib/redis-keys';
import { CLI, writeConfigDir } from '../config-dir';
import { Dovecot, type DovecotUser } from '../dovecot';
import { FakeGraphServer } from '../fake-graph-server';
import { FakePortalServer, portalRecord } from '../fake-portal-server';
import { SmtpSink } from '../smtp-sink';
import { TcpGate } from '../tcp-gate';
import { FEED_CHANNELS, WA_LINE, writeNik, writePhone, type FeedChannel, type FedComplaint } from './complaints';
import { freePort } from '../dovecot';
import { FakeWhatsAppServer, messagesPayload, postSignedWebhook } from '../fake-whatsapp-server';
import { scanForPersonalData, type PiiFinding } from './pii-scan';
import { TEST_REPLY_SECRET } from '../service-harness';

/**
 * The whole service as it runs in production — `aduan start` as a child process, mode live — against
 * real servers on loopback: Redis (the shared one under a unique prefix, or a private one), a Dovecot
 * fed by IMAP APPEND, a real SMTP server for replies and team mail, the fake Graph API for Messenger
 * and Instagram, the fake portal for Perkebbas (poll + reply endpoint) and a call-center log folder.
 * The rig feeds complaints, kills and restarts the service, and counts what came out of it.
 */

export const PAGE_ID = '104000000000001';
export const IG_ID = '17841400000000000';
const PAGE_TOKEN = 'EAAGreliabilityPageToken0123456789';
const APP_SECRET = 'reliability-app-secret-5f2c';
const PORTAL_TOKEN = 'perkebbas-reliability-token-0123456789';
const WA_TOKEN = 'EAAwhatsappReliabilityToken0123456789';
const WA_SECRET = 'whatsapp-reliability-app-secret';
const SHARED_REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const FROM_DOMAIN = 'disdukcapil.dairikab.go.id';

export interface RigOptions {
  /** Names the temp folder and the Redis prefix. */
  label: string;
  channels: readonly FeedChannel[];
  /** Default: the shared Redis (REDIS_URL or 127.0.0.1:6379). */
  redisUrl?: string;
  /** Overrides of `pipeline` in local.yaml. */
  pipeline?: Record<string, unknown>;
  /** Put a TCP gate in front of the SMTP sink, to refuse connections. */
  smtpGate?: boolean;
  logLevel?: 'debug' | 'info';
  /** Keep the run folder (logs, store) after destroy(). */
  keep?: boolean;
}

export interface ServiceRun {
  child: ChildProcess;
  /** Resolves when the service logged "aduan started"; rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What came out of a run, per complaint and in total. */
export interface Tally {
  fed: Record<FeedChannel, number>;
  fedTotal: number;
  tickets: number;
  /** Complaints with no ticket, or whose ticket misses its initial response or team mail. */
  lost: string[];
  /** Complaints with more than one ticket or more than one distinct message of a kind. */
  doubled: string[];
  /** Messages that belong to no complaint, reached the wrong recipient, or should not exist. */
  unexpected: string[];
  acks: { expected: number; distinct: number; raw: number };
  /** Complaints whose channel gives no automatic reply, and of those, how many tickets record it as skipped. */
  skippedAcks: { expected: number; recorded: number };
  teamMails: { distinct: number; raw: number };
  /** Raw messages beyond the distinct ones: the same deterministic message id sent again. */
  repeats: number;
  repeatIds: string[];
  /** Repeats not explained by a kill just after the earlier copy was accepted: none may exist. */
  repeatsOutsideCrashWindow: string[];
  alerts: number;
  pendingIntake: number;
  quarantined: number;
  deadLetters: number;
}

export class Rig {
  readonly root: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly prefix: string;
  readonly redisUrl: string;
  readonly logChunks: string[] = [];
  readonly fed: FedComplaint[] = [];
  readonly runs: ServiceRun[] = [];
  /** When each SIGKILL was sent (epoch ms). */
  readonly killTimes: number[] = [];
  private readonly logFile: string;
  private imap: ImapFlow | undefined;
  private callCenterFile = '';
  private lastPortalAt = 0;

  private constructor(
    readonly options: RigOptions,
    readonly sink: SmtpSink,
    readonly gate: TcpGate | undefined,
    readonly dovecot: Dovecot | undefined,
    readonly mailbox: DovecotUser | undefined,
    readonly graph: FakeGraphServer | undefined,
    readonly portal: FakePortalServer | undefined,
    readonly whatsapp: { fake: FakeWhatsAppServer; port: number } | undefined,
  ) {
    this.root = mkdtempSync(path.join(os.tmpdir(), `aduan-${options.label}-`));
    this.dataDir = path.join(this.root, 'state');
    this.prefix = `aduan-rel-${options.label}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
    this.redisUrl = options.redisUrl ?? SHARED_REDIS;
    this.logFile = path.join(this.root, 'service.log');
    this.configDir = this.writeConfig();
  }

  static async start(options: RigOptions): Promise<Rig> {
    const want = (c: FeedChannel) => options.channels.includes(c);
    const [sink, dovecot, graph, portal, whatsapp] = await Promise.all([
      SmtpSink.start(),
      want('email') ? Dovecot.start() : undefined,
      want('messenger') || want('instagram')
        ? FakeGraphServer.start({ pageId: PAGE_ID, igAccountId: IG_ID, accessToken: PAGE_TOKEN, appSecret: APP_SECRET })
        : undefined,
      want('perkebbas') ? FakePortalServer.start({ auth: { kind: 'bearer', token: PORTAL_TOKEN } }) : undefined,
      want('whatsapp')
        ? Promise.all([
            FakeWhatsAppServer.start({ accessToken: WA_TOKEN, phoneNumberIds: [WA_LINE] }),
            freePort(),
          ]).then(([fake, port]) => ({ fake, port }))
        : undefined,
    ]);
    const gate = options.smtpGate ? await TcpGate.start(sink.port) : undefined;
    const mailbox = dovecot?.addUser('pengaduan');
    return new Rig(options, sink, gate, dovecot, mailbox, graph, portal, whatsapp);
  }

  private writeConfig(): string {
    const { channels } = this.options;
    const want = (c: FeedChannel) => channels.includes(c);
    const local: Record<string, unknown> = {
      service: { dataDir: this.dataDir, healthPort: 0, logLevel: this.options.logLevel ?? 'debug' },
      redis: { url: this.redisUrl, prefix: this.prefix },
      pipeline: {
        intakeConcurrency: 8,
        effectsConcurrency: 8,
        attempts: 20,
        backoffMs: 500,
        maxBackoffMs: 5000,
        shutdownTimeoutMs: 3000,
        reconcileIntervalMs: 2000,
        reconcileAfterMs: 3000,
        ...this.options.pipeline,
      },
      outbound: { mode: 'live', smtp: { host: '127.0.0.1', port: this.gate?.port ?? this.sink.port, secure: false } },
      alerts: { adminEmails: [`admin-aduan@${FROM_DOMAIN}`], repeatAfterMinutes: 60 },
      channels: {},
    };
    const ch = local.channels as Record<string, unknown>;
    if (want('email')) {
      ch.email = {
        enabled: true,
        accounts: [
          {
            name: 'uji',
            host: this.dovecot!.host,
            port: this.dovecot!.port,
            security: 'plain',
            user: this.mailbox!.user,
            password: '${ADUAN_TEST_IMAP_PASSWORD}',
            mailboxes: ['INBOX'],
          },
        ],
        pollIntervalMs: 5000,
        backfillDays: 1,
        reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
      };
    }
    if (want('messenger') || want('instagram')) {
      ch.meta = {
        enabled: true,
        graphBaseUrl: this.graph!.url,
        requestTimeoutMs: 5000,
        pageId: PAGE_ID,
        pageAccessToken: '${ADUAN_TEST_PAGE_TOKEN}',
        appSecret: '${ADUAN_TEST_APP_SECRET}',
        messenger: { enabled: want('messenger') },
        instagram: { enabled: want('instagram'), accountId: IG_ID },
        polling: {
          intervalMs: 300,
          callsPerSecond: 50,
          backfillHours: 48,
          pageSize: 25,
          rateLimitPauseMs: 500,
          maxRateLimitPauseMs: 2000,
        },
      };
    }
    if (want('perkebbas')) {
      ch.perkebbas = {
        enabled: true,
        auth: { kind: 'bearer', token: '${ADUAN_TEST_PORTAL_TOKEN}' },
        poll: {
          url: this.portal!.url('/api/pengaduan'),
          intervalMs: 300,
          timeoutMs: 5000,
          incremental: {
            kind: 'since',
            param: 'updated_since',
            format: 'iso',
            timeField: 'diperbarui_pada',
            overlapSeconds: 5,
            backfillHours: 24,
          },
          pagination: { kind: 'page', param: 'page', firstPage: 1, sizeParam: 'per_page', size: 50 },
          backoffMs: 200,
          maxBackoffMs: 2000,
          recheckAfterFailureMs: 1000,
        },
        mapping: {
          sourceId: 'id',
          receivedAt: 'dibuat_pada',
          text: 'isi',
          subject: 'judul',
          name: 'pelapor.nama',
          phone: 'pelapor.telepon',
          email: 'pelapor.email',
          nik: 'pelapor.nik',
          meta: { status: 'status', kecamatan: 'pelapor.kecamatan' },
        },
        reply: {
          url: this.portal!.url('/api/pengaduan/{{to}}/tanggapan'),
          auth: { kind: 'bearer', token: '${ADUAN_TEST_PORTAL_TOKEN}' },
          timeoutMs: 5000,
        },
      };
    }
    if (want('whatsapp')) {
      ch.whatsapp = {
        enabled: true,
        graphBaseUrl: this.whatsapp!.fake.url,
        requestTimeoutMs: 5000,
        accessToken: '${ADUAN_TEST_WA_TOKEN}',
        appSecret: '${ADUAN_TEST_WA_SECRET}',
        numbers: [{ phoneNumberId: WA_LINE }],
        webhook: { host: '127.0.0.1', port: this.whatsapp!.port, verifyToken: 'uji' },
      };
    }
    if (want('call-center')) {
      const folder = path.join(this.root, 'callcenter');
      mkdirSync(folder, { recursive: true });
      this.callCenterFile = path.join(folder, 'panggilan-agen.csv');
      writeFileSync(this.callCenterFile, '\ufeffWaktu;Nomor Penelepon;Agen;Ringkasan;NIK;Line;Nama Penelepon\r\n');
      ch.callCenter = { enabled: true, folder, pollIntervalMs: 250 };
    }
    return writeConfigDir(this.root, local);
  }

  get storeFile(): string {
    return path.join(this.dataDir, 'aduan.sqlite');
  }

  get log(): string {
    return this.logChunks.join('');
  }

  // ---- the service ----

  startService(): ServiceRun {
    const child = spawn(process.execPath, [CLI, 'start', '--config', this.configDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ADUAN_TEST_IMAP_PASSWORD: this.mailbox?.password ?? '',
        ADUAN_TEST_PAGE_TOKEN: PAGE_TOKEN,
        ADUAN_TEST_APP_SECRET: APP_SECRET,
        ADUAN_TEST_PORTAL_TOKEN: PORTAL_TOKEN,
        ADUAN_TEST_WA_TOKEN: WA_TOKEN,
        ADUAN_TEST_WA_SECRET: WA_SECRET,
        // Live mode refuses to start without the reply-token secret.
        ADUAN_REPLY_SECRET: TEST_REPLY_SECRET,
      },
    });
    const runNo = this.runs.length + 1;
    let stdout = '';
    const collect = (stream: 'out' | 'err') => (chunk: Buffer) => {
      const text = chunk.toString();
      this.logChunks.push(text);
      appendFileSync(this.logFile, stream === 'err' ? text.replace(/^/gm, `[run ${runNo} stderr] `) : text);
      if (stream === 'out') stdout += text;
    };
    child.stdout!.on('data', collect('out'));
    child.stderr!.on('data', collect('err'));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (stdout.includes('"msg":"aduan started"')) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
      void exited.then(({ code, signal }) => {
        clearInterval(timer);
        reject(new Error(`service exited before it was ready (code ${code}, signal ${signal}); see ${this.logFile}`));
      });
    });
    ready.catch(() => undefined);
    const run = { child, ready, exited };
    this.runs.push(run);
    return run;
  }

  get current(): ServiceRun | undefined {
    const run = this.runs[this.runs.length - 1];
    return run && run.child.exitCode === null && run.child.signalCode === null ? run : undefined;
  }

  /** SIGKILL: no shutdown code runs, buffered log lines are lost, in-flight work is cut off. */
  async kill(): Promise<void> {
    const run = this.current;
    if (!run) return;
    this.killTimes.push(Date.now());
    run.child.kill('SIGKILL');
    await run.exited;
  }

  async stopService(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    const run = this.current;
    if (!run) return undefined;
    run.child.kill('SIGTERM');
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 15_000);
    const result = await run.exited;
    clearTimeout(timer);
    return result;
  }

  // ---- feeding ----

  /** Hands one complaint to its channel's source, retrying while that source is down. */
  async feed(complaint: FedComplaint): Promise<void> {
    switch (complaint.channel) {
      case 'email':
        await this.feedEmail(complaint);
        break;
      case 'messenger':
      case 'instagram': {
        const citizen =
          complaint.channel === 'messenger'
            ? { id: complaint.replyTo, name: complaint.name }
            : { id: complaint.replyTo, username: complaint.name.toLowerCase().replace(/ /g, '_') };
        complaint.sourceId = this.graph!.addInbound(complaint.channel, citizen, complaint.text).messageId;
        break;
      }
      case 'perkebbas': {
        // Monotonic times, as the portal's own clock gives them.
        const at = Math.max(Date.now(), this.lastPortalAt + 1);
        this.lastPortalAt = at;
        const stamp = localIso(at);
        this.portal!.records.push(
          portalRecord(complaint.replyTo, stamp, {
            judul: complaint.subject,
            isi: complaint.text,
            pelapor: {
              nama: complaint.name,
              telepon: writePhone(complaint.phone, complaint.index),
              nik: complaint.nik,
              kecamatan: 'Sidikalang',
            },
          }),
        );
        complaint.sourceId = complaint.replyTo;
        break;
      }
      case 'whatsapp':
        await this.feedWhatsApp(complaint);
        break;
      case 'call-center': {
        const at = localParts(Date.now());
        const time = `${at.day}/${at.month}/${at.year} ${at.hour}.${at.minute}`;
        const nikColumn = complaint.index % 3 === 0 ? '' : writeNik(complaint.nik, 0);
        appendFileSync(
          this.callCenterFile,
          `${time};${writePhone(complaint.phone, complaint.index + 1)};Agen Line ${(complaint.index % 2) + 1};"${complaint.text}";${nikColumn};Line 1;${complaint.name}\r\n`,
        );
        break;
      }
    }
    this.fed.push(complaint);
  }

  /**
   * Feeds complaint i at i/N of `overMs` from now, each channel in its own lane so a slow source (an
   * IMAP APPEND while Dovecot is down) never holds up the others. Resolves when all are fed.
   */
  async feedAll(plan: readonly FedComplaint[], overMs: number): Promise<void> {
    const started = Date.now();
    const lanes = new Map<string, Promise<void>>();
    for (const [i, complaint] of plan.entries()) {
      const wait = started + (i * overMs) / plan.length - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const lane = lanes.get(complaint.channel) ?? Promise.resolve();
      lanes.set(
        complaint.channel,
        lane.then(() => this.feed(complaint)),
      );
    }
    await Promise.all(lanes.values());
  }

  /**
   * Posts the signed webhook as Meta does: until the receiver answers 200 (it is down between a kill and
   * the restart, or answers 500 when it could not record the message), and every fourth one again after
   * that (Meta's duplicate deliveries): the wamid makes it one ticket.
   */
  private async feedWhatsApp(complaint: FedComplaint): Promise<void> {
    const { fake, port } = this.whatsapp!;
    const waId = complaint.replyTo.split(':')[1]!;
    const wamid = `wamid.UJI${complaint.marker.replace(/[^A-Z0-9]/g, '')}`;
    fake.citizenWrote(waId);
    const payload = messagesPayload([
      [
        {
          phoneNumberId: WA_LINE,
          waId,
          name: complaint.name,
          wamid,
          message: { type: 'text', text: { body: complaint.text } },
        },
      ],
    ]);
    const url = `http://127.0.0.1:${port}/webhooks/whatsapp`;
    const deliveries = complaint.index % 4 === 0 ? 2 : 1;
    for (let delivered = 0; delivered < deliveries;) {
      const status = await postSignedWebhook(url, payload, WA_SECRET).catch(() => 0);
      if (status === 200) delivered += 1;
      else await new Promise((r) => setTimeout(r, 200));
    }
    complaint.sourceId = wamid;
  }

  private async feedEmail(complaint: FedComplaint): Promise<void> {
    const messageId = `<uji-${complaint.marker.toLowerCase()}@mail.gmail.com>`;
    const mail = [
      `From: ${complaint.name} <${complaint.replyTo}>`,
      `To: pengaduan@${FROM_DOMAIN}`,
      `Subject: ${complaint.subject}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: ${messageId}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset="UTF-8"',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Selamat siang Bapak/Ibu,',
      '',
      complaint.text,
      '',
      `Hormat saya,`,
      complaint.name,
      '',
    ].join('\r\n');
    for (let attempt = 1; ; attempt++) {
      try {
        this.imap ??= await this.connectImap();
        await this.imap.append('INBOX', mail);
        complaint.sourceId = messageId;
        return;
      } catch (error) {
        // Dovecot is down (an outage test) or the connection dropped: reconnect and append again. A
        // repeated APPEND of the same message is one more copy of the same Message-ID: one ticket.
        const client = this.imap;
        this.imap = undefined;
        client?.close();
        if (attempt >= 200) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private async connectImap(): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: this.dovecot!.host,
      port: this.dovecot!.port,
      secure: false,
      auth: { user: this.mailbox!.user, pass: this.mailbox!.password },
      logger: false,
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  // ---- counting ----

  private openStore(): Database.Database | undefined {
    if (!existsSync(this.storeFile)) return undefined;
    const db = new Database(this.storeFile, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return db;
  }

  /** Store state: is every fed complaint a ticket with its initial response and team delivery decided? */
  progress(): { tickets: number; pendingIntake: number; unfinished: number; matched: number; settled: boolean } {
    const db = this.openStore();
    if (!db) return { tickets: 0, pendingIntake: 0, unfinished: 0, matched: 0, settled: false };
    try {
      const tickets = (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
      const pendingIntake = (
        db.prepare(`SELECT COUNT(*) AS n FROM intake WHERE state = 'pending'`).get() as { n: number }
      ).n;
      const unfinished = (
        db
          .prepare(
            `SELECT COUNT(*) AS n FROM tickets t WHERE (SELECT COUNT(*) FROM effects e WHERE e.ticket_id = t.id AND e.state = 'done' AND e.kind IN ('route', 'respond')) < 2`,
          )
          .get() as { n: number }
      ).n;
      const markers = new Set<string>();
      for (const row of db.prepare('SELECT doc FROM tickets').iterate() as Iterable<{ doc: string }>)
        for (const m of row.doc.matchAll(MARKER)) markers.add(m[0]);
      const matched = this.fed.filter((c) => markers.has(c.marker)).length;
      return {
        tickets,
        pendingIntake,
        unfinished,
        matched,
        settled: matched === this.fed.length && pendingIntake === 0 && unfinished === 0,
      };
    } finally {
      db.close();
    }
  }

  /** Waits until the store says everything fed is done, then a little longer for stragglers. */
  async waitQuiescent(timeoutMs: number, onTick?: (p: ReturnType<Rig['progress']>) => void): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let settledSince: number | undefined;
    for (;;) {
      const p = this.progress();
      onTick?.(p);
      if (p.settled) {
        settledSince ??= Date.now();
        if (Date.now() - settledSince >= 1500) return true;
      } else {
        settledSince = undefined;
      }
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async tally(): Promise<Tally> {
    const fed = Object.fromEntries(
      FEED_CHANNELS.map((c) => [c, this.fed.filter((f) => f.channel === c).length]),
    ) as Record<FeedChannel, number>;
    const byMarker = new Map(this.fed.map((c) => [c.marker, c]));
    const lost: string[] = [];
    const doubled: string[] = [];
    const unexpected: string[] = [];

    // Tickets, from the store.
    const ticketsOf = new Map<string, Array<{ number: string; channel: string }>>();
    const complaintOfTicket = new Map<string, FedComplaint>();
    const skippedRespond = new Set<string>();
    let tickets = 0;
    let pendingIntake = 0;
    let quarantined = 0;
    const db = this.openStore();
    if (db) {
      try {
        for (const row of db
          .prepare('SELECT id, ticket_number AS number, channel, doc FROM tickets')
          .iterate() as Iterable<{ id: string; number: string; channel: string; doc: string }>) {
          tickets += 1;
          const markers = [...new Set([...row.doc.matchAll(MARKER)].map((m) => m[0]))];
          const complaint = markers.length === 1 ? byMarker.get(markers[0]!) : undefined;
          if (!complaint) {
            unexpected.push(`ticket ${row.number} matches no fed complaint (${markers.join(', ') || 'no marker'})`);
            continue;
          }
          if (row.channel !== complaint.channel)
            unexpected.push(
              `ticket ${row.number} is on ${row.channel}, complaint ${complaint.marker} came by ${complaint.channel}`,
            );
          ticketsOf.set(complaint.marker, [
            ...(ticketsOf.get(complaint.marker) ?? []),
            { number: row.number, channel: row.channel },
          ]);
          complaintOfTicket.set(row.number, complaint);
        }
        for (const row of db
          .prepare(
            `SELECT t.ticket_number AS number FROM effects e JOIN tickets t ON t.id = e.ticket_id WHERE e.kind = 'respond' AND e.state = 'done' AND e.detail LIKE 'skipped:%'`,
          )
          .iterate() as Iterable<{ number: string }>) {
          skippedRespond.add(row.number);
        }
        pendingIntake = (db.prepare(`SELECT COUNT(*) AS n FROM intake WHERE state = 'pending'`).get() as { n: number })
          .n;
        quarantined = (db.prepare('SELECT COUNT(*) AS n FROM quarantine').get() as { n: number }).n;
      } finally {
        db.close();
      }
    }

    // Outgoing messages, from the servers that received them: id → how often.
    const acks = new Map<string, { count: number; to: string }>();
    const teamMails = new Map<string, number>();
    const seenAt = new Map<string, number[]>();
    const seen = (id: string, at: number) => seenAt.set(id, [...(seenAt.get(id) ?? []), at]);
    let alerts = 0;
    for (const mail of this.sink.received) {
      const purpose = mail.header('x-aduan-purpose');
      // Team mail ids carry the ticket's reply token (ADU-2026-000001-<token>.team): counted per ticket.
      const id = (/^<([^@>]+)@/.exec(mail.mail.messageId ?? '')?.[1] ?? '?').replace(
        /^(ADU-\d{4}-\d{6,})-[a-z2-7]+\./i,
        '$1.',
      );
      if (purpose === 'acknowledgement' || purpose === 'team-ticket') seen(id, mail.at);
      if (purpose === 'acknowledgement')
        acks.set(id, { count: (acks.get(id)?.count ?? 0) + 1, to: mail.envelope.to.join(',') });
      else if (purpose === 'team-ticket') teamMails.set(id, (teamMails.get(id) ?? 0) + 1);
      else if (purpose === 'alert') alerts += 1;
      else unexpected.push(`mail ${id} with purpose ${purpose ?? 'none'} to ${mail.envelope.to.join(',')}`);
    }
    for (const call of this.graph?.sendCalls() ?? []) {
      if (call.status !== 200) continue;
      const body = call.body ?? {};
      const recipient = (typeof body.recipient === 'string' ? JSON.parse(body.recipient) : body.recipient) as
        { id?: string } | undefined;
      const message = (typeof body.message === 'string' ? JSON.parse(body.message) : body.message) as
        { text?: string } | undefined;
      const number = TICKET.exec(message?.text ?? '')?.[0];
      if (!number) continue; // a later part of a message split in two
      const id = `${number}.ack`;
      seen(id, call.at);
      acks.set(id, { count: (acks.get(id)?.count ?? 0) + 1, to: recipient?.id ?? '?' });
    }
    for (const sent of this.whatsapp?.fake.sent ?? []) {
      const number = TICKET.exec(sent.text ?? '')?.[0];
      if (!number) continue;
      const id = `${number}.ack`;
      seen(id, sent.at);
      acks.set(id, { count: (acks.get(id)?.count ?? 0) + 1, to: `${sent.phoneNumberId}:${sent.to}` });
    }
    for (const call of this.portal?.callsTo('reply') ?? []) {
      if (call.status < 200 || call.status >= 300) continue;
      const id = String(call.headers['idempotency-key'] ?? '?');
      const to = decodeURIComponent(/^\/api\/pengaduan\/([^/]+)\/tanggapan$/.exec(call.path)?.[1] ?? '?');
      seen(id, call.at);
      acks.set(id, { count: (acks.get(id)?.count ?? 0) + 1, to });
    }

    // Per complaint: one ticket, one initial response where the channel replies, one team mail.
    let expectedAcks = 0;
    let skippedExpected = 0;
    let skippedRecorded = 0;
    for (const complaint of this.fed) {
      const own = ticketsOf.get(complaint.marker) ?? [];
      if (complaint.expectAck) expectedAcks += 1;
      else skippedExpected += 1;
      if (own.length === 0) {
        lost.push(`${complaint.marker} (${complaint.channel}): no ticket`);
        continue;
      }
      if (own.length > 1)
        doubled.push(
          `${complaint.marker} (${complaint.channel}): ${own.length} tickets ${own.map((t) => t.number).join(', ')}`,
        );
      const ackIds = own.map((t) => `${t.number}.ack`).filter((id) => acks.has(id));
      const teamIds = own.map((t) => `${t.number}.team`).filter((id) => teamMails.has(id));
      if (complaint.expectAck) {
        if (ackIds.length === 0)
          lost.push(
            `${complaint.marker} (${complaint.channel}): no initial response for ${own.map((t) => t.number).join(', ')}`,
          );
        if (ackIds.length > 1)
          doubled.push(
            `${complaint.marker} (${complaint.channel}): ${ackIds.length} initial responses ${ackIds.join(', ')}`,
          );
        for (const id of ackIds)
          if (acks.get(id)!.to !== complaint.replyTo)
            unexpected.push(`${id} went to ${acks.get(id)!.to}, not to the complainant of ${complaint.marker}`);
      } else {
        if (ackIds.length > 0)
          unexpected.push(
            `${complaint.marker} (${complaint.channel}): initial response ${ackIds.join(', ')} on a channel without automatic replies`,
          );
        if (own.some((t) => skippedRespond.has(t.number))) skippedRecorded += 1;
      }
      if (teamIds.length === 0)
        lost.push(
          `${complaint.marker} (${complaint.channel}): no team mail for ${own.map((t) => t.number).join(', ')}`,
        );
      if (teamIds.length > 1)
        doubled.push(`${complaint.marker} (${complaint.channel}): ${teamIds.length} team mails ${teamIds.join(', ')}`);
    }
    for (const id of acks.keys())
      if (!complaintOfTicket.has(id.replace(/\.ack$/, '')))
        unexpected.push(`initial response ${id} for no fed complaint`);
    for (const id of teamMails.keys())
      if (!complaintOfTicket.has(id.replace(/\.team$/, ''))) unexpected.push(`team mail ${id} for no fed complaint`);

    const repeatIds = [
      ...[...acks].filter(([, v]) => v.count > 1).map(([id, v]) => `${id} ×${v.count}`),
      ...[...teamMails].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`),
    ];
    // The one window for a repeat: the earlier copy was accepted, then the service was killed before it
    // recorded that (within a moment), and the copy after the kill is the retry.
    const repeatsOutsideCrashWindow: string[] = [];
    for (const [id, times] of seenAt) {
      times.sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) {
        const [previous, repeat] = [times[i - 1]!, times[i]!];
        // A kill may also come just before the receiver logged the copy: it was already on the wire.
        const explained = this.killTimes.some(
          (k) => k >= previous - IN_FLIGHT_MS && k <= previous + CRASH_WINDOW_MS && k <= repeat,
        );
        if (!explained) {
          const nearest = this.killTimes.map((k) => k - previous).sort((x, y) => Math.abs(x) - Math.abs(y))[0];
          repeatsOutsideCrashWindow.push(
            `${id}: copy ${i + 1} ${repeat - previous} ms after copy ${i}; nearest kill ${nearest === undefined ? 'none' : `${nearest} ms`} from copy ${i}`,
          );
        }
      }
    }
    const raw = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const ackRaw = raw([...acks.values()].map((v) => v.count));
    const teamRaw = raw([...teamMails.values()]);
    return {
      fed,
      fedTotal: this.fed.length,
      tickets,
      lost,
      doubled,
      unexpected,
      acks: { expected: expectedAcks, distinct: acks.size, raw: ackRaw },
      skippedAcks: { expected: skippedExpected, recorded: skippedRecorded },
      teamMails: { distinct: teamMails.size, raw: teamRaw },
      repeats: ackRaw - acks.size + teamRaw - teamMails.size,
      repeatIds,
      repeatsOutsideCrashWindow,
      alerts,
      pendingIntake,
      quarantined,
      deadLetters: await this.deadLetterCount(),
    };
  }

  /** Jobs waiting (or delayed) in the work queues right now: what a Redis loss would take with it. */
  async queuedJobs(): Promise<number> {
    const connection = new IORedis(this.redisUrl, { maxRetriesPerRequest: 1 });
    connection.on('error', () => undefined);
    const queues = ['intake', 'effects'].map((name) => new Queue(name, { connection, prefix: this.prefix }));
    try {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'delayed', 'prioritized')));
      return counts.reduce((sum, c) => sum + (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), 0);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
      connection.disconnect();
    }
  }

  private async deadLetterCount(): Promise<number> {
    const connection = new IORedis(this.redisUrl, { maxRetriesPerRequest: 1 });
    connection.on('error', () => undefined);
    const queue = new Queue('dead-letter', { connection, prefix: this.prefix });
    try {
      return await queue.count();
    } catch {
      return -1;
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  /** NIK/KK and phone numbers in everything the service wrote to stdout and stderr. */
  scanLogs(): PiiFinding[] {
    return scanForPersonalData(this.log, this.fed);
  }

  async destroy(): Promise<void> {
    for (const run of this.runs)
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await Promise.all(this.runs.map((r) => r.exited));
    this.imap?.close();
    await Promise.all([
      this.sink.stop(),
      this.gate?.shut(),
      this.dovecot?.destroy(),
      this.graph?.close(),
      this.portal?.close(),
      this.whatsapp?.fake.close(),
    ]);
    await deleteKeysWithPrefix(this.redisUrl, this.prefix).catch(() => undefined);
    if (!this.options.keep) rmSync(this.root, { recursive: true, force: true });
  }
}

/** How long after a message was accepted a kill still explains its repeat (the completion write follows at once). */
const CRASH_WINDOW_MS = 3000;
/** How long before a receiver recorded a message the sender may already have been killed. */
const IN_FLIGHT_MS = 1000;
const MARKER = /UJI-[A-Z0-9]+-\d{5}/g;
const TICKET = /ADU-\d{4}-\d{6,}/;

function localParts(ms: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const d = new Date(ms + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    year: String(d.getUTCFullYear()),
    month: p(d.getUTCMonth() + 1),
    day: p(d.getUTCDate()),
    hour: p(d.getUTCHours()),
    minute: p(d.getUTCMinutes()),
    second: p(d.getUTCSeconds()),
  };
}

/** 2026-11-30T11:27:05.123+07:00, as the portal writes office-local times. */
function localIso(ms: number): string {
  const p = localParts(ms);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${String(ms % 1000).padStart(3, '0')}+07:00`;
}
