import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import type { ConfigPath } from './overlay';
import { blockKeys, defOf, unwrapSchema } from './schema-walk';

/**
 * Any config key from the environment, for installs that mount no local.yaml (Docker):
 * `ADUAN__PIPELINE__ATTEMPTS=5` sets pipeline.attempts (double underscore = one level deeper, names
 * matched to the schema's keys without regard to case), `ADUAN__…_FILE=/run/secrets/x` reads the value
 * from a file, and `LOG_LEVEL` is service.logLevel. Values are read as YAML scalars (5, true, 0.8);
 * keys that take text keep the text as written. Lists and blocks, and keys the schema does not have,
 * are errors naming the variable: they belong in local.yaml.
 */

export const ENV_PREFIX = 'ADUAN__';

export interface EnvOverride {
  variable: string;
  path: ConfigPath;
  value: unknown;
}

export interface EnvOverrides {
  overrides: EnvOverride[];
  problems: { variable: string; message: string }[];
}

export function envOverrides(schema: z.core.$ZodType, env: NodeJS.ProcessEnv, current: unknown): EnvOverrides {
  const result: EnvOverrides = { overrides: [], problems: [] };
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX))
    .sort();
  const entries: { variable: string; segments: string[]; read: () => string }[] = [];
  if (env.LOG_LEVEL)
    entries.push({
      variable: 'LOG_LEVEL',
      segments: ['service', 'logLevel'],
      read: () => env.LOG_LEVEL!.toLowerCase(),
    });
  for (const variable of names) {
    const fromFile = variable.endsWith('_FILE');
    const name = fromFile ? variable.slice(0, -'_FILE'.length) : variable;
    entries.push({
      variable,
      segments: name.slice(ENV_PREFIX.length).split('__'),
      read: () => (fromFile ? readSecretFile(env[variable]!) : env[variable]!),
    });
  }
  for (const { variable, segments, read } of entries) {
    try {
      const { path, leaf } = resolvePath(schema, segments, current);
      result.overrides.push({ variable, path, value: scalarValue(read(), leaf) });
    } catch (error) {
      result.problems.push({ variable, message: (error as Error).message });
    }
  }
  return result;
}

/** The schema's key path for the variable's segments, and the schema of the value it sets. */
function resolvePath(
  schema: z.core.$ZodType,
  segments: string[],
  current: unknown,
): { path: ConfigPath; leaf: z.core.$ZodType } {
  if (segments.some((s) => s === '')) throw new Error('empty key between double underscores');
  const path: ConfigPath = [];
  let at = schema;
  let value = current;
  for (const segment of segments) {
    const def = defOf(unwrapSchema(at));
    const keys = blockKeys(at);
    let key: string | undefined;
    if (keys) {
      key = Object.keys(keys).find((k) => k.toLowerCase() === segment.toLowerCase());
      if (key === undefined) throw new Error(`unknown key "${[...path, segment.toLowerCase()].join('.')}"`);
      at = keys[key]!;
    } else if (def.type === 'record' && def.valueType) {
      const existing = value && typeof value === 'object' ? Object.keys(value) : [];
      key = existing.find((k) => k.toLowerCase() === segment.toLowerCase()) ?? segment.toLowerCase();
      at = def.valueType;
    } else if (def.type === 'array') {
      throw new Error(`${path.join('.')} is a list; lists cannot be set from the environment, use local.yaml`);
    } else {
      throw new Error(`${path.join('.')} is a single value; it has no key "${segment.toLowerCase()}"`);
    }
    path.push(key);
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  const type = defOf(unwrapSchema(at)).type;
  if (type === 'array')
    throw new Error(`${path.join('.')} is a list; lists cannot be set from the environment, use local.yaml`);
  if (blockKeys(at) || type === 'record')
    throw new Error(`${path.join('.')} is a block of keys; set its keys one by one (${path.join('.')}.<key>)`);
  return { path, leaf: at };
}

/** Text keys keep the text; anything else is read as one YAML scalar (5 → number, true → boolean). */
function scalarValue(raw: string, leaf: z.core.$ZodType): unknown {
  if (takesText(leaf)) return raw;
  let parsed: unknown;
  try {
    parsed = parse(raw);
  } catch {
    throw new Error('not a valid YAML value');
  }
  if (parsed !== null && typeof parsed === 'object')
    throw new Error('expects a single value; lists and blocks go in local.yaml');
  return parsed;
}

function takesText(schema: z.core.$ZodType): boolean {
  const def = defOf(unwrapSchema(schema));
  if (def.type === 'string') return true;
  if (def.type === 'enum') return Object.values(def.entries ?? {}).every((v) => typeof v === 'string');
  if (def.type === 'literal') return (def.values ?? []).every((v) => typeof v === 'string');
  return false;
}

function readSecretFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    });
  }
}
