/**
 * How a later config file (local.yaml, categories.yaml) lays over the earlier ones. Objects merge key by key,
 * except a block whose `kind` differs from the earlier block's: it replaces that block whole, since another
 * kind's keys (a bearer token under an api-key auth) would only be rejected by the strict schema. An explicit
 * `null` removes the key (an optional block disappears; a required one is then reported by the schema).
 * Arrays and scalars replace. Every replaced or removed path is recorded, so that errors are never located
 * in an earlier file's lines that no longer count.
 */

export type ConfigPath = (string | number)[];

/** `path` and everything below it in files before `file` (an index into the loaded files) no longer count. */
export interface Shadow {
  path: ConfigPath;
  file: number;
}

export function applyOverlay(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  file: number,
  shadows: Shadow[],
  at: ConfigPath = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const path = [...at, key];
    if (isPlainObject(current) && isPlainObject(value) && !changesKind(current, value)) {
      out[key] = applyOverlay(current, value, file, shadows, path);
      continue;
    }
    if (current !== undefined) shadows.push({ path, file });
    if (value === null) delete out[key];
    else out[key] = isPlainObject(value) ? applyOverlay({}, value, file, shadows, path) : value;
  }
  return out;
}

/** True when `path` lies at or below a path that a file after `file` replaced or removed. */
export function isShadowed(shadows: Shadow[], path: ConfigPath, file: number): boolean {
  return shadows.some(
    (shadow) =>
      shadow.file > file &&
      shadow.path.length <= path.length &&
      shadow.path.every((part, i) => String(part) === String(path[i])),
  );
}

function changesKind(base: Record<string, unknown>, over: Record<string, unknown>): boolean {
  return 'kind' in over && over.kind !== null && over.kind !== base.kind;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
