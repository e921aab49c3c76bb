import { createHash } from 'node:crypto';
import { validateComplaint, type ComplaintInput } from '../../domain/complaint';
import { isMobilePhone, normalizePhone } from '../../domain/phone';
import { parseOfficeTime, type DateOrder } from '../shared/local-time';
import { sanitizeLine, sanitizeText } from '../../domain/text-sanitizer';
import type { CallValues, ColumnLabels } from './columns';

export interface CallContext {
  timeZone: string;
  dateOrder: DateOrder;
  /** File name and row (Excel row number: the header is row 1), kept on the ticket. */
  file: string;
  row: number;
  /** channels.callCenter.whatsappInitialResponse: a consenting caller on a mobile number is answered on WhatsApp. */
  whatsappOptIn?: boolean;
}

export type NormalizedCall =
  | { kind: 'complaint'; complaint: ComplaintInput }
  /** A row with nothing in any configured column (Excel writes `;;;;` for a blank row). */
  | { kind: 'blank' }
  | { kind: 'bad'; reason: string };

/**
 * Turns one call-log entry into the complaint record. The sourceId is a hash of what the entry
 * says (time, caller, agent, line, notes, NIK, name), so it is the same across restarts, renames,
 * rotation and re-exports of the same log; the file and row are kept in meta for people.
 */
export function normalizeCall(values: CallValues, labels: ColumnLabels, context: CallContext): NormalizedCall {
  const text = (key: keyof CallValues): string => {
    const value = values[key];
    if (value === undefined || value === null) return '';
    return (
      typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value)
    ).trim();
  };
  const label = (key: keyof CallValues) => labels[key] ?? key;
  if (Object.values(values).every((v) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')))
    return { kind: 'blank' };

  for (const key of ['time', 'notes'] as const) {
    if (values[key] === undefined) return { kind: 'bad', reason: `${label(key)} (${key}) is missing from the row` };
  }
  const time = parseOfficeTime(typeof values.time === 'number' ? values.time : text('time'), context);
  if (!time.ok) return { kind: 'bad', reason: `${label('time')} (time): ${time.reason}` };
  const notes = text('notes');
  if (sanitizeText(notes) === '') return { kind: 'bad', reason: `${label('notes')} (notes) is empty` };

  const warnings: string[] = [];
  const complainant: Record<string, string> = {};
  const rawCaller = text('caller');
  const phone = normalizePhone(rawCaller);
  if (phone) complainant.phone = phone;
  else if (rawCaller) warnings.push(`nomor penelepon "${rawCaller.slice(0, 40)}" tidak dikenali`);
  else warnings.push('nomor penelepon tidak tercatat');
  const nik = text('nik').replace(/[\s.-]/g, '');
  if (/^\d{16}$/.test(nik)) complainant.nik = nik;
  else if (nik) warnings.push('NIK bukan 16 digit, diabaikan');
  const name = text('name');
  if (sanitizeLine(name)) complainant.name = sanitizeLine(name, 200);

  const agent = text('agent');
  const line = text('line');
  const meta: Record<string, string> = { file: context.file, row: String(context.row) };
  if (sanitizeLine(agent)) meta.agent = sanitizeLine(agent, 2000);
  if (sanitizeLine(line)) meta.line = sanitizeLine(line, 2000);
  if (warnings.length) meta.mappingWarnings = warnings.join('; ');
  // Consent is not part of the source id: the same call logged again with it filled in stays one ticket.
  if (context.whatsappOptIn && phone && isMobilePhone(phone) && CONSENT.has(text('waConsent').toLowerCase()))
    meta.waOptIn = 'ya';

  const sourceId = `cc-${contentHash([time.iso, phone ?? rawCaller, agent, line, notes.replace(/\s+/g, ' '), nik, name])}`;
  const validated = validateComplaint({
    channel: 'call-center',
    sourceId,
    receivedAt: time.iso,
    complainant,
    text: sanitizeText(notes),
    meta,
  });
  if (!validated.ok) return { kind: 'bad', reason: validated.reason };
  return { kind: 'complaint', complaint: validated.complaint };
}

/** How agents and phone systems write "the caller agreed" in the consent column. */
const CONSENT = new Set(['ya', 'y', 'yes', 'true', '1', 'setuju', 'bersedia', 'x', '✓', '✔']);

function contentHash(parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24);
}
