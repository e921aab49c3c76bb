/**
 * NIK and KK numbers (16 digits) and phone numbers are personal data. These helpers mask them wherever
 * the full value is not needed (logs, team mail, reports).
 */

const SIXTEEN_DIGITS = /(?<!\d)\d{16}(?!\d)/g;
// For logs, where masking too much costs nothing: 16 digits in groups of four (3201 2345 6789 0001),
// even glued to other digits (an URL-encoded "%20" before it).
const SIXTEEN_DIGITS_LOOSE = /\d{4}[\s.-]?\d{4}[\s.-]?\d{4}[\s.-]?\d{4}/g;
// Landlines and area codes in brackets: 021-5551234, +62 21 5551234, (0812) 3456-7890, (0627) 21234.
const PHONE_LOOSE = /(?<![\d+])(?:(?:\+62|62|0)[\s.-]?\(?\d{2,4}\)?|\(0\d{2,4}\))[\s.-]?\d{3,4}[\s.-]?\d{2,5}(?!\d)/g;
// Indonesian mobile and landline numbers as people write them: +62 812-3456-7890, 0812 3456 7890, 628123456789.
const PHONE_LIKE = /(?<![\d+])(?:\+62|62|0)[\s.-]?8\d{1,3}(?:[\s.-]?\d{2,5}){2,4}(?!\d)|(?<![\d+])(?:\+62|62)\d{8,13}(?!\d)/g;

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

/** Masks every NIK/KK-like (16-digit) number inside free text, keeping the last four digits. */
export function maskIdentityNumbers(text: string): string {
  return text.replace(SIXTEEN_DIGITS, (m) => maskNik(m));
}

/** Masks every NIK/KK-like number and phone number inside free text (log lines). */
export function redactPersonalData(text: string): string {
  return text
    .replace(SIXTEEN_DIGITS_LOOSE, (m) => maskNik(m))
    .replace(PHONE_LIKE, (m) => maskPhone(m))
    .replace(PHONE_LOOSE, (m) => maskPhone(m));
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
