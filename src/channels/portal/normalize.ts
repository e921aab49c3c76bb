import type { ChannelKey } from '../../domain/channels';
import { complainantSchema, validateComplaint, type ComplaintInput } from '../../domain/complaint';
import { normalizePhone } from '../../domain/phone';
import { sanitizeLine, sanitizeText } from '../../domain/text-sanitizer';
import type { RecordMapping } from './config-schema';
import { readPath } from '../shared/dot-path';
import { asLaporRecord } from './lapor-record';
import { parseOfficeTime, type DateOrder } from '../shared/local-time';

export interface MappingContext {
  channel: ChannelKey;
  timeZone: string;
  dateOrder: DateOrder;
  /** The source's name (`channels.http[].name`), kept on LAPOR! reports as their entry path. */
  source?: string;
  /** The service's time (a LAPOR! record without a disposition or forwarding date arrived now); default the system's. */
  now?: () => Date;
}

export type MappedRecord =
  | { ok: true; complaint: ComplaintInput; warnings: string[] }
  /** The reason names the complaint field and the source path (schema drift is visible at a glance). */
  | { ok: false; reason: string; sourceId?: string };

const MAX_META_VALUE = 2000;

/**
 * Maps one source record onto the complaint record with the configured dot paths. Missing required
 * fields (sourceId, receivedAt, text) reject the record with a reason; unusable contact fields (a
 * malformed e-mail or phone, a NIK that is not 16 digits) are left out with a note on the ticket, so
 * the complaint itself is not lost.
 */
export function mapRecord(record: unknown, mapping: RecordMapping, context: MappingContext): MappedRecord {
  if (record === null || typeof record !== 'object' || Array.isArray(record))
    return { ok: false, reason: `record is ${describe(record)}, not an object` };
  const field = (name: keyof RecordMapping & string, path: string) => `mapping ${name} ← "${path}"`;

  const rawId = readPath(record, mapping.sourceId);
  const sourceId = scalarText(rawId)?.trim();
  if (!sourceId)
    return {
      ok: false,
      reason: `${field('sourceId', mapping.sourceId)}: ${rawId === undefined ? 'missing in the record' : `is ${describe(rawId)}`}`,
    };
  const reject = (reason: string): MappedRecord => ({ ok: false, reason, sourceId });

  const rawTime = readPath(record, mapping.receivedAt);
  if (rawTime === undefined) return reject(`${field('receivedAt', mapping.receivedAt)}: missing in the record`);
  const time = parseOfficeTime(rawTime, context);
  if (!time.ok) return reject(`${field('receivedAt', mapping.receivedAt)}: ${time.reason}`);

  // Where the source keeps it apart: when the record reached the office (a first read's age counts from it).
  let arrivedAt: string | undefined;
  if (mapping.arrivedAt) {
    const rawArrival = readPath(record, mapping.arrivedAt);
    if (rawArrival !== undefined && rawArrival !== null && rawArrival !== '') {
      const arrival = parseOfficeTime(rawArrival, context);
      if (!arrival.ok) return reject(`${field('arrivedAt', mapping.arrivedAt)}: ${arrival.reason}`);
      arrivedAt = arrival.iso;
    }
  }

  const rawText = readPath(record, mapping.text);
  if (rawText === undefined) return reject(`${field('text', mapping.text)}: missing in the record`);
  const text = rawText === null ? '' : scalarText(rawText);
  if (text === undefined) return reject(`${field('text', mapping.text)}: is ${describe(rawText)}, not text`);

  const warnings: string[] = [];
  const optional = (
    name: 'subject' | 'name' | 'phone' | 'email' | 'nik' | 'kk' | 'threadId' | 'replyTo',
  ): string | undefined => {
    const path = mapping[name];
    if (!path) return undefined;
    const value = readPath(record, path);
    if (value === undefined || value === null) return undefined;
    const asText = scalarText(value)?.trim();
    if (asText === undefined) warnings.push(`${name} ("${path}") bukan teks, diabaikan`);
    return asText || undefined;
  };

  const complainant: Record<string, string> = {};
  const name = optional('name');
  if (name && sanitizeLine(name)) complainant.name = sanitizeLine(name, 200);
  const rawPhone = optional('phone');
  if (rawPhone) {
    const phone = normalizePhone(rawPhone);
    if (phone) complainant.phone = phone;
    else warnings.push('nomor telepon pelapor tidak dikenali, diabaikan');
  }
  const email = optional('email');
  if (email) {
    if (complainantSchema.shape.email.safeParse(email).success) complainant.email = email;
    else warnings.push('alamat email pelapor tidak valid, diabaikan');
  }
  for (const key of ['nik', 'kk'] as const) {
    const raw = optional(key);
    if (!raw) continue;
    const digits = raw.replace(/[\s.-]/g, '');
    if (/^\d{16}$/.test(digits)) complainant[key] = digits;
    else warnings.push(`${key.toUpperCase()} bukan 16 digit, diabaikan`);
  }
  complainant.platformUserId = (optional('replyTo') ?? sourceId).slice(0, 200);

  const meta: Record<string, string> = {};
  for (const [key, path] of Object.entries(mapping.meta)) {
    const value = readPath(record, path);
    if (value === undefined || value === null) continue;
    meta[key] = (scalarText(value) ?? JSON.stringify(value)).slice(0, MAX_META_VALUE);
  }

  const subject = optional('subject');
  const threadId = optional('threadId');
  const draft = {
    channel: context.channel,
    sourceId,
    receivedAt: time.iso,
    ...(arrivedAt ? { arrivedAt } : {}),
    complainant,
    text: sanitizeText(text),
    ...(subject && sanitizeLine(subject) ? { subject: sanitizeLine(subject, 1000) } : {}),
    ...(threadId ? { threadId } : {}),
    meta: warnings.length ? { ...meta, mappingWarnings: warnings.join('; ').slice(0, MAX_META_VALUE) } : meta,
  };
  const validated = validateComplaint(draft);
  if (!validated.ok)
    return reject(`mapped record does not fit the complaint: ${explainPaths(validated.reason, mapping)}`);
  if (context.channel === 'lapor') {
    const lapor = asLaporRecord(validated.complaint, { ...context, source: context.source ?? 'http' });
    return lapor.ok ? { ok: true, complaint: lapor.complaint, warnings } : reject(`LAPOR! record: ${lapor.reason}`);
  }
  return { ok: true, complaint: validated.complaint, warnings };
}

/** Adds the source path to complaint field names in a validation reason: `text (mapping "isi"): …`. */
function explainPaths(reason: string, mapping: RecordMapping): string {
  const sources: Record<string, string | undefined> = {
    sourceId: mapping.sourceId,
    receivedAt: mapping.receivedAt,
    arrivedAt: mapping.arrivedAt,
    text: mapping.text,
    subject: mapping.subject,
    threadId: mapping.threadId,
    'complainant.name': mapping.name,
    'complainant.platformUserId': mapping.replyTo ?? mapping.sourceId,
  };
  return reason
    .split('; ')
    .map((part) => {
      const fieldName = part.slice(0, part.indexOf(':'));
      const source = sources[fieldName];
      return source ? `${fieldName} (mapping "${source}")${part.slice(fieldName.length)}` : part;
    })
    .join('; ');
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'empty';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
