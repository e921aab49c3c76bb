import {
  extractIdentityNumbers,
  maskIdentityNumbers,
  maskNik,
  maskPhone,
  redactPersonalData,
} from '../../../src/domain/personal-data';
import { normalizePhone } from '../../../src/domain/phone';

describe('phone normalization to +62', () => {
  test.each([
    ['0812-3456-7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['(0627) 21234', '+6262721234'],
    ['+62 (0)812 3456 789', '+628123456789'],
    ['81234567890', '+6281234567890'],
  ])('%s → %s', (raw, expected) => expect(normalizePhone(raw)).toBe(expected));

  test.each([[''], ['abc'], ['12'], ['0812'], [undefined]])('rejects %p', (raw) =>
    expect(normalizePhone(raw)).toBeUndefined(),
  );
});

describe('masking personal data', () => {
  test('NIK keeps only the last four digits', () => {
    expect(maskNik('1211045706890002')).toBe('************0002');
  });

  test('phone keeps country code and last three digits', () => {
    expect(maskPhone('+6281234567890')).toBe('+62********890');
  });

  test('free text: NIK, KK and phone numbers are all masked, other numbers stay', () => {
    const text =
      'NIK 1211045706890002, KK 1211040101120003, hp 0812-3456-7890 atau +62 813 6123 4455, antrian A012, tahun 2019';
    const masked = redactPersonalData(text);
    expect(masked).not.toMatch(/1211045706890002|1211040101120003|3456-7890|6123 4455/);
    expect(masked).toContain('************0002');
    expect(masked).toContain('A012');
    expect(masked).toContain('2019');
  });

  test.each([
    ['NIK in groups of four', 'nik 3201 2345 6789 0001 ok', '3201 2345 6789'],
    ['NIK with dashes', 'nik 3201-2345-6789-0001', '3201-2345-6789'],
    ['NIK glued to an URL escape', 'q=%203201234567890001', '3201234567890001'],
    ['landline with area code', 'telp 021-5551234', '5551234'],
    ['landline in +62 form', 'telp +62 21 5551234', '5551234'],
    ['mobile with the prefix in brackets', 'hp (0812) 3456-7890', '3456-7890'],
    ['Dairi landline in brackets', 'kantor (0627) 21234', '21234'],
  ])('log scrubbing masks %s', (_name, text, hidden) => {
    expect(redactPersonalData(text)).not.toContain(hidden);
  });

  test.each([
    ['an ISO time', '"time":"2026-11-30T03:40:00.000Z"'],
    ['a ticket number', 'ADU-2026-000123'],
    ['a port and a duration', 'port 6379 after 2000 ms'],
  ])('log scrubbing leaves %s alone', (_name, text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  test('identity masking leaves phone numbers for staff who must call back', () => {
    expect(maskIdentityNumbers('NIK 1211045706890002 hp 081234567890')).toBe('NIK ************0002 hp 081234567890');
  });

  test('a 17-digit number is not a NIK', () => {
    expect(maskIdentityNumbers('no 12110457068900021')).toBe('no 12110457068900021');
  });

  test('extracts NIK and KK by their labels', () => {
    expect(extractIdentityNumbers('NIK saya: 1211045706890002 dan No. KK 1211040101120003')).toEqual({
      nik: '1211045706890002',
      kk: '1211040101120003',
    });
    expect(extractIdentityNumbers('nomor 1211045706890002 tanpa label')).toEqual({});
  });
});
