import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { csvCell, toCsv } from '../../../src/lib/csv';

/** Exports (the report command) of text the public wrote: the corpus's formula strings must stay inert. */

const HOSTILE = path.resolve(__dirname, '../../fixtures/hostile');

/** The formula-looking notes and names of the corpus's call-center log and suggestion-box slips, as the ticket holds them. */
function corpusStrings(): string[] {
  const rows = parse(readFileSync(path.join(HOSTILE, 'callcenter/c01-formula-injection.csv')), {
    delimiter: ';',
    from_line: 2,
    relax_column_count: true,
  }) as string[][];
  const slips = readFileSync(path.join(HOSTILE, 'offline/o06-slips.jsonl'), 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const text = (JSON.parse(line) as { text?: unknown }).text;
        return typeof text === 'string' ? [text] : [];
      } catch {
        return [];
      }
    });
  return [
    ...rows.flatMap((r) => [r[3]!, r[6]!]),
    ...slips,
    ' =1+1',
    '\u00a0@SUM(A1)',
    '\r=cmd',
    '-1',
    'Mohon info;=HYPERLINK("http://evil.test";"x")',
  ];
}

/** What a spreadsheet would see in each cell when it splits on `sep` (honouring quotes). */
function cellsAsOpenedWith(csv: string, sep: ',' | ';'): string[][] {
  return parse(csv.replace(/^\uFEFF/, ''), {
    delimiter: sep,
    relax_column_count: true,
    relax_quotes: true,
  }) as string[][];
}

describe('CSV export of hostile text', () => {
  const strings = corpusStrings();

  test('the corpus has the formula strings it is meant to have', () => {
    expect(strings.some((s) => s.startsWith('=HYPERLINK('))).toBe(true);
    expect(strings.some((s) => s.startsWith('+cmd|'))).toBe(true);
    expect(strings.some((s) => s.startsWith('@SUM('))).toBe(true);
    expect(strings.some((s) => s.startsWith('-2+3+cmd|'))).toBe(true);
    expect(strings.some((s) => s.includes(';=HYPERLINK('))).toBe(true);
  });

  test.each([',', ';'] as const)(
    'opened with "%s" as the separator, no cell starts a formula and the text reads back whole',
    (sep) => {
      const csv = toCsv([
        ['Tiket', 'Isi'],
        ...strings.map((s, i) => [`ADU-2026-${String(i + 1).padStart(6, '0')}`, s]),
      ]);
      for (const row of cellsAsOpenedWith(csv, sep)) {
        for (const cell of row)
          expect({ cell, formula: /^[ \u00a0]*[=+\-@\t\r]/.test(cell) }).toMatchObject({ formula: false });
      }
      if (sep === ',') {
        const back = cellsAsOpenedWith(csv, ',')
          .slice(1)
          .map((r) => r[1]!);
        // Read with the right separator, each cell is the text with apostrophes before formula characters only.
        expect(back.map((cell) => cell.replace(/'(?=[ \u00a0]*[=+\-@\t\r])/g, ''))).toEqual(strings);
      }
    },
  );

  test('a formula after a separator or line break inside a cell gets its apostrophe too', () => {
    expect(csvCell('Mohon info;=HYPERLINK("x")')).toBe(`"Mohon info;'=HYPERLINK(""x"")"`);
    expect(csvCell('baris satu\n+cmd|x')).toBe(`"baris satu\n'+cmd|x"`);
    expect(csvCell(' =1+1')).toBe("' =1+1");
  });

  test('ordinary cells stay as they are', () => {
    expect(csvCell('KTP-el belum dicetak')).toBe('KTP-el belum dicetak');
    expect(csvCell(42)).toBe('42');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('a "b"')).toBe('"a ""b"""');
  });
});
