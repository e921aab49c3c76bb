import type { LaporReport } from '../../domain/lapor-report';
import { laporFlag, parseTrackingId } from '../../domain/lapor-report';
import { parseOfficeTime } from '../shared/local-time';
import type { LaporRules } from './config-schema';

/**
 * Reading a LAPOR! notification mail (pure). Everything is line-based and anchored at the start of a
 * line (a label, then `:`), with no regular expression over the whole body, so hostile text costs linear
 * time. Recognizing a notification (sender and subject) is separate from trusting it: the processor
 * accepts one only when the From domain passed authentication.
 */

export interface NotificationMail {
  /** The From address, lower case. */
  sender: string | undefined;
  subject: string | undefined;
  text: string;
}

/** Sender and subject look like a LAPOR! notification (says nothing about whether it is genuine). */
export function looksLikeNotification(mail: Pick<NotificationMail, 'sender' | 'subject'>, rules: LaporRules): boolean {
  return senderMatches(mail.sender, rules.senders) && subjectMatches(mail.subject, rules.subjectContains);
}

export function senderMatches(sender: string | undefined, patterns: readonly string[]): boolean {
  if (!sender) return false;
  const address = sender.toLowerCase();
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    return pattern.startsWith('@') ? address.endsWith(pattern) : address === pattern;
  });
}

function subjectMatches(subject: string | undefined, needles: readonly string[]): boolean {
  const lower = (subject ?? '').toLowerCase();
  return needles.some((n) => lower.includes(n.toLowerCase()));
}

export type ReadNotification = { ok: true; report: LaporReport } | { ok: false; reason: string };

/** Lines read at most: a notification is short; the rest of a huge body is not looked at. */
const MAX_LINES = 2_000;
const MAX_TEXT = 100_000;

export function readNotification(mail: NotificationMail, rules: LaporRules, timeZone: string): ReadNotification {
  const lines = firstLines(mail.text, MAX_LINES);
  const fields = new Map<keyof LaporRules, string>();
  const textLines: string[] = [];
  let inText = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (inText) {
      if (startsWithLabel(line, rules.textEnd) !== undefined) {
        inText = false;
      } else {
        textLines.push(raw.trimEnd());
        continue;
      }
    }
    const start = valueAfter(line, rules.textStart);
    if (start !== undefined) {
      inText = true;
      if (start) textLines.push(start);
      continue;
    }
    for (const key of FIELD_KEYS) {
      if (fields.has(key)) continue;
      const value = valueAfter(line, rules[key]);
      if (value) fields.set(key, value);
    }
  }
  const trackingRaw = fields.get('trackingId') ?? hashNumber(mail.subject ?? '');
  const trackingId = trackingRaw ? parseTrackingId(trackingRaw) : undefined;
  if (!trackingId) return { ok: false, reason: 'Tracking ID tidak ditemukan dalam notifikasi LAPOR!' };
  const text = textLines.join('\n').trim().slice(0, MAX_TEXT);
  if (!text) return { ok: false, reason: `isi laporan #${trackingId} tidak ditemukan dalam notifikasi LAPOR!` };

  const times: Partial<Record<'submittedAt' | 'forwardedAt' | 'disposedAt', string>> = {};
  for (const key of ['submittedAt', 'forwardedAt', 'disposedAt'] as const) {
    const value = fields.get(key);
    if (!value) continue;
    const parsed = parseOfficeTime(value, { timeZone, dateOrder: 'dmy' });
    if (!parsed.ok) return { ok: false, reason: `${key} "${value.slice(0, 40)}" tidak terbaca: ${parsed.reason}` };
    times[key] = parsed.iso;
  }
  const name = fields.get('reporterName');
  return {
    ok: true,
    report: {
      trackingId,
      text,
      subject: fields.get('subject'),
      ...times,
      ...(name ? { reporter: { name } } : {}),
      rahasia: laporFlag(fields.get('rahasia')),
      anonim: laporFlag(fields.get('anonim')),
      slug: reportSlug(lines),
      entry: 'mail',
    },
  };
}

const FIELD_KEYS = [
  'trackingId',
  'subject',
  'submittedAt',
  'forwardedAt',
  'disposedAt',
  'reporterName',
  'rahasia',
  'anonim',
] as const satisfies ReadonlyArray<keyof LaporRules>;

function firstLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let from = 0;
  while (lines.length < max && from <= text.length) {
    const end = text.indexOf('\n', from);
    lines.push(text.slice(from, end < 0 ? text.length : end).replace(/\r$/, ''));
    if (end < 0) break;
    from = end + 1;
  }
  return lines;
}

/** The label the line starts with (letter case ignored), followed by `:`, white space or the end. */
function startsWithLabel(line: string, labelsToTry: readonly string[]): string | undefined {
  const lower = line.toLowerCase();
  for (const label of labelsToTry) {
    const l = label.toLowerCase();
    if (!lower.startsWith(l)) continue;
    const next = line.charAt(l.length);
    if (next === '' || next === ':' || next === ' ' || next === '\t') return label;
  }
  return undefined;
}

/** `Label: value` → `value` (`''` for a bare label); undefined when the line has none of the labels. */
function valueAfter(line: string, labelsToTry: readonly string[]): string | undefined {
  const label = startsWithLabel(line, labelsToTry);
  if (label === undefined) return undefined;
  const rest = line.slice(label.length).trimStart();
  if (rest.startsWith(':')) return rest.slice(1).trim();
  // A bare label, or the label followed by words without a colon (a sentence that starts like one): not a field.
  return rest === '' ? '' : undefined;
}

/** The first `#` followed by digits (a Tracking ID in the subject). */
function hashNumber(subject: string): string | undefined {
  for (let i = subject.indexOf('#'); i >= 0; i = subject.indexOf('#', i + 1)) {
    let end = i + 1;
    while (end < subject.length && end - i <= 33 && subject.charCodeAt(end) >= 48 && subject.charCodeAt(end) <= 57)
      end++;
    if (end - i > 4) return subject.slice(i + 1, end);
  }
  return undefined;
}

const DETAIL = 'lapor.go.id/laporan/detil/';

/** The slug of the first link to a report page (`…/laporan/detil/<slug>`). */
function reportSlug(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const at = line.indexOf(DETAIL);
    if (at < 0) continue;
    let end = at + DETAIL.length;
    while (end < line.length && end - at < 250 && /[0-9A-Za-z-]/.test(line.charAt(end))) end++;
    const slug = line.slice(at + DETAIL.length, end);
    if (slug) return slug;
  }
  return undefined;
}
