/** The office's 13 complaint kinds plus `other` (human triage). Keys are stable identifiers. */
export const CATEGORY_KEYS = [
  'nik-consolidation',
  'unmarried-certificate',
  'domicile-certificate',
  'general-certificate',
  'deed-validity',
  'divorce-sptjm',
  'direct-marriage-registration',
  'vulnerable-recording',
  'perkebbas-account',
  'out-of-domicile-marriage-deed',
  'skpwni-online',
  'document-requirements',
  'population-data-check',
  'other',
] as const;

export type CategoryKey = (typeof CATEGORY_KEYS)[number];

export function isCategoryKey(value: string): value is CategoryKey {
  return (CATEGORY_KEYS as readonly string[]).includes(value);
}
