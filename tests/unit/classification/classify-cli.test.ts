import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runClassify } from '../../../src/cli/commands/classify';
import { CONFIG_DIR, REPO_ROOT } from './helpers';

async function run(lines: string[], evalFile?: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runClassify({
    configDir: CONFIG_DIR,
    ...(evalFile ? { evalFile } : {}),
    stdin: Readable.from(lines.map((l) => l + '\n')),
    stdout,
    stderr,
  });
  return { code, out, err };
}

describe('aduan classify', () => {
  it('writes one JSON result per input line, and an error line for each malformed one', async () => {
    const { code, out } = await run([
      JSON.stringify({
        id: 'a1',
        channel: 'email',
        subject: 'Lupa password Perkebbas',
        text: 'mohon reset password akun saya',
      }),
      '{ this is not json',
      '',
      JSON.stringify({ id: 'a3', text: 42 }),
      JSON.stringify({ text: 'tanpa id' }),
      JSON.stringify({ id: 7, text: '' }),
    ]);
    // Every line is answered, and the exit code says that some failed (a script must not take it for success).
    expect(code).toBe(1);
    const results = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results).toHaveLength(5);
    expect(results[0]).toEqual({
      id: 'a1',
      category: 'perkebbas-account',
      confidence: expect.any(Number),
      targetMinutes: 15,
      evidence: expect.arrayContaining(['reset password']),
      candidates: [
        { category: 'perkebbas-account', confidence: expect.any(Number) },
        { category: expect.not.stringMatching(/^perkebbas-account$/), confidence: expect.any(Number) },
      ],
    });
    expect(results[0].candidates[0].confidence).toBeGreaterThan(results[0].candidates[1].confidence);
    expect(results[1]).toEqual({ id: null, line: 2, error: 'not valid JSON' });
    expect(results[2]).toMatchObject({ id: 'a3', line: 4, error: expect.stringContaining('text') });
    expect(results[3]).toMatchObject({ id: null, line: 5, error: expect.stringContaining('id') });
    expect(results[4]).toMatchObject({ id: 7, category: 'other', targetMinutes: 1440 });
  });

  it('--eval prints accuracy, macro-F1, per-kind figures, the confusion matrix, routing and calibration', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-eval-'));
    const file = path.join(dir, 'labelled.jsonl');
    writeFileSync(
      file,
      [
        { id: '1', text: 'Sy lupa password akun Perkebbas, tlg direset', category: 'perkebbas-account' },
        { id: '2', text: 'Apa saja syarat membuat akta kelahiran?', category: 'document-requirements' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const { code, out, err } = await run([], file);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/accuracy: 1\.0000/);
    expect(out).toMatch(/macro-F1: 1\.0000/);
    expect(out).toMatch(/per kind \(precision recall F1 support\)/);
    expect(out).toContain('confusion matrix');
    expect(out).toContain('perkebbas-account');
    expect(out).toMatch(/routing at minConfidence 0\.\d+/);
    expect(out).toMatch(/routed accuracy \(right team\): +1\.0000 \(2\/2\)/);
    expect(out).toMatch(/triage share of the 13 kinds: +0\.0000 \(0\/2\)/);
    expect(out).toMatch(/ECE \d\.\d{4}/);
  });

  it('--eval warns when the labelled file shares texts with the training data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aduan-eval-'));
    const file = path.join(dir, 'leaky.jsonl');
    const trainingFile = path.join(REPO_ROOT, 'data', 'training', 'complaints-train.jsonl');
    const trainingLine = readFileSync(trainingFile, 'utf8').split('\n')[0]!;
    const copied = JSON.parse(trainingLine) as { text: string; category: string };
    // Same words in another case and spacing: still the same text after normalization.
    const fresh = { id: 'x', text: 'Apa saja syarat membuat akta kelahiran?', category: 'document-requirements' };
    const leaked = { ...copied, id: 'y', text: `  ${copied.text.toUpperCase()} ` };
    writeFileSync(file, [leaked, fresh].map((r) => JSON.stringify(r)).join('\n'));
    const { code, err } = await run([], file);
    expect(code).toBe(0);
    expect(err).toMatch(/warning: 1 of 2 examples .* also occur in the training data/);
  });

  it('fails with exit code 2 and a message when the eval file is missing', async () => {
    const { code, err } = await run([], '/nonexistent/labelled.jsonl');
    expect(code).toBe(2);
    expect(err).toContain('/nonexistent/labelled.jsonl');
  });
});
