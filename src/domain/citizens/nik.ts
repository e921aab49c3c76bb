/**
 * The structure of a NIK (Nomor Induk Kependudukan), checked before it may link two citizen records:
 * PP KK CC DDMMYY SSSS — province, regency/city, kecamatan, date of birth (day + 40 for women), serial.
 * A structure check cannot prove a NIK is issued (only Dukcapil's database can), but it keeps typos,
 * phone numbers and KK-shaped guesses from joining two people.
 */

/** Province codes of Kemendagri (Permendagri 72/2019 and the Papua provinces of 2022). */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '11': 'Aceh',
  '12': 'Sumatera Utara',
  '13': 'Sumatera Barat',
  '14': 'Riau',
  '15': 'Jambi',
  '16': 'Sumatera Selatan',
  '17': 'Bengkulu',
  '18': 'Lampung',
  '19': 'Kepulauan Bangka Belitung',
  '21': 'Kepulauan Riau',
  '31': 'DKI Jakarta',
  '32': 'Jawa Barat',
  '33': 'Jawa Tengah',
  '34': 'DI Yogyakarta',
  '35': 'Jawa Timur',
  '36': 'Banten',
  '51': 'Bali',
  '52': 'Nusa Tenggara Barat',
  '53': 'Nusa Tenggara Timur',
  '61': 'Kalimantan Barat',
  '62': 'Kalimantan Tengah',
  '63': 'Kalimantan Selatan',
  '64': 'Kalimantan Timur',
  '65': 'Kalimantan Utara',
  '71': 'Sulawesi Utara',
  '72': 'Sulawesi Tengah',
  '73': 'Sulawesi Selatan',
  '74': 'Sulawesi Tenggara',
  '75': 'Gorontalo',
  '76': 'Sulawesi Barat',
  '81': 'Maluku',
  '82': 'Maluku Utara',
  '91': 'Papua',
  '92': 'Papua Barat',
  '93': 'Papua Selatan',
  '94': 'Papua Tengah',
  '95': 'Papua Pegunungan',
  '96': 'Papua Barat Daya',
};

/** Kabupaten Dairi (Sumatera Utara): the office's own regency. */
export const DAIRI_REGENCY = '1211';

export type NikCheck =
  | {
      ok: true;
      nik: string;
      province: string;
      /** Province + regency: 1211 for Dairi. */
      regency: string;
      sex: 'L' | 'P';
      /** DDMMYY with the women's +40 removed (the century is not in a NIK). */
      birth: { day: number; month: number; year2: number };
    }
  | { ok: false; reason: string };

/** Checks a NIK as written (spaces, dots and dashes between digits allowed). */
export function checkNik(raw: string): NikCheck {
  if (raw.length > 40) return { ok: false, reason: 'terlalu panjang' };
  const nik = raw.replace(/[\s.-]/g, '');
  if (!/^\d{16}$/.test(nik)) return { ok: false, reason: 'NIK harus 16 digit' };
  const province = nik.slice(0, 2);
  if (!PROVINCE_CODES[province]) return { ok: false, reason: `kode provinsi ${province} tidak dikenal` };
  const regency = Number(nik.slice(2, 4));
  if (regency < 1) return { ok: false, reason: 'kode kabupaten/kota 00 tidak ada' };
  if (Number(nik.slice(4, 6)) < 1) return { ok: false, reason: 'kode kecamatan 00 tidak ada' };
  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const year2 = Number(nik.slice(10, 12));
  const sex = rawDay > 40 ? 'P' : 'L';
  const day = sex === 'P' ? rawDay - 40 : rawDay;
  if (month < 1 || month > 12) return { ok: false, reason: `bulan lahir ${month} tidak ada` };
  if (day < 1 || day > daysIn(month, year2)) return { ok: false, reason: `tanggal lahir ${rawDay} tidak ada` };
  if (nik.slice(12) === '0000') return { ok: false, reason: 'nomor urut 0000 tidak ada' };
  return { ok: true, nik, province, regency: nik.slice(0, 4), sex, birth: { day, month, year2 } };
}

/** The valid NIK in `raw`, or undefined. */
export function validNik(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const checked = checkNik(raw);
  return checked.ok ? checked.nik : undefined;
}

/** The century is unknown: 29 February counts when either 19yy or 20yy is a leap year (only 00 differs). */
function daysIn(month: number, year2: number): number {
  if (month === 2) return year2 % 4 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
