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
    expect(lines.map((l) => [l.text, l.end])).toEqual([
      ['{"a":1}', 8],
      ['{"b":2}', 15],
    ]);
    expect(consumed).toBe(15);
  });

  it('reads a line that is not UTF-8 as Windows-1252, and UTF-8 lines as UTF-8', () => {
    const cp1252 = Buffer.concat([
      Buffer.from('{"notes":"Andr'),
      Buffer.from([0xe9, 0x20, 0x93]),
      Buffer.from('suket'),
      Buffer.from([0x94]),
      Buffer.from('"}\n'),
    ]);
    const utf8 = Buffer.from('{"notes":"André “suket”"}\n');
    const { lines } = splitJsonLines(Buffer.concat([cp1252, utf8]), { atFileStart: true, final: false });
    expect(lines.map((l) => JSON.parse(l.text).notes)).toEqual(['André “suket”', 'André “suket”']);
    expect(lines.map((l) => l.end)).toEqual([cp1252.length, cp1252.length + utf8.length]);
  });
});
