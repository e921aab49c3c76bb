import { createHash } from 'node:crypto';
import type { ComplaintInputDraft } from '../../domain/complaint';
import { normalizePhone } from '../../domain/phone';
import { sanitizeLine, sanitizeText } from '../../domain/text-sanitizer';
import { formatInZone } from '../shared/local-time';
import { parseEntryDate, type EntryDate } from './entry-date';

/**
 * Offline complaints typed in by staff: a walk-in at the counter and slips from the suggestion box.
 * Their identity is what is written on paper, so two different complaints can never share one:
 * a walk-in is (office date, queue number), a slip is (box, date received, slip number). The
 * content hash in meta lets `aduan intake` tell "the same entry typed again" from "another
 * complaint under a key already used". Pure: the clock and the zone are passed in.
 */

export interface OfflineContext {
  timeZone: string;
  now: Date;
}

export interface WalkInForm {
  queue?: string;
  /** The day (and time) of the visit when typed in later from the counter's log; default: now. */
  date?: string;
  name?: string;
  phone?: string;
  email?: string;
  nik?: string;
  text: string;
}

export interface SuggestionSlip {
  /** Which box (the office has more than one); default `utama`. */
  box?: string;
  /** The day the box was opened and the slip taken out (day first: 04/12/2026); default: today. */
  date?: string;
  /** The number written or stamped on the slip, when there is one. */
  slip?: string;
  name?: string;
  phone?: string;
  text: string;
}

export type Normalized = { ok: true; complaint: ComplaintInputDraft } | { ok: false; reason: string };

export const WALK_IN_FIELDS = ['date', 'queue', 'name', 'phone', 'email', 'nik', 'text'] as const;
export const SLIP_FIELDS = ['box', 'date', 'slip', 'name', 'phone', 'text'] as const;
export const DEFAULT_BOX = 'utama';

export function walkInComplaint(form: WalkInForm, context: OfflineContext): Normalized {
  const phone = form.phone ? normalizePhone(form.phone) : undefined;
  if (form.phone && !phone) return { ok: false, reason: `nomor telepon "${form.phone}" tidak valid` };
  const queue = form.queue?.trim().toUpperCase();
  if (queue && !/^[A-Z]{0,3}\d{1,4}$/.test(queue)) {
    return { ok: false, reason: `nomor antrian "${form.queue}" tidak valid (contoh: A012)` };
  }
  const when = entryTime(form.date, context);
  if (!when.ok) return when;
  const nik = form.nik?.replace(/\D/g, '') || undefined;
  const complainant = compact({ name: sanitizeLine(form.name ?? ''), phone, email: form.email?.trim(), nik });
  const text = sanitizeText(form.text).trim();
  const entryHash = contentHash(text, complainant);
  // Queue numbers restart every day, so the date is part of the identity of a walk-in.
  const sourceId = `walk-in:${when.day}:${queue ?? entryHash}`;
  return {
    ok: true,
    complaint: {
      channel: 'walk-in',
      sourceId,
      receivedAt: when.iso,
      complainant,
      text,
      meta: { entryHash },
      ...(queue ? { queueNumber: queue } : {}),
    },
  };
}

export function slipComplaint(slip: SuggestionSlip, context: OfflineContext): Normalized {
  const phone = slip.phone ? normalizePhone(slip.phone) : undefined;
  if (slip.phone && !phone) return { ok: false, reason: `nomor telepon "${slip.phone}" tidak valid` };
  const box = (slip.box?.trim() || DEFAULT_BOX).toLowerCase().replace(/\s+/g, '-');
  if (!/^[\p{L}\p{N}._-]{1,40}$/u.test(box)) {
    return { ok: false, reason: `kotak saran "${slip.box}" tidak valid (contoh: utama, mpp)` };
  }
  const when = entryTime(slip.date, context);
  if (!when.ok) return when;
  const complainant = compact({ name: sanitizeLine(slip.name ?? ''), phone });
  const text = sanitizeText(slip.text).trim();
  const entryHash = contentHash(text, complainant);
  // A blank slip number is no number: every blank-numbered slip would otherwise be one ticket.
  const number = slip.slip?.trim();
  const sourceId = `slip:${box}:${when.day}:${number || entryHash}`;
  const meta = { entryHash, box };
  return {
    ok: true,
    complaint: { channel: 'suggestion-box', sourceId, receivedAt: when.iso, complainant, text, meta },
  };
}

/** One line of a walk-ins file (`{date, queue, name, phone, email, nik, text}`). */
export function walkInLine(line: string, lineNo: number, context: OfflineContext): Normalized {
  const fields = lineFields(line, lineNo, WALK_IN_FIELDS);
  if (!fields.ok) return fields;
  return withLine(walkInComplaint(fields.values as unknown as WalkInForm, context), lineNo);
}

/** One line of a slips file (`{box, date, slip, name, phone, text}`). */
export function slipLine(line: string, lineNo: number, context: OfflineContext): Normalized {
  const fields = lineFields(line, lineNo, SLIP_FIELDS);
  if (!fields.ok) return fields;
  return withLine(slipComplaint(fields.values as unknown as SuggestionSlip, context), lineNo);
}

/**
 * A JSON object whose fields are all known and all text (a number is taken as its digits): an
 * unknown field is a typing mistake (`nama` for `name`) that would otherwise lose what it holds.
 */
type LineFields = { ok: true; values: Record<string, string> } | { ok: false; reason: string };

function lineFields(line: string, lineNo: number, known: readonly string[]): LineFields {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `baris ${lineNo}: bukan JSON yang sah (${(error as Error).message})` };
  }
  const noText = { ok: false as const, reason: `baris ${lineNo}: kolom "text" (isi pengaduan) wajib diisi` };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return noText;
  const record = raw as Record<string, unknown>;
  const text = Object.prototype.hasOwnProperty.call(record, 'text') ? record.text : undefined;
  if ((typeof text !== 'string' && typeof text !== 'number') || sanitizeText(String(text)).trim() === '') return noText;
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length) {
    const names = unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ');
    return { ok: false, reason: `baris ${lineNo}: kolom ${names} tidak dikenal (yang dikenal: ${known.join(', ')})` };
  }
  const values: Record<string, string> = {};
  for (const key of known) {
    const value = Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number') {
      return { ok: false, reason: `baris ${lineNo}: kolom "${key}" harus berupa teks` };
    }
    values[key] = String(value);
  }
  return { ok: true, values };
}

function withLine(result: Normalized, lineNo: number): Normalized {
  if (result.ok || result.reason.startsWith('baris ')) return result;
  return { ok: false, reason: `baris ${lineNo}: ${result.reason}` };
}

function entryTime(date: string | undefined, context: OfflineContext): EntryDate {
  if (date === undefined || date.trim() === '') {
    const iso = formatInZone(context.now.getTime(), context.timeZone);
    return { ok: true, iso, day: iso.slice(0, 10) };
  }
  return parseEntryDate(date, context);
}

/** What the citizen said and who they are: the same entry typed twice has the same hash. */
function contentHash(text: string, complainant: Record<string, string | undefined>): string {
  const who = ['name', 'phone', 'email', 'nik'].map((k) => complainant[k] ?? '');
  return createHash('sha256')
    .update([text.replace(/\s+/g, ' '), ...who].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
