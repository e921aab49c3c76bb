import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, header, listen, listeningUrl, readBody } from '../../lib/http-listener';
import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import { openingConversations, type ConversationOpenerDeps } from '../shared/conversation-opener';
import { HealthTracker, type ChannelHealth, type ChannelIntake } from '../channel';
import { hubChallenge, verifyHubSignature } from '../shared/hub-signature';
import type { WhatsAppChannelState } from './channel-state';
import type { WhatsAppConfig } from './config-schema';
import { MEDIA_TYPES, normalizeWhatsAppWebhook, type WaItem } from './normalize';
import type { ComplaintInputDraft } from '../../domain/complaint';
import type { MediaFetcher } from './media-fetcher';
import type { NoTicketHandler } from './no-ticket';
import type { OwedAnswers } from './owed-answers';
import type { StatusRecorder } from './status-recorder';

export interface WhatsAppWebhookOptions {
  section: WhatsAppConfig;
  state: WhatsAppChannelState;
  statuses: StatusRecorder;
  noTicket: NoTicketHandler;
  media: MediaFetcher;
  owed: OwedAnswers;
  /** Keeps greetings, stickers and button taps until the conversation has content (issue #24, rule 3). */
  opener?: ConversationOpenerDeps;
  log: Logger;
}

/**
 * The Cloud API callback: answers the hub.* handshake, refuses a body over the cap (413) or one whose
 * X-Hub-Signature-256 does not match the raw bytes (401, nothing stored, the body never logged), and
 * answers 200 only once every message of the batch is in the durable intake inbox and every status is
 * recorded; when that fails it answers 500 and Meta redelivers (for up to 7 days; the wamid dedupes).
 */
export class WhatsAppWebhookIntake implements ChannelIntake {
  readonly name = 'whatsapp';
  private readonly tracker = new HealthTracker(this.name);
  private readonly ownNumbers: ReadonlySet<string>;
  private server: Server | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: WhatsAppWebhookOptions) {
    this.ownNumbers = new Set(options.section.numbers.map((n) => n.phoneNumberId));
  }

  async start(target: ComplaintSink): Promise<void> {
    const sink = this.options.opener ? openingConversations(target, this.options.opener) : target;
    const { host, port } = this.options.section.webhook;
    const server = createServer((req, res) => {
      const work = this.handle(req, res, sink).catch((error: unknown) => {
        this.options.log.error({ err: error }, 'WhatsApp webhook request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    await this.options.media.start();
    await listen(server, host, port);
    this.server = server;
    this.tracker.success();
    this.options.log.info({ url: this.url() }, 'WhatsApp webhook receiver listening');
  }

  url(): string {
    const { host, port, path } = this.options.section.webhook;
    return listeningUrl(this.server, host, port, path);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
    await Promise.allSettled([...this.inFlight]);
    this.options.media.stop();
    this.tracker.stopped();
  }

  health(): ChannelHealth {
    const health = this.tracker.snapshot();
    const failure = this.options.state.tokenFailure;
    return failure && health.state !== 'stopped'
      ? { ...health, state: 'failed', lastError: `access token refused: ${failure}` }
      : health;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, sink: ComplaintSink): Promise<void> {
    const { webhook, appSecret } = this.options.section;
    const url = new URL(req.url ?? '/', 'http://webhook.local');
    if (url.pathname !== webhook.path) return void res.writeHead(404).end();
    if (req.method === 'GET') return this.handshake(url.searchParams, res);
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'GET, POST' }).end();
    const declared = Number(req.headers['content-length']);
    const body = declared > webhook.maxBodyBytes ? undefined : await readBody(req, webhook.maxBodyBytes);
    if (!body) {
      this.options.log.warn({ limitBytes: webhook.maxBodyBytes }, 'WhatsApp webhook body over the size limit (413)');
      this.options.state.metrics.event('rejected');
      return void res.writeHead(413, { connection: 'close' }).end();
    }
    if (!verifyHubSignature(body, header(req, 'x-hub-signature-256'), appSecret)) {
      this.options.log.warn(
        { remote: req.socket.remoteAddress, bytes: body.length, signed: Boolean(header(req, 'x-hub-signature-256')) },
        'WhatsApp webhook signature mismatch; rejected',
      );
      this.options.state.metrics.event('rejected');
      return void res.writeHead(401).end();
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      // Signed by Meta but not JSON: a redelivery would be the same, so it is acknowledged and logged.
      this.options.log.warn({ bytes: body.length }, 'signed WhatsApp webhook body is not JSON; ignored');
      return void res.writeHead(200).end();
    }
    res.writeHead(await this.takeIn(normalizeWhatsAppWebhook(payload, this.ownNumbers), sink)).end();
  }

  /** A media message's file is fetched after the message is durable; the pending download is durable too. */
  private async mediaOf(complaint: ComplaintInputDraft): Promise<void> {
    const meta = complaint.meta ?? {};
    const type = MEDIA_TYPES.find((t) => t === meta.messageType);
    const attachment = complaint.attachments?.[0];
    if (!type || !meta.mediaId || !attachment) return;
    await this.options.media.add({
      wamid: complaint.sourceId,
      mediaId: meta.mediaId,
      type,
      filename: attachment.filename,
      mimeType: attachment.contentType,
      ...(meta.mediaSha256 ? { sha256: meta.mediaSha256 } : {}),
      receivedAt: complaint.receivedAt,
    });
  }

  /** The citizen wrote, so the window is open: an answer announced by template goes out now, after the 200. */
  private sendOwed(address: string): void {
    const work = this.options.owed
      .deliverTo(address)
      .catch((error: unknown) =>
        this.options.log.warn({ err: error }, 'owed WhatsApp answer not sent; tried again with the next message'),
      );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private handshake(query: URLSearchParams, res: ServerResponse): void {
    const challenge = hubChallenge(query, this.options.section.webhook.verifyToken);
    if (challenge === undefined) {
      this.options.log.warn('WhatsApp webhook verification refused (mode or verify token wrong)');
      return void res.writeHead(403).end();
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge);
  }

  /**
   * Every item of the batch; 200 once all are durable, 500 (Meta redelivers) when any failed. Messages
   * go one after another: a greeting and the complaint after it must not race (see conversation-opener).
   */
  private async takeIn(items: WaItem[], sink: ComplaintSink): Promise<number> {
    const { log, statuses, noTicket } = this.options;
    const outcomes: Array<PromiseSettledResult<number>> = [];
    for (const item of items) {
      outcomes.push(
        await (async (): Promise<number> => {
          this.options.state.metrics.event(item.kind === 'complaint' ? 'message' : item.kind);
          switch (item.kind) {
            case 'complaint': {
              const c = item.complaint;
              const result = await sink.submit(c, { channel: 'whatsapp', hint: c.sourceId });
              if (result.status !== 'quarantined') await this.mediaOf(c);
              if (result.status === 'queued' && c.complainant.platformUserId)
                this.sendOwed(c.complainant.platformUserId);
              return result.status === 'queued' ? 1 : 0;
            }
            case 'status':
              await statuses.record(item.status);
              return 0;
            case 'no-ticket':
              await noTicket.handle(item);
              return 0;
            case 'ignored':
              if (item.malformed)
                log.warn({ reason: item.reason }, 'WhatsApp webhook part not in the documented shape');
              else log.debug({ reason: item.reason }, 'WhatsApp webhook part not taken in');
              return 0;
          }
        })().then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        ),
      );
    }
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) {
      this.tracker.failure(failed.reason, 'degraded');
      log.error({ err: failed.reason }, 'WhatsApp webhook not fully recorded; answering 500 so Meta redelivers');
      return 500;
    }
    const queued = outcomes.reduce((sum, o) => sum + (o.status === 'fulfilled' ? o.value : 0), 0);
    this.tracker.success(queued);
    return 200;
  }
}
