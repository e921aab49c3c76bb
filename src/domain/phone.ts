/**
 * Normalizes Indonesian phone numbers to E.164 (+62…). Citizens write 0812-…, 62812…, +62 812 …,
 * or (0627) 21xxx for landlines. Returns undefined when the input cannot be a phone number.
 */
export function normalizePhone(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const digits = raw.replace(/[^\d+]/g, '');
  let national: string;
  if (digits.startsWith('+62')) national = digits.slice(3);
  else if (digits.startsWith('+')) return /^\+\d{8,15}$/.test(digits) ? digits : undefined;
  else if (digits.startsWith('62')) national = digits.slice(2);
  else if (digits.startsWith('0')) national = digits.slice(1);
  else national = digits;
  national = national.replace(/^0+/, '');
  if (!/^\d{7,13}$/.test(national)) return undefined;
  return `+62${national}`;
}
