import { loadSlang } from '../../../src/config/classifier-data';
import {
  createTextNormalizer,
  maskNumbers,
  NIK_TOKEN,
  OUTSIDE_DAIRI_TOKEN,
  PHONE_TOKEN,
} from '../../../src/domain/classification';
import { CONFIG_DIR } from './helpers';

const slang = loadSlang(CONFIG_DIR);
const normalize = createTextNormalizer({ slang, knownWords: new Set(['maaf', 'saat']) });
const words = (text: string) => normalize(text).join(' ');

describe('text normalization', () => {
  it('expands chat abbreviations from config/slang.yaml', () => {
    expect(words('sy tdk bs, gk ngerti, ga ada, blm jadi, udh lama, gmn ini, tlg, mhn dibantu')).toBe(
      'saya tidak bisa tidak ngerti tidak ada belum jadi sudah lama bagaimana ini tolong mohon dibantu',
    );
    expect(words('dgn yg krn')).toBe('dengan yang karena');
  });

  it('maps every spelling of the identity card and "akte" to one word', () => {
    for (const spelling of ['e-ktp', 'ektp', 'KTP-el', 'E-KTP', 'ktp']) expect(words(spelling)).toBe('ktp');
    expect(words('Akte Kelahiran')).toBe('akta kelahiran');
    expect(words('e-KTPnya')).toBe('ktp');
  });

  it('lowercases, drops emoji and punctuation, and removes accents', () => {
    expect(words('TOLONG!!! 🙏🙏 KTP—saya… “hilang”?? 😭')).toBe('tolong ktp saya hilang');
    expect(words('Café')).toBe('cafe');
  });

  it('collapses repeated letters, keeping real double letters', () => {
    expect(words('tolonggg kakkk pleaseee')).toBe('tolong kak please');
    expect(words('maaaaf')).toBe('maaf');
    expect(words('lamaaaa bangettt')).toBe('lama banget');
  });

  it('strips the -nya suffix but not roots ending in it', () => {
    expect(words('ktpnya aktanya syaratnya')).toBe('ktp akta syarat');
    expect(words('saya mau bertanya, hanya punya kk')).toBe('saya mau bertanya hanya punya kk');
  });

  it('reads chat reduplication and hyphenated repeats as the plain word', () => {
    expect(words('syarat2 surat-surat')).toBe('syarat surat');
  });

  it('replaces NIK/KK numbers and phone numbers by placeholders before anything else', () => {
    expect(maskNumbers('NIK 1211074405880001')).toContain(NIK_TOKEN);
    expect(words('NIK saya 1211074405880001 dan KK 1211 0744 0588 0002')).toBe(
      `nik saya ${NIK_TOKEN} dan kk ${NIK_TOKEN}`,
    );
    for (const phone of ['0812-3456-7890', '+62 812 3456 7890', '081234567890', '62812345678']) {
      expect(words(`hubungi ${phone} ya`)).toBe(`hubungi ${PHONE_TOKEN} ya`);
    }
    expect(normalize('1211074405880001 0812-3456-7890').join(' ')).not.toMatch(/\d{4}/);
  });

  it('drops other numbers (dates, counts), which say nothing about the kind', () => {
    expect(words('sudah 3 minggu sejak 12/05/2024')).toBe('sudah minggu sejak');
  });

  it('can apply a stemmer after slang expansion, never to placeholders', () => {
    const stemmed = createTextNormalizer({ slang, stem: (w) => w.replace(/^per|an$/g, '') });
    expect(stemmed('perkawinan 1211074405880001')).toEqual(['kawin', NIK_TOKEN]);
  });

  it('returns no tokens for empty or emoji-only text', () => {
    expect(normalize('')).toEqual([]);
    expect(normalize('🙏🙏😭😭 ... !!!')).toEqual([]);
  });

  it('marks places outside Dairi, including names of several words', () => {
    const withPlaces = createTextNormalizer({ slang, outsidePlaces: ['medan', 'pematang siantar', 'luar negeri'] });
    expect(withPlaces('Kami nikah di MEDAN')).toEqual(['kami', 'nikah', 'di', 'medan', OUTSIDE_DAIRI_TOKEN]);
    expect(withPlaces('pindah ke Pematang Siantar').join(' ')).toBe(
      `pindah ke pematang siantar ${OUTSIDE_DAIRI_TOKEN}`,
    );
    expect(withPlaces('kerja di luar negeri').join(' ')).toBe(`kerja di luar negeri ${OUTSIDE_DAIRI_TOKEN}`);
    expect(withPlaces('nikah di Sidikalang')).not.toContain(OUTSIDE_DAIRI_TOKEN);
  });
});
