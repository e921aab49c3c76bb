import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CATEGORY_KEYS } from '../domain/categories';
import {
  buildClassifier,
  type BuildClassifierOptions,
  type LabelledExample,
  type TextClassifier,
} from '../domain/classification';
import { categoriesFileSchema, type CategoriesFile } from './categories-schema';
import { loadConfig } from './load';
import { packageRoot } from './package-root';
import { routingSchema, type AppConfig } from './schema';

/**
 * Reads what the classifier is built from: config/slang.yaml, config/categories.yaml, the labelled
 * examples shipped with the package (data/training) and the office's own (classifier.extraExamples). Every problem names the file (and line for JSONL).
 */

const lowercaseWords = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*( [a-z0-9]+(-[a-z0-9]+)*)*$/, 'expected lowercase words separated by single spaces');

export const slangFileSchema = z.strictObject({
  slang: z.record(
    z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slang keys are one lowercase word (hyphens allowed)'),
    lowercaseWords,
  ),
  /** Places outside Kabupaten Dairi. */
  outsideDairi: z.array(lowercaseWords).default([]),
});

export type SlangFile = z.infer<typeof slangFileSchema>;

export const labelledComplaintSchema = z.object({
  id: z.string().min(1),
  // null is what many exporters write for "no value".
  channel: z.string().nullish(),
  subject: z.string().nullish(),
  text: z.string(),
  category: z.enum(CATEGORY_KEYS),
});

export type LabelledComplaint = z.infer<typeof labelledComplaintSchema>;

export const DEFAULT_TRAINING_FILE = 'complaints-train.jsonl';

export class ClassifierDataError extends Error {
  override readonly name = 'ClassifierDataError';
}

/** config/slang.yaml: the slang dictionary and the places outside Dairi. */
export function loadSlangFile(configDir: string): SlangFile {
  const file = path.join(configDir, 'slang.yaml');
  if (!existsSync(file)) throw new ClassifierDataError(`${file}: file is missing`);
  const parsed = slangFileSchema.safeParse(parseYaml(file));
  if (!parsed.success) throw new ClassifierDataError(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function loadSlang(configDir: string): Record<string, string> {
  return loadSlangFile(configDir).slang;
}

/** The language options of buildClassifier, from slang.yaml: `buildClassifier({ ...loadLanguageOptions(dir), ... })`. */
export function loadLanguageOptions(configDir: string): Pick<BuildClassifierOptions, 'slang' | 'outsidePlaces'> {
  const { slang, outsideDairi } = loadSlangFile(configDir);
  return { slang, outsidePlaces: outsideDairi };
}

/** categories.yaml alone, for tools that must work while other config sections are incomplete. */
export function loadCategoriesOnly(configDir: string): CategoriesFile['categories'] {
  return loadCategoriesFile(configDir).categories;
}

function loadCategoriesFile(configDir: string): CategoriesFile {
  const file = path.join(configDir, 'categories.yaml');
  if (!existsSync(file)) throw new ClassifierDataError(`${file}: file is missing`);
  const parsed = categoriesFileSchema.safeParse(parseYaml(file));
  if (!parsed.success) throw new ClassifierDataError(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Labelled complaints, one JSON object a line; blank lines are skipped, anything else invalid is an error. */
export function loadLabelledComplaints(file: string): LabelledComplaint[] {
  if (!existsSync(file)) throw new ClassifierDataError(`${file}: file is missing`);
  const records: LabelledComplaint[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new ClassifierDataError(`${file}:${index + 1}: not valid JSON`);
      }
      const parsed = labelledComplaintSchema.safeParse(json);
      if (!parsed.success) throw new ClassifierDataError(`${file}:${index + 1}: ${describeIssues(parsed.error)}`);
      records.push(parsed.data);
    });
  return records;
}

export function toExamples(records: readonly LabelledComplaint[]): LabelledExample[] {
  return records.map((r) => ({ text: r.text, category: r.category, ...(r.subject ? { subject: r.subject } : {}) }));
}

/** The shipped examples live with the code: `data/training` of the installed package, not beside the config. */
export function shippedTrainingDir(): string {
  return path.join(packageRoot(), 'data', 'training');
}

/** The first shipped file (the Docker image test checks it is in the image). */
export function defaultTrainingFile(): string {
  return path.join(shippedTrainingDir(), DEFAULT_TRAINING_FILE);
}

/** Every *.jsonl in the shipped data/training (each author's file), in name order. */
export function defaultTrainingFiles(): string[] {
  return jsonlFilesOf(shippedTrainingDir());
}

/**
 * `classifier.extraExamples` of the config: files or folders (every *.jsonl inside, name order) of the
 * office's own labelled complaints; relative paths are read from the config folder.
 */
export function extraTrainingFiles(configDir: string, entries: readonly string[]): string[] {
  return entries.flatMap((entry) => {
    const resolved = path.resolve(configDir, entry);
    if (existsSync(resolved) && statSync(resolved).isDirectory()) return jsonlFilesOf(resolved);
    return [resolved];
  });
}

function jsonlFilesOf(dir: string): string[] {
  if (!existsSync(dir)) throw new ClassifierDataError(`${dir}: folder is missing`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * The training examples: one file when given (evaluation tools), else every shipped file, then the
 * configured extra files.
 */
export function loadTrainingExamples(
  configDir: string,
  trainingFile?: string,
  extra: readonly string[] = [],
): LabelledExample[] {
  const files = trainingFile ? [trainingFile] : [...defaultTrainingFiles(), ...extraTrainingFiles(configDir, extra)];
  return files.flatMap((file) => toExamples(loadLabelledComplaints(file)));
}

/** The classifier of a loaded configuration (the service's wiring). */
export function classifierOptionsOf(config: AppConfig, configDir: string): BuildClassifierOptions {
  return {
    categories: config.categories,
    ...loadLanguageOptions(configDir),
    examples: loadTrainingExamples(configDir, undefined, config.classifier.extraExamples),
    minConfidence: config.routing.minConfidence,
    minMargin: config.routing.minMargin,
    ...(config.integrity ? { integrityPhrases: config.integrity.phrases } : {}),
  };
}

export interface ClassifierFromDiskOptions {
  configDir: string;
  trainingFile?: string;
  /** Defaults to routing.minConfidence of the full config, or its default when only categories.yaml is valid. */
  minConfidence?: number;
}

/** Everything buildClassifier needs, read from config/ and data/training. */
export function loadClassifierInputs(
  options: ClassifierFromDiskOptions,
): BuildClassifierOptions & { categories: CategoriesFile['categories']; teams: Record<string, string> } {
  const { categories, integrity, minConfidence, minMargin, extraExamples } = loadCategoriesAndThreshold(
    options.configDir,
  );
  return {
    categories,
    ...loadLanguageOptions(options.configDir),
    examples: loadTrainingExamples(options.configDir, options.trainingFile, extraExamples),
    minConfidence: options.minConfidence ?? minConfidence,
    minMargin,
    ...(integrity ? { integrityPhrases: integrity.phrases } : {}),
    teams: Object.fromEntries(CATEGORY_KEYS.map((key) => [key, categories[key].team])),
  };
}

/** Loads config, slang and examples and builds the classifier (the pipeline and the CLI share this). */
export function loadClassifierFromDisk(options: ClassifierFromDiskOptions): TextClassifier {
  return buildClassifier(loadClassifierInputs(options));
}

interface ClassifierSettings {
  categories: CategoriesFile['categories'];
  integrity: CategoriesFile['integrity'];
  minConfidence: number;
  minMargin: number;
  extraExamples: string[];
}

function loadCategoriesAndThreshold(configDir: string): ClassifierSettings {
  try {
    const config = loadConfig(configDir);
    const { minConfidence, minMargin } = config.routing;
    const { extraExamples } = config.classifier;
    return { categories: config.categories, integrity: config.integrity, minConfidence, minMargin, extraExamples };
  } catch {
    // The rest of the config may be unfinished (or need env vars); classification only needs categories.
    const file = loadCategoriesFile(configDir);
    return {
      categories: file.categories,
      integrity: file.integrity,
      minConfidence: routingSchema.shape.minConfidence.parse(undefined),
      minMargin: routingSchema.shape.minMargin.parse(undefined),
      extraExamples: [],
    };
  }
}

function parseYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'), { uniqueKeys: true });
  } catch (error) {
    throw new ClassifierDataError(`${file}: YAML syntax: ${(error as Error).message.split('\n')[0]}`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.') || '(top level)';
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      return `${where}: ${issue.message}${keys}`;
    })
    .join('; ');
}
