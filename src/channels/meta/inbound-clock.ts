import type { ComplaintInputDraft } from '../../domain/complaint';
import type { ComplaintSink } from '../complaint-sink';
import type { MetaConfig } from './config-schema';
import type { MetaChannel } from './normalize';

/** Enough for every citizen who wrote in the last day many times over; the oldest entries go first. */
const MAX_ENTRIES = 100_000;

/**
 * When each citizen last wrote, as the intakes (webhook and polling) took their messages in: the
 * 24-hour messaging window of a reply is decided from it without reading the conversation through
 * Graph. Only messages already durably submitted are noted; a citizen not noted since this process
 * started (a restart, a reply days later) is looked up through Graph by the reply transport.
 */
export class InboundClock {
  private readonly last = new Map<string, number>();

  noteInbound(channel: MetaChannel, citizenId: string, receivedAt: string): void {
    const at = Date.parse(receivedAt);
    if (Number.isNaN(at)) return;
    const key = `${channel}:${citizenId}`;
    const known = this.last.get(key);
    if (known !== undefined && known >= at) return;
    // Re-inserted so the map's order stays oldest-noted first.
    this.last.delete(key);
    this.last.set(key, at);
    if (this.last.size > MAX_ENTRIES) this.last.delete(this.last.keys().next().value!);
  }

  /** ISO time of the citizen's newest noted message, or undefined when none was noted. */
  lastInboundAt(channel: MetaChannel, citizenId: string): string | undefined {
    const at = this.last.get(`${channel}:${citizenId}`);
    return at === undefined ? undefined : new Date(at).toISOString();
  }
}

/** One clock per config object, shared (like the rate gates) by the intakes and the reply transports. */
const clocks = new WeakMap<MetaConfig, InboundClock>();

export function inboundClockFor(meta: MetaConfig): InboundClock {
  let clock = clocks.get(meta);
  if (!clock) clocks.set(meta, (clock = new InboundClock()));
  return clock;
}

/** The intake's sink, noting on the clock each citizen message once it is durably submitted. */
export function notingInbound(sink: ComplaintSink, clock: InboundClock): ComplaintSink {
  return {
    async submit(candidate, origin) {
      const result = await sink.submit(candidate, origin);
      const c = candidate as Partial<ComplaintInputDraft> | undefined;
      const citizen = c?.complainant?.platformUserId;
      if (
        result.status !== 'quarantined' &&
        citizen &&
        c.receivedAt &&
        c.meta?.inboxAnswer === undefined &&
        c.meta?.changeOf === undefined
      )
        if (c.channel === 'messenger' || c.channel === 'instagram') clock.noteInbound(c.channel, citizen, c.receivedAt);
      return result;
    },
  };
}
