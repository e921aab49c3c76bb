/**
 * NIK and KK numbers (16 digits) and phone numbers are personal data. These helpers mask them wherever
 * the full value is not needed (logs, team mail, `ticket show`, reports).
 *
 * People write a NIK as they please: sixteen digits in a row, 1211 0255 0690 0003, 1211.0255.0690.0003,
 * 121102 550690 0003, 12.11.02.550690.0003, or split over a line break. So free text is not matched
 * with one regular expression per spelling but scanned once: a *run* is digit groups joined by short
 * separators (spaces, dots, dashes, slashes, brackets, a plus, at most one line break); within a run,
 * consecutive groups holding exactly 16 digits are a NIK/KK, and groups that read as an Indonesian
 * phone number (+62 / 62 / 0 …, no slash or line break inside) are a phone number. One pass, a
 * bounded look-ahead per group: linear in the length of the text.
 */

const NIK_DIGITS = 16;
/** A separator between two digit groups is at most this many characters ("1211 - 0255", ") "). */
const MAX_JOINER = 3;
/** A NIK or phone number is never spread over more groups than this (2-2-2-6-4 is five). */
const MAX_GROUPS = 8;
/** What may stand between two digit groups of one number (with at most one line break). */
const SEPARATORS = new Set([' ', '\t', '.', '-', '/', '(', ')', '\u00a0']);

export interface MaskOptions {
  /** NIK/KK numbers: all digits but the last four. */
  identity: boolean;
  /** Phone numbers: all but the country code/prefix and the last three digits. */
  phone: boolean;
  /**
   * Logs, where masking too much costs nothing: digits glued to other digits (an URL-encoded "%20"
   * before a NIK) and any longer digit string are masked too, and JSON's escaped "\n" is a line break.
   */
  loose: boolean;
}

interface Group {
  start: number;
  end: number;
  /** The separator before this group (empty for the first of a run). */
  joiner: string;
}

/** Keeps the last four digits: 1211xxxxxxxx3456 → ************3456. */
export function maskNik(nik: string): string {
  const digits = nik.replace(/\D/g, '');
  if (digits.length <= 4) return '****';
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

/** Keeps the country code and the last three digits: +6281234567890 → +62*******890. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 5) return '***';
  const head = phone.trim().startsWith('+') ? '+' + digits.slice(0, 2) : digits.slice(0, 2);
  return head + '*'.repeat(digits.length - 5) + digits.slice(-3);
}

/** Masks every NIK/KK number inside free text, however written, keeping the last four digits; phones stay. */
export function maskIdentityNumbers(text: string): string {
  return maskPersonalData(text, { identity: true, phone: false, loose: false });
}

/** Masks every NIK/KK number and phone number inside free text (staff-facing printouts). */
export function maskAllPersonalData(text: string): string {
  return maskPersonalData(text, { identity: true, phone: true, loose: false });
}

/** Masks every NIK/KK-like number and phone number inside a log line. */
export function redactPersonalData(text: string): string {
  return maskPersonalData(text, { identity: true, phone: true, loose: true });
}

export function maskPersonalData(text: string, options: MaskOptions): string {
  const out: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const groups = readRun(text, i, options.loose);
    const runEnd = groups[groups.length - 1]!.end;
    // Digits glued to letters (A012, ADU-2026-000123, a hex id) are names, not numbers.
    const glued = !options.loose && gluedToWord(text, groups[0]!.start);
    for (let g = glued ? groups.length : 0; g < groups.length;) {
      const identity = options.identity ? identityAt(groups, g, options.loose) : undefined;
      const hit = identity ?? (options.phone ? phoneAt(text, groups, g) : undefined);
      if (!hit) {
        g++;
        continue;
      }
      const from = hit.from ?? groups[g]!.start;
      const to = groups[hit.last]!.end;
      out.push(text.slice(copied, from), hit.mask(text.slice(from, to)));
      copied = to;
      g = hit.last + 1;
    }
    i = runEnd;
  }
  if (copied === 0) return text;
  out.push(text.slice(copied));
  return out.join('');
}

interface Hit {
  last: number;
  from?: number;
  mask: (value: string) => string;
}

/** Groups g..k with exactly 16 digits (loose: also any group or window of more). */
function identityAt(groups: Group[], g: number, loose: boolean): Hit | undefined {
  let digits = 0;
  for (let k = g; k < groups.length && k < g + MAX_GROUPS; k++) {
    if (k > g && !joinsIdentity(groups[k]!.joiner)) return undefined;
    digits += groups[k]!.end - groups[k]!.start;
    if (digits === NIK_DIGITS) return { last: k, mask: maskNik };
    if (digits > NIK_DIGITS) return loose ? { last: k, mask: maskNik } : undefined;
  }
  return undefined;
}

/** The longest window from group g that reads as an Indonesian phone number. */
function phoneAt(text: string, groups: Group[], g: number): Hit | undefined {
  const first = text.slice(groups[g]!.start, groups[g]!.end);
  const plus = precededByPlus(text, groups[g]!.start);
  let digits = '';
  let best: Hit | undefined;
  for (let k = g; k < groups.length && k < g + MAX_GROUPS && digits.length <= 15; k++) {
    if (k > g && !joinsPhone(groups[k]!.joiner)) break;
    const group = text.slice(groups[k]!.start, groups[k]!.end);
    digits += group;
    if (isPhoneNumber(digits, first, plus, k - g + 1)) {
      best = { last: k, mask: maskPhone, ...(plus !== undefined ? { from: plus } : {}) };
    }
  }
  return best;
}

/**
 * +62 / 62 then a national number of 8–12 digits not starting with 0 or 1; or 0 then the same. A
 * leading 0 counts only as the start of the first group of 3–5 digits (021, 0627, 0812) or of a single
 * group of 9–13: "02-12-2026" is a date.
 */
function isPhoneNumber(digits: string, first: string, plus: number | undefined, groupCount: number): boolean {
  let national: string;
  if (digits.startsWith('62') && (plus !== undefined || first === '62' || first.startsWith('628'))) {
    national = digits.slice(2).replace(/^0/, '');
  } else if (digits.startsWith('0') && plus === undefined) {
    const singleGroup = groupCount === 1;
    if (!singleGroup && (first.length < 3 || first.length > 5)) return false;
    national = digits.slice(1);
  } else {
    return false;
  }
  if (national.length < 8 || national.length > 12) return false;
  const lead = national.charCodeAt(0) - 48;
  if (lead < 2) return false;
  // Mobile numbers (8xx) have at least 9 national digits; landlines 8 or more.
  return lead !== 8 || national.length >= 9;
}

/** The position of a "+" right before the group ("+62", "(+62"), if any. */
function precededByPlus(text: string, start: number): number | undefined {
  if (text[start - 1] === '+') return start - 1;
  return undefined;
}

function readRun(text: string, start: number, loose: boolean): Group[] {
  const groups: Group[] = [];
  let joiner = '';
  let i = start;
  for (;;) {
    const groupStart = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    groups.push({ start: groupStart, end: i, joiner });
    const next = readJoiner(text, i, loose);
    if (next === undefined) return groups;
    joiner = text.slice(i, next);
    i = next;
  }
}

/** Where the next digit group starts, if a short separator leads to one. */
function readJoiner(text: string, at: number, loose: boolean): number | undefined {
  let i = at;
  let length = 0;
  let breaks = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isDigit(text.charCodeAt(i))) return length > 0 ? i : undefined;
    if (c === '\r' && text[i + 1] === '\n') {
      i += 2;
      breaks++;
    } else if (c === '\n') {
      i++;
      breaks++;
    } else if (loose && c === '\\' && (text[i + 1] === 'n' || text[i + 1] === 'r' || text[i + 1] === 't')) {
      if (text[i + 1] === 'n') breaks++;
      i += 2;
    } else if (SEPARATORS.has(c)) {
      i++;
    } else {
      return undefined;
    }
    length++;
    if (breaks > 1 || length > MAX_JOINER) return undefined;
  }
  return undefined;
}

function joinsIdentity(joiner: string): boolean {
  return !joiner.includes('(') && !joiner.includes(')');
}

function joinsPhone(joiner: string): boolean {
  return !/[/\n]|\\n/.test(joiner);
}

function gluedToWord(text: string, start: number): boolean {
  const before = text.charCodeAt(start - 1);
  if (isLetter(before)) return true;
  const sep = text[start - 1];
  return (sep === '-' || sep === '.' || sep === '/') && isLetter(text.charCodeAt(start - 2));
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** First 16-digit number preceded by NIK or KK wording, used to fill the complainant record. */
export function extractIdentityNumbers(text: string): { nik?: string; kk?: string } {
  const found: { nik?: string; kk?: string } = {};
  const pattern = /\b(nik|no\.?\s*kk|nomor\s*kk|kk|no\.?\s*ktp|ktp)\b[^\d]{0,20}(\d{16})(?!\d)/gi;
  for (const match of text.matchAll(pattern)) {
    const label = (match[1] ?? '').toLowerCase();
    const value = match[2] ?? '';
    if (label.includes('kk')) found.kk ??= value;
    else found.nik ??= value;
  }
  return found;
}
