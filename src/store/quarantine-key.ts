import { createHash } from 'node:crypto';
import type { QuarantineRecord } from './store';

/**
 * What makes two quarantine records the same bad record: channel, source id (empty when the record
 * had none) and a hash of the payload. A changed record (fixed at the source, or broken differently)
 * is quarantined again.
 */
export function quarantineKey(record: Pick<QuarantineRecord, 'channel' | 'sourceId' | 'payload'>): string {
  const payloadHash = createHash('sha256').update(record.payload).digest('hex');
  const key = JSON.stringify([record.channel, record.sourceId ?? '', payloadHash]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
