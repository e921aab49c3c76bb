import { createHash } from 'node:crypto';
import type { ComplaintInputDraft } from '../../domain/complaint';
import { normalizePhone } from '../../domain/phone';
import { sanitizeLine, sanitizeText } from '../../domain/text-sanitizer';

/**
 * Offline complaints typed in by staff: a walk-in at the counter (with its queue number) and slips
 * from the suggestion box. Pure: the clock and the office date are passed in.
 */

export interface WalkInForm {
  queue?: string;
  name?: string;
  phone?: string;
  email?: string;
  nik?: string;
  text: string;
}

export type Normalized = { ok: true; complaint: ComplaintInputDraft } | { ok: false; reason: string };

/** Queue numbers restart every day, so the office date is part of the identity of a walk-in. */
export function walkInComplaint(form: WalkInForm, receivedAt: string, officeDate: string): Normalized {
  const phone = form.phone ? normalizePhone(form.phone) : undefined;
  if (form.phone && !phone) return { ok: false, reason: `nomor telepon "${form.phone}" tidak valid` };
  const queue = form.queue?.trim().toUpperCase();
  if (queue && !/^[A-Z]{0,3}\d{1,4}$/.test(queue)) return { ok: false, reason: `nomor antrian "${form.queue}" tidak valid (contoh: A012)` };
  const sourceId = queue ? `walk-in:${officeDate}:${queue}` : `walk-in:${officeDate}:${digest(form.text, form.name ?? '', form.phone ?? '')}`;
  return {
    ok: true,
    complaint: {
      channel: 'walk-in',
      sourceId,
      receivedAt,
      complainant: compact({ name: sanitizeLine(form.name ?? ''), phone, email: form.email?.trim(), nik: form.nik?.replace(/\D/g, '') || undefined }),
      text: sanitizeText(form.text).trim(),
      ...(queue ? { queueNumber: queue } : {}),
    },
  };
}

export interface SuggestionSlip {
  /** The number written or stamped on the slip, when there is one. */
  slip?: string;
  /** When the box was opened or the slip dated (YYYY-MM-DD or ISO time); defaults to now. */
  date?: string;
  name?: string;
  phone?: string;
  text: string;
}

/** One line of a slips file: a JSON object with at least `text`. */
export function slipComplaint(line: string, lineNo: number, now: string): Normalized {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `baris ${lineNo}: bukan JSON yang sah (${(error as Error).message})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: `baris ${lineNo}: kolom "text" (isi pengaduan) wajib diisi` };
  const fields = raw as Record<string, unknown>;
  // Typed-in values are text (a number is taken as its digits); anything else is a mistake to report,
  // not to turn into "[object Object]" (two such slips would share one slip number and one be lost).
  const slip: Partial<SuggestionSlip> = {};
  for (const key of ['slip', 'date', 'name', 'phone', 'text'] as const) {
    const value = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number') return { ok: false, reason: `baris ${lineNo}: kolom "${key}" harus berupa teks` };
    slip[key] = String(value);
  }
  if (slip.text === undefined || sanitizeText(slip.text).trim() === '') {
    return { ok: false, reason: `baris ${lineNo}: kolom "text" (isi pengaduan) wajib diisi` };
  }
  const phone = slip.phone ? normalizePhone(slip.phone) : undefined;
  if (slip.phone && !phone) return { ok: false, reason: `baris ${lineNo}: nomor telepon "${slip.phone}" tidak valid` };
  const receivedAt = slip.date ? toOfficeTime(slip.date) : now;
  if (!receivedAt) return { ok: false, reason: `baris ${lineNo}: tanggal "${slip.date}" tidak dikenali (pakai YYYY-MM-DD)` };
  // A blank slip number is no number: every blank-numbered slip would otherwise be "slip:", one ticket.
  const number = slip.slip?.trim();
  const sourceId = number ? `slip:${number}` : `slip:${digest(slip.text, slip.date ?? '', slip.name ?? '')}`;
  return {
    ok: true,
    complaint: {
      channel: 'suggestion-box',
      sourceId,
      receivedAt,
      complainant: compact({ name: sanitizeLine(slip.name ?? ''), phone }),
      text: sanitizeText(slip.text).trim(),
    },
  };
}

/** A date alone means the office opened the box that day: 08:00 WIB. */
function toOfficeTime(value: string): string | undefined {
  const withTime = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T08:00:00+07:00` : value;
  const time = Date.parse(withTime);
  if (Number.isNaN(time)) return undefined;
  const year = new Date(time).getUTCFullYear();
  return year >= 2000 && year <= 2100 ? new Date(time).toISOString() : undefined;
}

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
