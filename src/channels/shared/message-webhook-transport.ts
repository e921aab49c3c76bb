import type { Logger } from '../../lib/logger';
import { OutboundPolicy, OutboundPolicyError, type OutboundHttpSettings, type Resolver } from '../../net/outbound-http';
import type { OutgoingMessage, Transport } from '../../outbound/message';
import { PermanentError, TransientError } from '../../lib/errors';
import { messageValues, renderTemplate, renderUrl } from './body-template';
import type { MessageWebhookConfig } from './message-webhook-schema';
import { authHeaders } from './http-auth';
import { HttpNetworkError, HttpStatusError, requestJson } from './http-client';

/**
 * Delivers a message by POSTing it as JSON to a configured endpoint: the portal's reply endpoint
 * (initial response, staff solutions) or an SMS/WhatsApp gateway. One request per recipient, with
 * the message id in the idempotency header so a repeat after a crash can be recognised. 429/5xx and
 * network failures are retried by the pipeline (Retry-After honoured); other 4xx are permanent.
 */
export class MessageWebhookTransport implements Transport {
  private readonly policy: OutboundPolicy;

  constructor(
    /** Names the endpoint in results and errors, e.g. "perkebbas reply". */
    private readonly label: string,
    private readonly hook: MessageWebhookConfig,
    private readonly defaultBody: (values: ReturnType<typeof messageValues>) => Record<string, unknown>,
    private readonly log: Logger,
    /** `outboundHttp` of the config; the resolver is for tests. */
    network: { settings?: OutboundHttpSettings; resolver?: Resolver } = {},
  ) {
    // The origin of the configured URL: placeholders fill in the path or query, never another host.
    this.policy = new OutboundPolicy(hook.url, network.settings, network.resolver);
  }

  async deliver(message: OutgoingMessage): Promise<string> {
    if (message.to.length === 0) throw new PermanentError(`${message.id} has no recipient`);
    const statuses: number[] = [];
    for (const [index, to] of message.to.entries()) {
      const values = messageValues(message, to);
      const idempotencyKey = message.to.length > 1 ? `${message.id}.${index + 1}` : message.id;
      try {
        const response = await requestJson(this.policy, {
          method: this.hook.method,
          url: renderUrl(this.hook.url, values),
          headers: {
            ...authHeaders(this.hook.auth),
            ...(this.hook.idempotencyHeader ? { [this.hook.idempotencyHeader.toLowerCase()]: idempotencyKey } : {}),
          },
          body: this.hook.bodyTemplate ? renderTemplate(this.hook.bodyTemplate, values) : this.defaultBody(values),
          timeoutMs: this.hook.timeoutMs,
          what: this.label,
          expectJson: false,
        });
        statuses.push(response.status);
      } catch (error) {
        throw this.classified(error, message);
      }
    }
    this.log.info({ id: message.id, recipients: message.to.length }, `${this.label}: delivered`);
    return `${this.label}: delivered (HTTP ${statuses.join(', ')})`;
  }

  /** In the terms of src/lib/errors: what the effects worker retries and what it gives up on. */
  private classified(error: unknown, message: OutgoingMessage): Error {
    if (error instanceof HttpStatusError) {
      if (error.isRetryable) return new TransientError(error.message, error.retryAfterMs);
      return new PermanentError(`${error.message} for ${message.id}`);
    }
    if (error instanceof HttpNetworkError) return error;
    if (error instanceof OutboundPolicyError) return new PermanentError(`${this.label}: ${error.message}`);
    return new PermanentError(`${this.label}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
