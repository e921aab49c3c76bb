import type { FedComplaint } from './complaints';

/**
 * Looks for personal data in log output: every NIK, KK and phone number that was fed (whatever
 * separators the log put between its digits, whatever prefix the phone got: +62, 62 or 0), and any
 * NIK-like 16-digit number or full Indonesian mobile number at all.
 */
export interface PiiFinding {
  kind: 'fed-nik' | 'fed-kk' | 'fed-phone' | 'nik-like' | 'phone-like';
  /** The matched text, masked here too, plus a little context around it (masked), to find it. */
  excerpt: string;
}

// Digits with at most one separator (space, dot, hyphen) between any two.
const DIGIT_RUN = /\d(?:[ .-]?\d)*/g;
// 16 digits bounded by non-word characters: plain, or four groups of four with one separator kind.
const NIK_LIKE = /(?<![\w.-])(?:\d{16}|\d{4}([ .-])\d{4}\1\d{4}\1\d{4})(?![\w]|[.-]\d)/g;
// Full mobile numbers: +62/62/0 then 8 and 8 to 11 more digits, optionally grouped.
const PHONE_LIKE = /(?<![\w+])(?:\+62[ .-]?|62|0)8\d{2}[ .-]?\d{3,4}[ .-]?\d{3,5}(?!\w)/g;

export function scanForPersonalData(log: string, fed: readonly FedComplaint[]): PiiFinding[] {
  const niks = new Map<string, 'fed-nik' | 'fed-kk'>();
  const phones = new Set<string>();
  for (const c of fed) {
    niks.set(c.nik, 'fed-nik');
    if (c.text.includes('KK')) niks.set(c.kk, 'fed-kk');
    phones.add(c.phone.slice(3)); // national significant number, 8…
  }
  const findings: PiiFinding[] = [];
  const excerpt = (at: number, length: number) => mask(log.slice(Math.max(0, at - 60), at + length + 60));

  for (const match of log.matchAll(DIGIT_RUN)) {
    const run = match[0].replace(/[ .-]/g, '');
    if (run.length < 9) continue;
    let hit: PiiFinding['kind'] | undefined;
    for (let i = 0; !hit && i + 16 <= run.length; i++) hit = niks.get(run.slice(i, i + 16));
    for (let len = 9; !hit && len <= 12; len++) {
      for (let i = 0; !hit && i + len <= run.length; i++)
        if (phones.has(run.slice(i, i + len)) && run[i] === '8') hit = 'fed-phone';
    }
    if (hit) findings.push({ kind: hit, excerpt: excerpt(match.index!, match[0].length) });
  }
  for (const match of log.matchAll(NIK_LIKE))
    findings.push({ kind: 'nik-like', excerpt: excerpt(match.index!, match[0].length) });
  for (const match of log.matchAll(PHONE_LIKE))
    findings.push({ kind: 'phone-like', excerpt: excerpt(match.index!, match[0].length) });
  return findings;
}

/** Reports must not repeat what they found: digits beyond the last three become *. */
function mask(text: string): string {
  return text
    .replace(/\d(?:[ .-]?\d){7,}/g, (m) => m.slice(0, -3).replace(/\d/g, '*') + m.slice(-3))
    .replace(/\s+/g, ' ');
}
