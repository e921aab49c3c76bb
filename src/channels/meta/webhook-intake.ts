import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, header, listen, listeningUrl, readBody } from '../../lib/http-listener';
import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import { HealthTracker, type ChannelHealth, type ChannelIntake } from '../channel';
import type { MetaConfig } from './config-schema';
import { openingConversations, type ConversationOpenerDeps } from '../shared/conversation-opener';
import { keepAttachments, type AttachmentDownloadOptions } from './attachment-download';
import { notingInbound, type InboundClock } from './inbound-clock';
import { normalizeWebhookPayload, type AccountRef } from './normalize';
import { verificationChallenge, verifyHubSignature } from './webhook-signature';

const MAX_BODY_BYTES = 1024 * 1024;
/** Meta wants a quick 200; submits still running after this finish in the background. */
const ANSWER_WITHIN_MS = 800;

export interface MetaWebhookOptions {
  webhook: MetaConfig['webhook'];
  appSecret: string;
  accounts: AccountRef[];
  log: Logger;
  /** Noted with each citizen message taken in (the reply transports' 24-hour window). */
  inbound?: InboundClock;
  /** Keeps messages with nothing to classify until the conversation has content. */
  opener?: ConversationOpenerDeps;
  /** Our Meta app's id: echoes from other apps are staff answers typed in the Page inbox. */
  appId?: string;
  /** Apps whose echoes are staff answers; echoes of other apps are notes. Empty: any app other than ours. */
  inboxAppIds?: readonly string[];
  /** Where and how a message's files are downloaded before it is submitted; absent: only described. */
  download?: AttachmentDownloadOptions;
}

/**
 * Receives Messenger and Instagram webhook notifications: answers the hub.* handshake, rejects
 * anything whose X-Hub-Signature-256 does not match the raw body, submits each citizen message and
 * answers 200 quickly. Polling keeps running beside it, so a missed or rejected notification is still
 * picked up; the same message id from both paths is one complaint.
 */
export class MetaWebhookIntake implements ChannelIntake {
  readonly name = 'meta-webhook';
  private readonly tracker = new HealthTracker(this.name);
  private server: Server | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: MetaWebhookOptions) {}

  async start(target: ComplaintSink): Promise<void> {
    const opened = this.options.opener ? openingConversations(target, this.options.opener) : target;
    const sink = this.options.inbound ? notingInbound(opened, this.options.inbound) : opened;
    const { host, port } = this.options.webhook;
    const server = createServer((req, res) => {
      this.handle(req, res, sink).catch((error: unknown) => {
        this.options.log.error({ err: error }, 'webhook request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await listen(server, host, port);
    this.server = server;
    this.tracker.success();
    this.options.log.info({ url: this.url() }, 'Meta webhook receiver listening');
  }

  /** Where the receiver listens (with the real port when configured as 0). */
  url(): string {
    const { host, port, path } = this.options.webhook;
    return listeningUrl(this.server, host, port, path);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    await Promise.allSettled([...this.inFlight]);
    this.tracker.stopped();
  }

  health(): ChannelHealth {
    return this.tracker.snapshot();
  }

  private async handle(req: IncomingMessage, res: ServerResponse, sink: ComplaintSink): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://webhook.local');
    if (url.pathname !== this.options.webhook.path) return void res.writeHead(404).end();
    if (req.method === 'GET') return this.handshake(url.searchParams, res);
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'GET, POST' }).end();

    const body = await readBody(req, MAX_BODY_BYTES);
    if (!body) {
      this.options.log.warn({ limitBytes: MAX_BODY_BYTES }, 'webhook body over the size limit; refused (413)');
      return void res.writeHead(413).end();
    }
    if (!verifyHubSignature(body, header(req, 'x-hub-signature-256'), this.options.appSecret)) {
      // Never log the body: it is unauthenticated and may hold personal data.
      this.options.log.warn(
        { remote: req.socket.remoteAddress, bytes: body.length, signed: Boolean(header(req, 'x-hub-signature-256')) },
        'webhook signature mismatch; rejected',
      );
      return void res.writeHead(401).end();
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      this.options.log.warn({ bytes: body.length }, 'signed webhook body is not JSON; ignored');
      return void res.writeHead(400).end();
    }
    res.writeHead(await this.submitAll(payload, sink)).end();
  }

  private handshake(query: URLSearchParams, res: ServerResponse): void {
    const challenge = verificationChallenge(query, this.options.webhook.verifyToken);
    if (challenge === undefined) {
      this.options.log.warn('webhook verification refused (mode or verify token wrong)');
      return void res.writeHead(403).end();
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge);
  }

  /** 200 once every message is durably submitted or the answer deadline passed; 500 (Meta redelivers) when a submit failed. */
  private async submitAll(payload: unknown, sink: ComplaintSink): Promise<number> {
    const complaints = normalizeWebhookPayload(
      payload,
      this.options.accounts,
      new Date(),
      this.options.appId,
      this.options.inboxAppIds,
    ).flatMap((n) => {
      if (n.kind === 'ignored' && n.malformed)
        this.options.log.warn(
          { reason: n.reason },
          'signed webhook payload not in the documented shape; that part is not taken in',
        );
      else if (n.kind === 'ignored') this.options.log.debug({ reason: n.reason }, 'webhook event not taken in');
      return n.kind === 'complaint' ? [n] : [];
    });
    const { download } = this.options;
    // In order: a greeting and the complaint after it in one notification must not race (see conversation-opener).
    const work = (async () => {
      const results = [];
      for (const n of complaints) {
        // Meta's file links expire: downloaded now (a failure is recorded on the file, never holding the message).
        const c = download && n.downloads ? await keepAttachments(n.complaint, n.downloads, download) : n.complaint;
        results.push(await sink.submit(c, { channel: c.channel, hint: c.sourceId }));
      }
      return results;
    })();
    this.inFlight.add(work);
    const settled = work
      .then((results) => {
        this.tracker.success(results.filter((r) => r.status === 'queued').length);
        return 200;
      })
      .catch((error: unknown) => {
        this.tracker.failure(error, 'degraded');
        this.options.log.error({ err: error }, 'webhook messages could not be submitted; polling will pick them up');
        return 500;
      })
      .finally(() => this.inFlight.delete(work));
    return Promise.race([
      settled,
      new Promise<number>((resolve) => setTimeout(() => resolve(200), ANSWER_WITHIN_MS).unref()),
    ]);
  }
}
