import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Document, isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { envOverrides, type EnvOverride } from './env-overrides';
import { applyOverlay, isShadowed, type ConfigPath, type Shadow } from './overlay';
import { configSchema, type AppConfig } from './schema';
import { secretFromFile } from './secret-files';

/**
 * Loads config/default.yaml, then config/survey.yaml (the survey's questions, optional) and config/local.yaml
 * over it (optional), then config/categories.yaml,
 * interpolates ${ENV_VAR}, lays each file over the earlier ones (see overlay.ts), then the
 * environment's ADUAN__… overrides (env-overrides.ts), and validates against the one schema. Every
 * problem is reported with file (or variable), line and key path; values are never echoed, since they
 * may be secrets. Where each effective value came from is kept for `check-config --show-origin`.
 */

export interface ConfigProblem {
  file: string;
  line?: number;
  column?: number;
  keyPath: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  // A variable's own problem (an unknown key in its name) has no key path to show.
  if (!p.keyPath && !p.line && p.file.startsWith('environment variable')) return `${where}: ${p.message}`;
  return `${where} ${p.keyPath || '(top level)'}: ${p.message}`;
}

interface SourceFile {
  file: string;
  doc: Document;
  lines: LineCounter;
  /** Dotted key path → where its `${…}` was filled from (`env NAME`, `NAME_FILE`, `fallback`). */
  interpolated: Map<string, string>;
}

const FILES = ['default.yaml', 'survey.yaml', 'local.yaml', 'categories.yaml'] as const;
/** Files an installation may leave out. */
const OPTIONAL_FILES: ReadonlySet<string> = new Set(['local.yaml', 'survey.yaml']);

/** Where each effective value came from: a file, a variable in a file's `${…}`, an override, or the schema. */
export interface LoadedConfig {
  config: AppConfig;
  /** Dotted key path → e.g. `local.yaml`, `env IMAP_PASSWORD (in default.yaml)`, `env ADUAN__PIPELINE__ATTEMPTS`. */
  originOf(keyPath: ConfigPath): string;
}

export function loadConfig(configDir: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadConfigWithOrigins(configDir, env).config;
}

export function loadConfigWithOrigins(configDir: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const sources: SourceFile[] = [];
  for (const name of FILES) {
    const file = path.join(configDir, name);
    if (!existsSync(file)) {
      if (!OPTIONAL_FILES.has(name)) problems.push({ file, keyPath: '', message: 'file is missing' });
      continue;
    }
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
    });
    for (const error of doc.errors) {
      const pos = lines.linePos(error.pos[0]);
      problems.push({
        file,
        line: pos.line,
        column: pos.col,
        keyPath: '',
        message: `YAML syntax: ${error.message.split('\n')[0]}`,
      });
    }
    if (doc.errors.length === 0 && doc.contents !== null && !isMap(doc.contents)) {
      problems.push({ file, line: 1, keyPath: '', message: 'expected a mapping of keys at the top level' });
      continue;
    }
    sources.push({ file, doc, lines, interpolated: new Map() });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  // The first file is the base as written (its nulls stay); each later one is an overlay.
  let merged: Record<string, unknown> = {};
  const shadows: Shadow[] = [];
  sources.forEach((source, index) => {
    const value = interpolate(source.doc.toJS() ?? {}, [], source, env, problems) as Record<string, unknown>;
    merged = index === 0 ? value : applyOverlay(merged, value, index, shadows);
  });
  const fromEnv = envOverrides(configSchema, env, merged);
  for (const { variable, message } of fromEnv.problems)
    problems.push({ file: `environment variable ${variable}`, keyPath: '', message });
  // Overrides are one more overlay, after every file.
  for (const override of fromEnv.overrides)
    merged = applyOverlay(merged, nest(override.path, override.value), sources.length, shadows);

  const parsed = configSchema.safeParse(merged);
  if (parsed.success && problems.length === 0) {
    return { config: parsed.data, originOf: (keyPath) => originOf(sources, shadows, fromEnv.overrides, keyPath) };
  }
  for (const issue of parsed.error?.issues ?? []) {
    const issuePath = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push(locate(sources, shadows, fromEnv.overrides, [...issuePath, key], `unknown key "${key}"`, true));
      }
    } else {
      problems.push(locate(sources, shadows, fromEnv.overrides, issuePath, issue.message, false));
    }
  }
  throw new ConfigError(problems);
}

function nest(keyPath: ConfigPath, value: unknown): Record<string, unknown> {
  return keyPath.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

const samePath = (a: ConfigPath, b: ConfigPath) =>
  a.length === b.length && a.every((p, i) => String(p) === String(b[i]));

/** The override, else the last file that still counts for the path, else the schema's default. */
function originOf(sources: SourceFile[], shadows: Shadow[], overrides: EnvOverride[], keyPath: ConfigPath): string {
  const override = [...overrides].reverse().find((o) => samePath(o.path, keyPath));
  if (override) return `env ${override.variable}`;
  for (let index = sources.length - 1; index >= 0; index--) {
    const source = sources[index]!;
    if (isShadowed(shadows, keyPath, index) || !source.doc.hasIn(keyPath)) continue;
    const name = path.basename(source.file);
    const via = source.interpolated.get(keyPath.join('.'));
    return via ? `${via} (in ${name})` : name;
  }
  return 'schema default';
}

/**
 * Finds the last file (highest precedence) that defines `keyPath`, or the nearest parent that exists,
 * passing over what a later file replaced or removed.
 */
function locate(
  sources: SourceFile[],
  shadows: Shadow[],
  overrides: EnvOverride[],
  keyPath: ConfigPath,
  message: string,
  pointAtKey: boolean,
): ConfigProblem {
  const dotted = keyPath.join('.');
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const prefix = keyPath.slice(0, depth);
    const override = [...overrides].reverse().find((o) => samePath(o.path, prefix));
    if (override) return { file: `environment variable ${override.variable}`, keyPath: dotted, message };
    for (let index = sources.length - 1; index >= 0; index--) {
      const source = sources[index]!;
      if (isShadowed(shadows, prefix, index)) continue;
      const node = prefix.length === 0 ? source.doc.contents : source.doc.getIn(prefix, true);
      if (!node) continue;
      const offset = pointAtKey && depth === keyPath.length ? keyOffset(source.doc, prefix) : rangeStart(node);
      const pos = offset === undefined ? undefined : source.lines.linePos(offset);
      const missing = depth < keyPath.length ? ' (key is missing here)' : '';
      return { file: source.file, line: pos?.line, column: pos?.col, keyPath: dotted, message: message + missing };
    }
  }
  return { file: sources[0]?.file ?? 'config', keyPath: dotted, message };
}

function keyOffset(doc: Document, keyPath: (string | number)[]): number | undefined {
  const parent = keyPath.length > 1 ? doc.getIn(keyPath.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === keyPath[keyPath.length - 1]);
  return pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}

const ENV_REF = /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g;

/** ${NAME} or ${NAME:-fallback} inside any string value; an unset variable without fallback is an error. */
function interpolate(
  value: unknown,
  at: (string | number)[],
  source: SourceFile,
  env: NodeJS.ProcessEnv,
  problems: ConfigProblem[],
): unknown {
  if (typeof value === 'string') {
    const via: string[] = [];
    const filled = value.replace(ENV_REF, (_whole, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') {
        via.push(`env ${name}`);
        return found;
      }
      const node = source.doc.getIn(at, true);
      const pos = rangeStart(node) === undefined ? undefined : source.lines.linePos(rangeStart(node)!);
      const problem = (message: string) =>
        problems.push({ file: source.file, line: pos?.line, column: pos?.col, keyPath: at.join('.'), message });
      try {
        const fromFile = secretFromFile(name, env);
        if (fromFile !== undefined) {
          via.push(`${name}_FILE`);
          return fromFile;
        }
      } catch (error) {
        problem((error as Error).message);
        return '';
      }
      if (fallback !== undefined) {
        via.push(`${name} unset, fallback`);
        return fallback;
      }
      problem(`environment variable ${name} is not set (nor ${name}_FILE)`);
      return '';
    });
    if (via.length) source.interpolated.set(at.join('.'), via.join(', '));
    return filled;
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, [...at, i], source, env, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, [...at, key], source, env, problems)]),
    );
  }
  return value;
}
