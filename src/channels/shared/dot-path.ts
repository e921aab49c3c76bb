/**
 * Reads a value at a dot path such as `pelapor.telepon`, `data.items.0.id` or `data.items[0].id`.
 * An empty path is the value itself. Returns undefined when any step is missing, so a renamed field
 * (schema drift) is recognisable as "missing" rather than as an empty value.
 */
export function readPath(value: unknown, path: string): unknown {
  if (path.trim() === '') return value;
  let current: unknown = value;
  for (const step of splitPath(path)) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (Array.isArray(current) && !/^\d+$/.test(step)) return undefined; // only indexes step into arrays, not `length`
    if (!Object.prototype.hasOwnProperty.call(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

export function splitPath(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((step) => step.trim())
    .filter((step) => step.length > 0);
}
