import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runClassify } from '../../../src/cli/commands/classify';
import { CONFIG_DIR } from './helpers';

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
      JSON.stringify({ id: 'a1', channel: 'email', subject: 'Lupa password Perkebbas', text: 'mohon reset password akun saya' }),
      '{ this is not json',
      '',
      JSON.stringify({ id: 'a3', text: 42 }),
      JSON.stringify({ text: 'tanpa id' }),
      JSON.stringify({ id: 7, text: '' }),
    ]);
    expect(code).toBe(0);
    const results = out.trim().split('\n').map((line) => JSON.parse(line));
    expect(results).toHaveLength(5);
    expect(results[0]).toEqual({
      id: 'a1',
      category: 'perkebbas-account',
      confidence: expect.any(Number),
      targetMinutes: 15,
      evidence: expect.arrayContaining(['reset password']),
    });
    expect(results[1]).toEqual({ id: null, line: 2, error: 'not valid JSON' });
    expect(results[2]).toMatchObject({ id: 'a3', line: 4, error: expect.stringContaining('text') });
    expect(results[3]).toMatchObject({ id: null, line: 5, error: expect.stringContaining('id') });
    expect(results[4]).toMatchObject({ id: 7, category: 'other', targetMinutes: 1440 });
  });

  it('--eval prints accuracy, macro-F1 and a confusion matrix', async () => {
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
    const { code, out } = await run([], file);
    expect(code).toBe(0);
    expect(out).toMatch(/accuracy: \d\.\d{4}/);
    expect(out).toMatch(/macro-F1: \d\.\d{4}/);
    expect(out).toContain('confusion matrix');
    expect(out).toContain('perkebbas-account');
  });

  it('fails with exit code 2 and a message when the eval file is missing', async () => {
    const { code, err } = await run([], '/nonexistent/labelled.jsonl');
    expect(code).toBe(2);
    expect(err).toContain('/nonexistent/labelled.jsonl');
  });
});
