import { mulberry32 as random } from '../../../src/domain/classification/random';
import { maskAllPersonalData, maskIdentityNumbers, redactPersonalData } from '../../../src/domain/personal-data';

/**
 * Property-style: NIK/KK and phone numbers written the ways people write them, generated from a
 * seeded random source (the seed is printed on failure), none of which may survive masking; and the
 * numbers staff need to read (ticket numbers, dates, amounts, queue numbers) that must survive it.
 */

const SEED = Number(process.env.MASK_SEED ?? 20261206);
const rnd = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rnd() * 10))).join('');

const NIK_GROUPINGS = [
  [16],
  [4, 4, 4, 4],
  [6, 6, 4],
  [2, 2, 2, 6, 4],
  [8, 8],
  [4, 12],
  [6, 10],
  [2, 2, 2, 10],
  [4, 4, 8],
  [3, 3, 3, 3, 4],
  [6, 6, 2, 2],
];
const SEPARATORS = [' ', '.', '-', '/', '  ', ' - ', '. ', ' / '];
const LINE_BREAKS = ['\n', '\r\n', ' \n', '\n '];
const CONTEXTS = [
  'NIK saya {} mohon dibantu',
  '{}',
  'KK: {}.',
  'NIK:{}',
  '(NIK {})',
  'no kk\n{}\nterima kasih',
  'nik={}&x',
  '"nik":"{}"',
  'Nomor KTP {}, alamat Sidikalang',
];

function nikSpelling(): { nik: string; text: string } {
  const nik = String(1 + Math.floor(rnd() * 9)) + digits(15);
  const grouping = rnd() < 0.15 ? randomGrouping() : pick(NIK_GROUPINGS);
  const breakAt = grouping.length > 1 && rnd() < 0.3 ? 1 + Math.floor(rnd() * (grouping.length - 1)) : -1;
  const sep = pick(SEPARATORS);
  const mixed = rnd() < 0.3;
  let at = 0;
  let written = '';
  grouping.forEach((size, i) => {
    if (i > 0) written += i === breakAt ? pick(LINE_BREAKS) : mixed ? pick(SEPARATORS) : sep;
    written += nik.slice(at, at + size);
    at += size;
  });
  return { nik, text: pick(CONTEXTS).replace('{}', written) };
}

function randomGrouping(): number[] {
  const parts: number[] = [];
  let left = 16;
  while (left > 0) {
    const size = Math.min(left, 2 + Math.floor(rnd() * 5));
    parts.push(size);
    left -= size;
  }
  return parts;
}

function phoneSpelling(): { national: string; text: string } {
  const national = `8${pick(['11', '12', '13', '21', '22', '52', '53', '77', '78', '95', '96'])}${digits(6 + Math.floor(rnd() * 3))}`;
  const split = (s: string) => {
    const shape = pick([[3, 4], [4, 4], [3, 3], [4, 3], [s.length]]);
    const out: string[] = [];
    let at = 0;
    for (const size of shape) if (at < s.length) out.push(s.slice(at, (at += size)));
    if (at < s.length) out.push(s.slice(at));
    return out;
  };
  const sep = pick([' ', '-', '.', '']);
  const [first, ...rest] = split(national);
  const tail = rest.length ? sep + rest.join(sep || '') : '';
  const written = pick([
    `0${first}${tail}`,
    `(0${first})${tail ? ' ' + rest.join(sep || ' ') : ''}`,
    `+62 ${first}${tail}`,
    `+62${first}${tail}`,
    `62${first}${tail}`,
    `62 ${first}${tail}`,
    `+62-${first}${tail}`,
    `+62 (0)${first}${tail}`,
    `(+62) ${first}${tail}`,
  ]);
  return {
    national,
    text: pick(['hp {}', 'WA: {}.', 'telp/WA {} a.n. Budi', '{}', 'hubungi {}, terima kasih']).replace('{}', written),
  };
}

const onlyDigits = (s: string) => s.replace(/\D/g, '');

describe(`NIK/KK spellings (seed ${SEED})`, () => {
  const cases = Array.from({ length: 3000 }, nikSpelling);

  it('none survives the team-mail masking; the last four digits stay', () => {
    const survivors = cases.filter(({ nik, text }) => onlyDigits(maskIdentityNumbers(text)).includes(nik.slice(0, 12)));
    expect(survivors.slice(0, 5).map((c) => JSON.stringify(c.text))).toEqual([]);
    for (const { nik, text } of cases.slice(0, 200)) expect(maskIdentityNumbers(text)).toContain(nik.slice(-4));
  });

  it('none survives the log scrubber, also inside JSON where a line break is written \\n', () => {
    const survivors = cases.filter(({ nik, text }) =>
      onlyDigits(redactPersonalData(JSON.stringify({ msg: text }))).includes(nik.slice(0, 12)),
    );
    expect(survivors.slice(0, 5).map((c) => JSON.stringify(c.text))).toEqual([]);
  });
});

describe(`phone spellings (seed ${SEED})`, () => {
  const cases = Array.from({ length: 3000 }, phoneSpelling);

  it('none survives the log scrubber or the staff printout masking', () => {
    for (const mask of [redactPersonalData, maskAllPersonalData]) {
      const survivors = cases.filter(({ national, text }) => onlyDigits(mask(text)).includes(national.slice(0, -3)));
      expect(survivors.slice(0, 5).map((c) => c.text)).toEqual([]);
    }
  });

  it('team mail keeps them (call-back tasks need the number)', () => {
    for (const { text } of cases.slice(0, 300)) expect(maskIdentityNumbers(text)).toBe(text);
  });
});

describe('numbers staff must still read', () => {
  test.each([
    'Tiket ADU-2026-000123 sudah dibuat',
    'tanggal 30/11/2026 jam 09.30',
    'tanggal 02-12-2026 10.30 WIB',
    '2026-11-30T03:40:00.000Z',
    'biaya Rp 350.000 dan Rp 1.250.000,00',
    'Rp350.000',
    'nomor antrian A012, loket 03',
    'RT 002/RW 005, kode pos 22211',
    'akta nomor 1211-LT-30112026-0012',
    'port 6379 after 2000 ms',
    'tahun 2019 sampai 2026, 3 lembar',
    'ADU-2026-000123 dan ADU-2026-000124',
  ])('%s', (text) => {
    expect(maskIdentityNumbers(text)).toBe(text);
    expect(maskAllPersonalData(text)).toBe(text);
    expect(redactPersonalData(text)).toBe(text);
  });
});
