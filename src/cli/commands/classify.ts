import { createInterface } from 'node:readline';
import { z } from 'zod';
import { loadClassifierFromDisk, loadLabelledComplaints, toExamples } from '../../config/classifier-data';
import { evaluateClassifier, formatEvaluation } from '../../domain/classification';
import type { ComplaintClassifier } from '../../domain/classifier';

/**
 * `aduan classify`: JSON lines {id, channel?, subject?, text} on stdin → JSON lines
 * {id, category, confidence, targetMinutes, evidence} on stdout. A line that cannot be read becomes
 * {id, line, error} on stdout and the run goes on. `--eval FILE` prints accuracy, macro-F1 and the
 * confusion matrix against a labelled JSONL file instead.
 */

export interface ClassifyOptions {
  configDir: string;
  evalFile?: string;
  /** Labelled examples to train on; default data/training/complaints-train.jsonl beside configDir. */
  trainingFile?: string;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const inputLineSchema = z.object({
  id: z.union([z.string(), z.number()]),
  // null is what many exporters write for "no value".
  channel: z.string().nullish(),
  subject: z.string().nullish(),
  text: z.string(),
});

export async function runClassify(opts: ClassifyOptions): Promise<number> {
  const stderr = opts.stderr ?? process.stderr;
  let classifier: ComplaintClassifier;
  try {
    // The labelled file is read first, so a wrong path fails before the model is trained.
    const examples = opts.evalFile ? toExamples(loadLabelledComplaints(opts.evalFile)) : undefined;
    classifier = loadClassifierFromDisk({ configDir: opts.configDir, ...(opts.trainingFile ? { trainingFile: opts.trainingFile } : {}) });
    if (examples) {
      await write(opts.stdout, formatEvaluation(evaluateClassifier(classifier, examples)) + '\n');
      return 0;
    }
  } catch (error) {
    stderr.write(`aduan classify: ${describe(error)}\n`);
    return 2;
  }
  await classifyLines(classifier, opts.stdin, opts.stdout);
  return 0;
}

async function classifyLines(classifier: ComplaintClassifier, stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): Promise<void> {
  const lines = createInterface({ input: stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    await write(stdout, JSON.stringify(classifyLine(classifier, line, lineNumber)) + '\n');
  }
}

function classifyLine(classifier: ComplaintClassifier, line: string, lineNumber: number): object {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { id: null, line: lineNumber, error: 'not valid JSON' };
  }
  const parsed = inputLineSchema.safeParse(json);
  if (!parsed.success) {
    const id = idOf(json);
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(line)'}: ${i.message}`).join('; ');
    return { id, line: lineNumber, error: problems };
  }
  const { id, subject, text, channel } = parsed.data;
  try {
    const result = classifier.classify({ text, ...(subject ? { subject } : {}), ...(channel ? { channel } : {}) });
    return { id, category: result.category, confidence: round(result.confidence), targetMinutes: result.targetMinutes, evidence: result.evidence };
  } catch (error) {
    return { id, line: lineNumber, error: `classification failed: ${describe(error)}` };
  }
}

function idOf(json: unknown): string | number | null {
  if (json && typeof json === 'object' && 'id' in json) {
    const id = (json as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Honours back-pressure, so piping a large file through does not buffer everything in memory. */
function write(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(chunk)) resolve();
    else stream.once('drain', resolve);
  });
}
