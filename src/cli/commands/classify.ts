import { createInterface } from 'node:readline';
import { z } from 'zod';
import { loadClassifierInputs, loadLabelledComplaints, toExamples } from '../../config/classifier-data';
import {
  buildClassifier,
  evaluateDecisions,
  formatDecisionReport,
  type LabelledExample,
  type TextClassifier,
} from '../../domain/classification';
import type { ComplaintClassifier } from '../../domain/classifier';

/**
 * `aduan classify`: JSON lines {id, channel?, subject?, text} on stdin → JSON lines
 * {id, category, confidence, targetMinutes, evidence, candidates, triage?, integrity?} on stdout. A line that
 * cannot be read becomes {id, line, error} on stdout and the run goes on (exit code 1 at the end). `--eval FILE` scores a labelled
 * JSONL file instead: accuracy, macro-F1, per kind, confusion matrix, routed accuracy and triage share at
 * routing.minConfidence, calibration; it warns on stderr when the file shares texts with the training data.
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
    const inputs = loadClassifierInputs({
      configDir: opts.configDir,
      ...(opts.trainingFile ? { trainingFile: opts.trainingFile } : {}),
    });
    const built = buildClassifier(inputs);
    classifier = built;
    if (examples) {
      const overlap = overlapping(built, inputs.examples, examples);
      if (overlap > 0) {
        stderr.write(
          `warning: ${overlap} of ${examples.length} examples in ${opts.evalFile} also occur in the training data ` +
            '(same text after normalization): the figures overstate quality on unseen complaints\n',
        );
      }
      const report = evaluateDecisions({
        gold: examples.map((e) => e.category),
        results: examples.map((e) => built.classify(e)),
        minConfidence: inputs.minConfidence,
        teamOf: (kind) => inputs.teams[kind] ?? kind,
      });
      await write(opts.stdout, formatDecisionReport(report) + '\n');
      return 0;
    }
  } catch (error) {
    stderr.write(`aduan classify: ${describe(error)}\n`);
    return 2;
  }
  const { lines, failed } = await classifyLines(classifier, opts.stdin, opts.stdout);
  if (failed === 0) return 0;
  stderr.write(`aduan classify: ${failed} of ${lines} line(s) could not be classified (see their "error" on stdout)\n`);
  return 1;
}

async function classifyLines(
  classifier: ComplaintClassifier,
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
): Promise<{ lines: number; failed: number }> {
  const input = createInterface({ input: stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  let lines = 0;
  let failed = 0;
  for await (const line of input) {
    lineNumber++;
    if (line.trim() === '') continue;
    const result = classifyLine(classifier, line, lineNumber);
    lines++;
    if ('error' in result) failed++;
    await write(stdout, JSON.stringify(result) + '\n');
  }
  return { lines, failed };
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
    const problems = parsed.error.issues
      .map((i) => `${i.path.map(String).join('.') || '(line)'}: ${i.message}`)
      .join('; ');
    return { id, line: lineNumber, error: problems };
  }
  const { id, subject, text, channel } = parsed.data;
  try {
    const result = classifier.classify({ text, ...(subject ? { subject } : {}), ...(channel ? { channel } : {}) });
    return {
      id,
      category: result.category,
      confidence: round(result.confidence),
      targetMinutes: result.targetMinutes,
      evidence: result.evidence,
      ...(result.candidates
        ? { candidates: result.candidates.map((c) => ({ category: c.category, confidence: round(c.confidence) })) }
        : {}),
      ...(result.triage ? { triage: result.triage } : {}),
      ...(result.integrity ? { integrity: result.integrity } : {}),
    };
  } catch (error) {
    return { id, line: lineNumber, error: `classification failed: ${describe(error)}` };
  }
}

/** How many labelled examples have the same normalized text as a training example. */
export function overlapping(
  classifier: TextClassifier,
  training: readonly LabelledExample[],
  labelled: readonly LabelledExample[],
): number {
  const seen = new Set(training.map((e) => classifier.fingerprint(e)));
  return labelled.filter((e) => seen.has(classifier.fingerprint(e))).length;
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
