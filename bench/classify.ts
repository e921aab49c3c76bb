/**
 * Classifier speed on one core: model build time at start-up and classifications per second over the
 * shipped examples (and the shared dev set when present). Run from the repository root after a build:
 *   node dist/bench/classify.js [--seconds 3]
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildClassifier } from '../src/domain/classification';
import { loadClassifierInputs, loadLabelledComplaints, toExamples } from '../src/config/classifier-data';

const ROOT = process.cwd();
const configDir = path.join(ROOT, 'config');
const secondsAt = process.argv.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(process.argv[secondsAt + 1]) : 3;

/** CPU milliseconds of this process: unlike wall time, not inflated when other processes share the cores. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const startupCpu = cpuMs();
const loadStart = performance.now();
const inputs = loadClassifierInputs({ configDir });
const examples = inputs.examples;
const buildStart = performance.now();
const classifier = buildClassifier(inputs);
const ready = performance.now();
const readyCpu = cpuMs();

const devFile = path.resolve(ROOT, '..', 'shared', 'data', 'complaints-dev.jsonl');
const texts = [...examples, ...(existsSync(devFile) ? toExamples(loadLabelledComplaints(devFile)) : [])].map((e) => ({
  text: e.text,
  ...(e.subject ? { subject: e.subject } : {}),
}));
const averageChars = texts.reduce((sum, i) => sum + i.text.length + (i.subject?.length ?? 0), 0) / texts.length;

// Warm-up so the JIT has compiled the hot paths before timing.
for (const text of texts) classifier.classify(text);

let count = 0;
const start = performance.now();
const startCpu = cpuMs();
const until = start + seconds * 1000;
while (performance.now() < until) {
  for (const text of texts) classifier.classify(text);
  count += texts.length;
}
const elapsed = (performance.now() - start) / 1000;
const elapsedCpu = (cpuMs() - startCpu) / 1000;

console.log(`node:                     ${process.version} (${process.platform} ${process.arch})`);
console.log(`training examples:        ${examples.length}`);
console.log(`load files:               ${(buildStart - loadStart).toFixed(0)} ms`);
console.log(`build model:              ${(ready - buildStart).toFixed(0)} ms`);
const readyWall = (ready - loadStart).toFixed(0);
console.log(`ready (load + build):     ${readyWall} ms wall, ${(readyCpu - startupCpu).toFixed(0)} ms CPU`);
console.log(`texts (avg chars):        ${texts.length} (${averageChars.toFixed(0)})`);
console.log(`classifications/s:        ${Math.round(count / elapsed)} (one core, ${count} in ${elapsed.toFixed(1)} s)`);
console.log(`classifications/CPU-s:    ${Math.round(count / elapsedCpu)} (per second of this process's CPU time)`);
console.log(`load average (1 min):     ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
