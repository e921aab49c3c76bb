import { createHash } from 'node:crypto';
import type { Logger } from '../../lib/logger';
import type { ComplaintSink } from '../complaint-sink';
import type { Store } from '../../store/store';
import type { PoisonGuard } from '../poison-guard';
import type { PortalConfig } from './config-schema';
import { mapRecord, type MappedRecord, type MappingContext } from './normalize';
import { sourceKey } from './sources';

export interface IntakeStats {
  queued: number;
  duplicate: number;
  quarantined: number;
  /** Bad records met again unchanged (already in the quarantine). */
  requarantined: number;
}

/**
 * Hands one source record to the pipeline: mapped records go to the sink; records the mapping
 * cannot read are quarantined here, because only the adapter knows the source path that failed.
 * Resolves once the record is durable either way; throws only when neither could be made durable.
 */
export class RecordIntake {
  readonly stats: IntakeStats = { queued: 0, duplicate: 0, quarantined: 0, requarantined: 0 };

  constructor(
    private readonly portal: PortalConfig,
    private readonly context: MappingContext,
    private readonly store: Store,
    private readonly log: Logger,
    /** For a reader with a cursor (the poller): a record that cannot be read is set aside after a few tries. */
    private readonly poison?: PoisonGuard,
  ) {}

  async take(record: unknown, sink: ComplaintSink): Promise<'queued' | 'duplicate' | 'quarantined'> {
    const mapped = await this.read(record);
    if (mapped === undefined) {
      this.stats.quarantined += 1;
      return 'quarantined';
    }
    if (!mapped.ok) {
      const recorded = await this.store.quarantine({
        channel: this.portal.channel,
        ...(mapped.sourceId ? { sourceId: sourceKey(this.portal, mapped.sourceId) } : {}),
        reason: `${this.portal.name}: ${mapped.reason}`,
        payload: safeJson(record),
      });
      // A page-number source serves the same bad record on every poll: one quarantine record, one warning.
      if (recorded.repeated) {
        this.stats.requarantined += 1;
        return 'quarantined';
      }
      this.log.warn({ sourceId: mapped.sourceId, reason: mapped.reason }, 'portal record quarantined');
      this.stats.quarantined += 1;
      return 'quarantined';
    }
    // Namespaced by source: two portals on one channel key never take each other's ids for duplicates.
    const { complaint } = mapped;
    complaint.sourceId = sourceKey(this.portal, complaint.sourceId);
    if (complaint.threadId) complaint.threadId = sourceKey(this.portal, complaint.threadId);
    const result = await sink.submit(complaint, { channel: this.portal.channel, hint: complaint.sourceId });
    this.stats[result.status === 'quarantined' && result.repeated ? 'requarantined' : result.status] += 1;
    if (result.status === 'duplicate')
      this.log.debug({ sourceId: complaint.sourceId }, 'portal record already taken in');
    return result.status;
  }

  /** The mapped record; undefined when the poison guard set the record aside (quarantined with its bytes). */
  private async read(record: unknown): Promise<MappedRecord | undefined> {
    if (!this.poison) return mapRecord(record, this.portal.mapping, this.context);
    const raw = safeJson(record);
    const reading = await this.poison.read(
      {
        scope: `portal:${this.portal.name}`,
        channel: this.portal.channel,
        key: createHash('sha256').update(raw).digest('hex').slice(0, 32),
        origin: `${this.portal.name} record`,
        raw: () => raw,
      },
      () => mapRecord(record, this.portal.mapping, this.context),
    );
    return reading.kind === 'read' ? reading.value : undefined;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 1_000_000) ?? String(value);
  } catch {
    return String(value);
  }
}
