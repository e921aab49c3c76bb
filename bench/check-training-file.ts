/**
 * Checks a new author's training file before it joins data/training, and writes the examples that pass:
 * valid JSON with a known category (the loader's own checks), unique ids (within the file and against the
 * training data), no text equal after normalization to a training, dev-set or evaluation-set text, and no
 * near-duplicate of a training text, an evaluation-set text (or an earlier text in the same file): more than
 * --max-overlap (default 0.8) of the distinct normalized words shared (word-set Jaccard similarity); for the
 * dev set more than --max-dev-overlap (0.6).
 * Texts of the dev and evaluation sets are compared, never printed: only counts are reported for them.
 * Run from the repository root after `npm run build`:
 *   node dist/bench/check-training-file.js CANDIDATE.jsonl OUT.jsonl [--max-overlap 0.8] [--max-dev-overlap 0.6] [--dev FILE]
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  defaultTrainingFiles,
  loadClassifierInputs,
  loadLabelledComplaints,
  toExamples,
  type LabelledComplaint,
} from '../src/config/classifier-data';
import { buildClassifier } from '../src/domain/classification';

const ROOT = process.cwd();

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / Math.max(1, a.size + b.size - shared);
}

function main(): void {
  const [candidateFile, outFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!candidateFile || !outFile) throw new Error('usage: check-training-file CANDIDATE.jsonl OUT.jsonl');
  const maxOverlap = Number(option('--max-overlap') ?? 0.8);
  // Paraphrases of the dev set must not be trained on either (it was tuned on; a weak check only).
  const maxDevOverlap = Number(option('--max-dev-overlap') ?? 0.6);
  const devFile = option('--dev') ?? path.resolve(ROOT, '..', 'shared', 'data', 'complaints-dev.jsonl');
  const evalDir = path.join(ROOT, 'data', 'evaluation');

  // Throws with file:line on invalid JSON or an unknown category.
  const candidates = loadLabelledComplaints(candidateFile);
  const trainingFiles = defaultTrainingFiles().filter((f) => path.resolve(f) !== path.resolve(outFile));
  const training = trainingFiles.flatMap((f) => loadLabelledComplaints(f));
  // The shipped normalizer (slang, spelling) defines "the same text"; the model itself is not used.
  const classifier = buildClassifier({ ...loadClassifierInputs({ configDir: path.join(ROOT, 'config') }) });
  const fingerprint = (r: LabelledComplaint) => classifier.fingerprint(toExamples([r])[0]!);
  const words = (r: LabelledComplaint) => new Set(fingerprint(r).split(' '));

  const guarded: { name: string; texts: Set<string>; words: Set<string>[]; maxOverlap: number }[] = [];
  const guard = (name: string, records: LabelledComplaint[], overlap: number) =>
    guarded.push({ name, texts: new Set(records.map(fingerprint)), words: records.map(words), maxOverlap: overlap });
  if (existsSync(devFile)) {
    guard('dev set', loadLabelledComplaints(devFile), maxDevOverlap);
  } else console.warn(`warning: no dev set at ${devFile} (--dev FILE): not compared`);
  for (const name of readdirSync(evalDir).filter((n) => n.endsWith('.jsonl'))) {
    guard(name, loadLabelledComplaints(path.join(evalDir, name)), maxOverlap);
  }

  const trainingIds = new Set(training.map((r) => r.id));
  const trainingTexts = new Set(training.map(fingerprint));
  const kept: LabelledComplaint[] = [];
  const keptWords: Set<string>[] = [];
  const trainingWords = training.map(words);
  const dropped = new Map<string, string[]>();
  const drop = (reason: string, id: string) => dropped.set(reason, [...(dropped.get(reason) ?? []), id]);
  const seenIds = new Set<string>();
  for (const record of candidates) {
    const text = fingerprint(record);
    const own = words(record);
    if (seenIds.has(record.id) || trainingIds.has(record.id)) drop('duplicate id', record.id);
    else if (text.trim() === '') drop('empty text', record.id);
    else if (trainingTexts.has(text)) drop('same text as a training example', record.id);
    else if (kept.some((k) => fingerprint(k) === text)) drop('same text as an earlier example of the file', record.id);
    else if (guarded.some((g) => g.texts.has(text))) {
      for (const g of guarded) if (g.texts.has(text)) drop(`same text as a ${g.name} text (ids not shown)`, '?');
    } else if (guarded.some((g) => g.words.some((w) => jaccard(own, w) > g.maxOverlap))) {
      for (const g of guarded) {
        if (g.words.some((w) => jaccard(own, w) > g.maxOverlap))
          drop(`> ${g.maxOverlap} word overlap with a ${g.name} text (ids not shown)`, '?');
      }
    } else if (trainingWords.some((w) => jaccard(own, w) > maxOverlap)) {
      drop(`> ${maxOverlap} word overlap with a training example`, record.id);
    } else if (keptWords.some((w) => jaccard(own, w) > maxOverlap)) {
      drop(`> ${maxOverlap} word overlap with an earlier example of the file`, record.id);
    } else {
      kept.push(record);
      keptWords.push(own);
    }
    seenIds.add(record.id);
  }

  const perKind = new Map<string, number>();
  for (const r of kept) perKind.set(r.category, (perKind.get(r.category) ?? 0) + 1);
  console.log(`${candidateFile}: ${candidates.length} examples, valid JSON and known categories`);
  console.log(`compared with ${training.length} training examples and ${guarded.map((g) => g.name).join(', ')}`);
  for (const [reason, ids] of dropped) {
    const shown = ids.every((id) => id === '?') ? '' : `: ${ids.join(', ')}`;
    console.log(`  dropped ${ids.length} (${reason})${shown}`);
  }
  console.log(`kept ${kept.length}: ${[...perKind].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  writeFileSync(outFile, kept.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`written to ${outFile}`);
}

main();
