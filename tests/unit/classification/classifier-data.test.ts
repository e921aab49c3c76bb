import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadLabelledComplaints, loadLanguageOptions, loadSlang } from '../../../src/config/classifier-data';
import { CONFIG_DIR } from './helpers';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'aduan-classifier-data-'));
}

describe('classifier data files', () => {
  it('loads the shipped slang dictionary', () => {
    const slang = loadSlang(CONFIG_DIR);
    expect(slang['sy']).toBe('saya');
    expect(slang['akte']).toBe('akta');
  });

  it('loads the places outside Dairi with the slang', () => {
    const { slang, outsidePlaces } = loadLanguageOptions(CONFIG_DIR);
    expect(slang['tdk']).toBe('tidak');
    expect(outsidePlaces).toEqual(expect.arrayContaining(['medan', 'pematang siantar', 'luar negeri']));
    expect(outsidePlaces).not.toContain('sidikalang');
  });

  it('rejects unknown keys and malformed entries in slang.yaml', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'slang.yaml'), 'slang:\n  sy: saya\nextra: 1\n');
    expect(() => loadSlang(dir)).toThrow(/extra/);
    writeFileSync(path.join(dir, 'slang.yaml'), 'slang:\n  Sy: saya\n');
    expect(() => loadSlang(dir)).toThrow(/slang\.yaml/);
    writeFileSync(path.join(dir, 'slang.yaml'), 'slang:\n  sy: "Saya!"\n');
    expect(() => loadSlang(dir)).toThrow(/lowercase/);
  });

  it('names the file and line of a bad labelled example', () => {
    const dir = tempDir();
    const file = path.join(dir, 'train.jsonl');
    writeFileSync(file, '{"id":"1","text":"x","category":"other"}\n\n{"id":"2","text":"y","category":"nope"}\n');
    expect(() => loadLabelledComplaints(file)).toThrow(`${file}:3`);
    writeFileSync(file, '{"id":"1","text":"x","category":"other"}\n{oops\n');
    expect(() => loadLabelledComplaints(file)).toThrow(`${file}:2: not valid JSON`);
  });
});
