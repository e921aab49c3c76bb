import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, header, listen, listeningUrl, readBody } from '../../lib/http-listener';
import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import type { Store } from '../../store/store';
import { HealthTracker, type ChannelHealth, type ChannelIntake } from '../channel';
import type { PortalConfig } from './config-schema';
import { readPath } from '../shared/dot-path';
import { RecordIntake, type IntakeStats } from './record-intake';
import { verifyBodySignature } from './webhook-signature';

export interface PortalWebhookDeps {
  portal: PortalConfig;
  store: Store;
  log: Logger;
  timeZone: string;
}

/**
 * Receives records a portal pushes: POST with an HMAC-SHA256 signature of the raw body in the
 * configured header. A bad or missing signature is 401 and is logged without the body. The answer
 * (200) comes only once every record is queued or quarantined, so a 5xx tells the portal to send
 * again; a repeated record is recognised by its sourceId.
 */
export class PortalWebhookIntake implements ChannelIntake {
  readonly name: string;
  private readonly tracker: HealthTracker;
  private readonly intake: RecordIntake;
  private server: Server | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: PortalWebhookDeps) {
    this.name = `${deps.portal.name}-webhook`;
    this.tracker = new HealthTracker(this.name);
    this.intake = new RecordIntake(
      deps.portal,
      {
        channel: deps.portal.channel,
        timeZone: deps.timeZone,
        dateOrder: deps.portal.dateOrder,
        source: deps.portal.name,
      },
      deps.store,
      deps.log,
    );
  }

  async start(sink: ComplaintSink): Promise<void> {
    const { host, port } = this.deps.portal.webhook;
    const server = createServer((req, res) => {
      const work = this.handle(req, res, sink).catch((error: unknown) => {
        this.deps.log.error({ err: error }, 'portal webhook request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    await listen(server, host, port);
    this.server = server;
    this.tracker.success();
    this.deps.log.info({ url: this.url() }, 'portal webhook receiver listening');
  }

  /** Where the receiver listens (with the real port when configured as 0). */
  url(): string {
    const { host, port, path } = this.deps.portal.webhook;
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

  stats(): IntakeStats {
    return { ...this.intake.stats };
  }

  private async handle(req: IncomingMessage, res: ServerResponse, sink: ComplaintSink): Promise<void> {
    const hook = this.deps.portal.webhook;
    const { log } = this.deps;
    if (new URL(req.url ?? '/', 'http://webhook.local').pathname !== hook.path) return void res.writeHead(404).end();
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    const body = await readBody(req, hook.maxBodyBytes);
    if (!body) {
      log.warn({ limitBytes: hook.maxBodyBytes }, 'portal webhook body over the size limit; refused (413)');
      return void res.writeHead(413).end();
    }
    const signature = header(req, hook.signatureHeader.toLowerCase());
    if (!verifyBodySignature(body, signature, hook.secret, hook.signatureEncoding)) {
      // Never log the body: it is unauthenticated and may hold personal data.
      log.warn(
        { remote: req.socket.remoteAddress, bytes: body.length, signed: Boolean(signature) },
        'portal webhook signature missing or wrong; rejected',
      );
      return void res.writeHead(401).end();
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      log.warn({ bytes: body.length }, 'signed portal webhook body is not JSON; rejected');
      return void res.writeHead(400).end();
    }
    const records = recordsIn(payload, hook.recordsPath);
    if (!records) {
      log.warn(
        { recordsPath: hook.recordsPath },
        'signed portal webhook body has no records where configured; rejected',
      );
      return void res.writeHead(422).end();
    }
    const counts = { queued: 0, duplicate: 0, quarantined: 0 };
    try {
      for (const record of records) counts[await this.intake.take(record, sink)] += 1;
    } catch (error) {
      this.tracker.failure(error, 'degraded');
      log.error({ err: error }, 'pushed portal records could not be taken in; the portal should send again');
      return void res.writeHead(503, { 'retry-after': '30' }).end();
    }
    this.tracker.success(counts.queued);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ received: records.length, ...counts }));
  }
}

/** The pushed records: at recordsPath, or the body itself (one record or an array of them). */
function recordsIn(payload: unknown, recordsPath: string): unknown[] | undefined {
  const found = readPath(payload, recordsPath);
  if (Array.isArray(found)) return found;
  if (recordsPath === '' && found !== null && typeof found === 'object') return [found];
  return undefined;
}
