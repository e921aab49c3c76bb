import { checkNik, PROVINCE_CODES, validNik } from '../../../src/domain/citizens/nik';

describe('checkNik', () => {
  test.each([
    ['1211021505900001', 'L', 15, 5], // Dairi, man born 15 May (19)90
    ['1211025505900001', 'P', 15, 5], // the same date for a woman: day + 40
    ['1211 0255 0690 0003', 'P', 15, 6],
    ['1211.0229.0200.0012', 'L', 29, 2], // 29 Feb 2000
    ['3171017112990001', 'P', 31, 12], // Jakarta, 31 December (+40)
    ['9401010101010001', 'L', 1, 1], // Papua Tengah
  ])('%s is a valid NIK', (raw, sex, day, month) => {
    const checked = checkNik(raw);
    expect(checked).toMatchObject({ ok: true, sex, birth: { day, month } });
    if (checked.ok) expect(checked.nik).toMatch(/^\d{16}$/);
  });

  test.each([
    ['121102150590000', 'NIK harus 16 digit'],
    ['12110215059000012', 'NIK harus 16 digit'],
    ['1211O21505900001', 'NIK harus 16 digit'],
    ['2011021505900001', 'kode provinsi 20 tidak dikenal'],
    ['1000021505900001', 'kode provinsi 10 tidak dikenal'],
    ['9901021505900001', 'kode provinsi 99 tidak dikenal'],
    ['1200021505900001', 'kode kabupaten/kota 00 tidak ada'],
    ['1211001505900001', 'kode kecamatan 00 tidak ada'],
    ['1211020013900001', 'bulan lahir 13 tidak ada'],
    ['1211020000900001', 'bulan lahir 0 tidak ada'],
    ['1211023204900001', 'tanggal lahir 32 tidak ada'], // 32 is neither a man's day nor a woman's (+40)
    ['1211023104900001', 'tanggal lahir 31 tidak ada'], // 31 April
    ['1211027104900001', 'tanggal lahir 71 tidak ada'], // a woman's 31 April
    ['1211023002900001', 'tanggal lahir 30 tidak ada'],
    ['1211022902010001', 'tanggal lahir 29 tidak ada'], // 29 Feb (20)01
    ['1211024000900001', 'bulan lahir 0 tidak ada'],
    ['1211024005900001', 'tanggal lahir 40 tidak ada'],
    ['1211021505900000', 'nomor urut 0000 tidak ada'],
    ['+6281234567890', 'NIK harus 16 digit'],
  ])('%s is refused: %s', (raw, reason) => {
    expect(checkNik(raw)).toEqual({ ok: false, reason });
  });

  test('the province table holds Aceh (11) to the Papua provinces and Dairi is 12 11', () => {
    expect(PROVINCE_CODES['11']).toBe('Aceh');
    expect(PROVINCE_CODES['12']).toBe('Sumatera Utara');
    expect(PROVINCE_CODES['94']).toBe('Papua Tengah');
    expect(Object.keys(PROVINCE_CODES)).toHaveLength(38);
    expect(checkNik('1211021505900001')).toMatchObject({ province: '12', regency: '1211' });
  });

  test('hostile input is refused at once', () => {
    expect(checkNik('1'.repeat(100_000))).toEqual({ ok: false, reason: 'terlalu panjang' });
    expect(validNik(undefined)).toBeUndefined();
    expect(validNik('1211-0215-0590-0001')).toBe('1211021505900001');
  });
});
