import { splitJsonLines } from '../../../src/channels/callcenter/jsonl-chunk';

describe('splitJsonLines', () => {
  it('returns complete lines with the offset past each line break, and leaves a half line', () => {
    const text = '\ufeff{"a":1}\r\n\n{"b":2}\n{"c":';
    const { lines, consumed } = splitJsonLines(Buffer.from(text), { atFileStart: true, final: false });
    expect(lines.map((l) => l.text)).toEqual(['{"a":1}', '', '{"b":2}']);
    expect(consumed).toBe(Buffer.byteLength('\ufeff{"a":1}\r\n\n{"b":2}\n'));
  });

  it('takes the last line without a line break when final', () => {
    const { lines, consumed } = splitJsonLines(Buffer.from('{"a":1}\n{"b":2}'), { atFileStart: false, final: true });
    expect(lines.map((l) => [l.text, l.end])).toEqual([['{"a":1}', 8], ['{"b":2}', 15]]);
    expect(consumed).toBe(15);
  });
});
