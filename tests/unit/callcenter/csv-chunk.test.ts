import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectDelimiter, parseCsvChunk, type ChunkItem } from '../../../src/channels/callcenter/csv-chunk';

const fixture = (name: string) => readFileSync(path.resolve(__dirname, '../../fixtures/callcenter', name));
const fieldsOf = (items: ChunkItem[]) => items.map((i) => (i.kind === 'record' ? i.fields : i.reason));
const options = { delimiter: ';', encoding: 'utf8' as const, atFileStart: true, final: false };

describe('parseCsvChunk', () => {
  it('reads an Excel "CSV UTF-8" file: BOM, `;`, CRLF, quoted delimiters, doubled quotes and line breaks inside quotes', () => {
    const buf = fixture('agent-log-excel.csv');
    const { items, consumed } = parseCsvChunk(buf, options);
    expect(consumed).toBe(buf.length);
    const rows = fieldsOf(items) as string[][];
    expect(rows).toHaveLength(4);
    expect(rows[0]![0]).toBe('Waktu'); // the BOM is not part of the first heading
    expect(rows[1]![3]).toBe(
      'Penelepon menanyakan apakah petugas bisa datang ke rumah untuk perekaman KTP-el ibunya (78 tahun); ibu sudah tidak bisa berjalan karena stroke.',
    );
    expect(rows[2]![3]).toBe(
      'Pelapor mengeluh: "antrean di kantor sangat panjang" dan petugas loket kurang ramah.\r\nMinta ditindaklanjuti.',
    );
    expect(rows[2]![6]).toBe('');
    // Offsets are bytes past each record's line break, BOM included: a checkpoint resumes exactly there.
    const second = buf.indexOf('30/11/2026 11:02');
    expect(items[1]!.end).toBe(second);
  });

  it('holds back an unterminated last line until its line break arrives', () => {
    const text = 'Waktu;Nomor\r\n30/11/2026 10:15;0812\r\n30/11/2026 10:20;08';
    const { items, consumed } = parseCsvChunk(Buffer.from(text), options);
    expect(fieldsOf(items)).toEqual([
      ['Waktu', 'Nomor'],
      ['30/11/2026 10:15', '0812'],
    ]);
    expect(consumed).toBe(text.indexOf('30/11/2026 10:20'));
  });

  it('holds back a record whose quoted field is still open, even across line breaks', () => {
    const text = 'a;b\n1;"first line\nsecond line\n';
    const { items, consumed } = parseCsvChunk(Buffer.from(text), { ...options, atFileStart: false });
    expect(fieldsOf(items)).toEqual([['a', 'b']]);
    expect(consumed).toBe(4);
  });

  it('takes the unterminated last line once the file is final, and reports a quote never closed', () => {
    const complete = parseCsvChunk(Buffer.from('a;b\n1;2'), { ...options, final: true });
    expect(fieldsOf(complete.items)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(complete.consumed).toBe(7);
    const open = parseCsvChunk(Buffer.from('a;b\n1;"never closed'), { ...options, final: true });
    expect(fieldsOf(open.items)).toEqual([['a', 'b'], 'a quoted field is never closed (missing ")']);
    expect(open.items[1]!.end).toBe(19);
    expect(open.consumed).toBe(19);
  });

  it('resumes in the middle of a file (no BOM there), skips empty lines and keeps a CR split from its LF harmless', () => {
    const first = parseCsvChunk(Buffer.from('1;2\r'), { ...options, atFileStart: false });
    expect(fieldsOf(first.items)).toEqual([['1', '2']]);
    const rest = parseCsvChunk(Buffer.from('\n\n3;4\n'), { ...options, atFileStart: false });
    expect(fieldsOf(rest.items)).toEqual([['3', '4']]);
    expect(rest.items[0]!.end).toBe(6);
  });

  it('keeps quotes inside unquoted fields and trims spaces around fields', () => {
    const { items } = parseCsvChunk(Buffer.from('ukuran 5" ; "kutip" \n'), { ...options, atFileStart: false });
    expect(fieldsOf(items)).toEqual([['ukuran 5"', 'kutip']]);
  });

  // "André … ‘suket pindah’ – 2 €" as Excel's plain CSV writes it on an Indonesian Windows (cp1252: 0x91/0x92/0x96/0x80).
  const cp1252 = Buffer.from([
    ...Buffer.from('Andr'),
    0xe9,
    ...Buffer.from(';minta '),
    0x91,
    ...Buffer.from('suket pindah'),
    0x92,
    0x20,
    0x96,
    ...Buffer.from(' 2 '),
    0x80,
    0x0a,
  ]);

  it.each(['auto', 'windows-1252'] as const)(
    "decodes Windows-1252 (Excel's plain CSV on Windows) with encoding %s",
    (encoding) => {
      const { items, consumed } = parseCsvChunk(cp1252, { ...options, encoding });
      expect(fieldsOf(items)).toEqual([['André', 'minta ‘suket pindah’ – 2 €']]);
      expect(consumed).toBe(cp1252.length);
    },
  );

  it('auto reads UTF-8 with or without a BOM as UTF-8', () => {
    const text = 'Andr\u00e9;minta \u2018suket pindah\u2019\n';
    for (const buf of [Buffer.from(text), Buffer.from('\ufeff' + text)]) {
      expect(fieldsOf(parseCsvChunk(buf, { ...options, encoding: 'auto' }).items)).toEqual([
        ['André', 'minta ‘suket pindah’'],
      ]);
    }
  });

  it('an explicit utf8 override does not fall back (bad bytes become U+FFFD)', () => {
    expect(fieldsOf(parseCsvChunk(cp1252, { ...options, encoding: 'utf8' }).items)).toEqual([
      ['Andr\ufffd', 'minta \ufffdsuket pindah\ufffd \ufffd 2 \ufffd'],
    ]);
  });

  it('gives record ends in file bytes for Windows-1252, so a checkpoint resumes at the right byte', () => {
    const two = Buffer.concat([
      cp1252,
      Buffer.from([0x4b, 0x54, 0x50, 0xa0, 0x3b, 0xe9, 0x0a]),
      Buffer.from('half;writ'),
    ]);
    const { items, consumed } = parseCsvChunk(two, { ...options, encoding: 'auto' });
    expect(items.map((i) => i.end)).toEqual([cp1252.length, cp1252.length + 7]);
    expect(consumed).toBe(cp1252.length + 7);
    expect(fieldsOf(items)[1]).toEqual(['KTP', 'é']); // a no-break space (0xA0) is trimmed like a space
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['\ufeffWaktu;Nomor;Agen;Ringkasan', ';'],
    ['Waktu,Nomor,Agen,Ringkasan', ','],
    ['Waktu\tNomor\tAgen', '\t'],
    ['Waktu|Nomor|Agen', '|'],
    ['"Waktu, jam";Nomor;Agen', ';'],
    ['Ringkasan', ','],
  ])('%j → %j', (line, expected) => {
    expect(detectDelimiter(line)).toBe(expected);
  });
});
