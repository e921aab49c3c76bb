import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Phone numbers of every channel in one form, E.164 (+62…), so `0812-…` from a call log, `62812…` from
 * the portal, `+62 812 …` from an email signature and a WhatsApp id all name the same citizen.
 * libphonenumber-js knows each country's numbering plan: a +60 (Malaysia) number of a migrant worker
 * stays +60. Citizens write `(0627) 21xxx` for Dairi landlines, `+62 (0)812…`, or drop the leading 0.
 */
export function normalizePhone(raw: string | undefined | null): string | undefined {
  if (!raw || raw.length > 64) return undefined;
  // "+62 (0)812": the trunk 0 written inside an international number.
  const cleaned = raw.replace(/\(0\)/g, '').trim();
  const digits = cleaned.replace(/\D/g, '');
  const international = cleaned.startsWith('+') || cleaned.startsWith('00');
  // Without a + or a leading 0, "62…" is already international and "8…" a national number without its 0.
  const candidate = international
    ? cleaned.replace(/^00/, '+')
    : digits.startsWith('62')
      ? `+${digits}`
      : digits.startsWith('0')
        ? digits
        : `0${digits}`;
  const parsed = parsePhoneNumberFromString(candidate, 'ID');
  if (!parsed?.isPossible()) return undefined;
  return parsed.number;
}

/** A WhatsApp id already carries its country code (reference §8.6): `+` + wa_id, never rewritten to +62. */
export function phoneFromWaId(waId: string): string | undefined {
  return /^\d{8,15}$/.test(waId) ? `+${waId}` : undefined;
}

/**
 * A mobile number (libphonenumber-js type MOBILE), the only kind WhatsApp can reach: Indonesian 08… numbers are;
 * Dairi landlines such as (0627) 21… are not. A number whose type the metadata cannot tell is not taken for one.
 */
export function isMobilePhone(e164: string): boolean {
  return parsePhoneNumberFromString(e164)?.getType() === 'MOBILE';
}
