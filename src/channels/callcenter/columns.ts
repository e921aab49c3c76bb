import { readPath } from '../shared/dot-path';
import { COLUMN_KEYS, type CallCenterConfig, type ColumnKey } from './config-schema';

/** One log entry as the mapping sees it: the value of each configured column (undefined when absent). */
export type CallValues = Partial<Record<ColumnKey, unknown>>;

/** Where each column comes from, for reasons ("column \"Catatan\"", "field notes"). */
export type ColumnLabels = Partial<Record<ColumnKey, string>>;

export type CsvLayout =
  /** `width`: the header's field count, which every row must have (none without a header). */
  | { ok: true; indexes: Partial<Record<ColumnKey, number>>; labels: ColumnLabels; width?: number }
  | { ok: false; reason: string };

const OPTIONAL_COLUMNS: readonly ColumnKey[] = ['nik', 'line', 'name', 'waConsent'];

/**
 * Finds each configured column in the header (case, spacing and a BOM ignored) or by position. An
 * optional column (NIK, line, name) that a file does not have is simply empty for that file.
 */
export function csvLayout(columns: CallCenterConfig['columns'], header: string[] | undefined): CsvLayout {
  const normalizedHeader = header?.map(normalizeHeading);
  const indexes: Partial<Record<ColumnKey, number>> = {};
  const labels: ColumnLabels = {};
  const missing: string[] = [];
  for (const key of COLUMN_KEYS) {
    const ref = columns[key];
    if (ref === undefined) continue;
    if (typeof ref === 'number') {
      indexes[key] = ref - 1;
      labels[key] = `column ${ref}`;
      continue;
    }
    const index = normalizedHeader?.indexOf(normalizeHeading(ref)) ?? -1;
    if (index === -1 && !OPTIONAL_COLUMNS.includes(key)) missing.push(`"${ref}" (${key})`);
    else if (index === -1) continue;
    else {
      indexes[key] = index;
      labels[key] = `column "${ref}"`;
    }
  }
  if (missing.length)
    return {
      ok: false,
      reason: `header has no column ${missing.join(', ')}; it has: ${(header ?? []).map((h) => `"${h}"`).join(', ')}`,
    };
  return { ok: true, indexes, labels, ...(header ? { width: header.length } : {}) };
}

/**
 * A row with another field count than the header would put values in the wrong columns (an unquoted
 * `;` in the notes moves the rest of the notes into the NIK column): such a row is refused, never
 * shifted. The one repair that moves nothing: extra fields that are all empty at the end of the row
 * (a trailing delimiter) are dropped.
 */
export function checkRowWidth(
  fields: string[],
  layout: Extract<CsvLayout, { ok: true }>,
): { ok: true; fields: string[] } | { ok: false; reason: string } {
  const width = layout.width;
  if (width === undefined || fields.length === width) return { ok: true, fields };
  const trailingEmpty = fields.length > width && fields.slice(width).every((f) => f.trim() === '');
  if (trailingEmpty) return { ok: true, fields: fields.slice(0, width) };
  return { ok: false, reason: `${fields.length} ${fields.length === 1 ? 'field' : 'fields'}, header has ${width}` };
}

/** The configured columns of one CSV row; `missing` lists columns the row is too short to have. */
export function csvValues(fields: string[], layout: Extract<CsvLayout, { ok: true }>): CallValues {
  const values: CallValues = {};
  for (const [key, index] of Object.entries(layout.indexes) as Array<[ColumnKey, number]>) values[key] = fields[index];
  return values;
}

/** The configured fields of one JSON-lines object. */
export function jsonValues(record: unknown, fields: NonNullable<CallCenterConfig['jsonFields']>): CallValues {
  const values: CallValues = {};
  for (const key of COLUMN_KEYS) {
    const path = fields[key];
    if (path) values[key] = readPath(record, path);
  }
  return values;
}

export function jsonLabels(fields: NonNullable<CallCenterConfig['jsonFields']>): ColumnLabels {
  return Object.fromEntries(COLUMN_KEYS.filter((k) => fields[k]).map((k) => [k, `field "${fields[k]}"`]));
}

/** jsonFields, or the column names when they are names. */
export function jsonFieldsOf(config: CallCenterConfig): NonNullable<CallCenterConfig['jsonFields']> {
  if (config.jsonFields) return config.jsonFields;
  const name = (ref: string | number | undefined) => (typeof ref === 'string' ? ref : undefined);
  const c = config.columns;
  return {
    time: String(c.time),
    caller: String(c.caller),
    agent: String(c.agent),
    notes: String(c.notes),
    ...(name(c.nik) ? { nik: name(c.nik)! } : {}),
    ...(name(c.line) ? { line: name(c.line)! } : {}),
    ...(name(c.name) ? { name: name(c.name)! } : {}),
  };
}

function normalizeHeading(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}
