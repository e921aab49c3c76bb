import { Counter, Gauge, type Registry } from 'prom-client';

/** WhatsApp's own figures on /metrics (the generic channel gauges come from its health). */
export class WhatsAppMetrics {
  private readonly events: Counter<'kind'> | undefined;
  private readonly sendErrors: Counter<'code'> | undefined;
  private readonly media: Counter<'outcome'> | undefined;
  private pendingMedia = 0;

  constructor(registry: Registry | undefined) {
    if (!registry) return;
    const registers = [registry];
    this.events = new Counter({
      name: 'aduan_whatsapp_webhook_events_total',
      help: 'WhatsApp webhook parts by kind: message, status, no-ticket, ignored, rejected (bad signature or size)',
      labelNames: ['kind'],
      registers,
    });
    this.sendErrors = new Counter({
      name: 'aduan_whatsapp_send_errors_total',
      help: 'Cloud API send refusals by error code (131047 window, 130429 rate limit, 190 token…)',
      labelNames: ['code'],
      registers,
    });
    this.media = new Counter({
      name: 'aduan_whatsapp_media_downloads_total',
      help: 'WhatsApp media download attempts by outcome: stored, failed (retried), given-up',
      labelNames: ['outcome'],
      registers,
    });
    const pending = () => this.pendingMedia;
    new Gauge({
      name: 'aduan_whatsapp_media_pending',
      help: 'WhatsApp media files still to download',
      registers,
      collect() {
        this.set(pending());
      },
    });
  }

  event(kind: string): void {
    this.events?.inc({ kind });
  }

  sendError(code: number | undefined): void {
    this.sendErrors?.inc({ code: code === undefined ? 'none' : String(code) });
  }

  mediaAttempt(outcome: 'stored' | 'failed' | 'given-up'): void {
    this.media?.inc({ outcome });
  }

  mediaPending(count: number): void {
    this.pendingMedia = count;
  }
}
