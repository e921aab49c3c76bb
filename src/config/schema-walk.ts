import type { z } from 'zod';

/**
 * Reading the config schema's own structure (zod 4 definitions): which keys a block has, what a key
 * holds. Environment overrides resolve their names with it and docs/configuration.md is written from it.
 */

type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  shape?: Record<string, AnySchema>;
  options?: AnySchema[];
  valueType?: AnySchema;
  element?: AnySchema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
}

export function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema under defaults, optionals and pipes (a preprocess step or a transform is passed through). */
export function unwrapSchema(schema: AnySchema): AnySchema {
  for (let current = schema; ;) {
    const def = defOf(current);
    if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type) && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in && def.out) {
      current = defOf(def.out).type === 'transform' ? def.in : def.out;
    } else return current;
  }
}

/** The keys of a block: an object's, or every key any variant of a `kind` union has. */
export function blockKeys(schema: AnySchema): Record<string, AnySchema> | undefined {
  const def = defOf(unwrapSchema(schema));
  if (def.type === 'object') return def.shape;
  if (def.type === 'union') {
    const variants = (def.options ?? []).map(blockKeys);
    if (variants.some((v) => v === undefined)) return undefined;
    return Object.assign({}, ...variants) as Record<string, AnySchema>;
  }
  return undefined;
}

/** The description given with `.describe()`, on the schema or on what it wraps. */
export function descriptionOf(schema: AnySchema): string | undefined {
  for (let current: AnySchema | undefined = schema; current;) {
    const described = (current as unknown as { description?: string }).description;
    if (described) return described;
    const def = defOf(current);
    current =
      def.innerType ?? (def.type === 'pipe' ? (defOf(def.out!).type === 'transform' ? def.in : def.out) : undefined);
  }
  return undefined;
}
