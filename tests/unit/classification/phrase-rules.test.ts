import { createTextNormalizer } from '../../../src/domain/classification';
import { PhraseRules } from '../../../src/domain/classification/phrase-rules';

const normalize = createTextNormalizer({ slang: { akte: 'akta', blm: 'belum', 'e-ktp': 'ktp' } });

describe('phrase rules', () => {
  const rules = new PhraseRules(
    [
      { category: 'direct-marriage-registration', phrase: 'menikah', weight: 1 },
      { category: 'unmarried-certificate', phrase: 'belum menikah', weight: 3 },
      { category: 'deed-validity', phrase: 'keabsahan akte', weight: 4 },
      { category: 'population-data-check', phrase: 'E-KTP belum jadi', weight: 3 },
    ],
    normalize,
  );

  it('matches whole-word sequences after normalization, on both sides', () => {
    expect(rules.match(normalize('Mohon cek keabsahan AKTA kelahiran')).map((m) => m.phrase)).toEqual([
      'keabsahan akte',
    ]);
    expect(rules.match(normalize('e-ktp blm jadi')).map((m) => m.phrase)).toEqual(['E-KTP belum jadi']);
    expect(rules.match(normalize('kami menikahkan anak'))).toEqual([]);
  });

  it('lets the more specific phrase win where two overlap', () => {
    const found = rules.match(normalize('sy blm menikah, mau minta surat'));
    expect(found).toEqual([{ category: 'unmarried-certificate', phrase: 'belum menikah', weight: 3 }]);
  });

  it('counts a phrase once however often it occurs, and still sees separate places', () => {
    const found = rules.match(normalize('menikah... menikah! tapi adik saya belum menikah'));
    expect(found.map((m) => m.phrase).sort()).toEqual(['belum menikah', 'menikah']);
  });
});

describe('phrase rules with filler words', () => {
  const rules = new PhraseRules(
    [{ category: 'population-data-check', phrase: 'ktp belum jadi', weight: 3 }],
    normalize,
  );

  it('allows up to two pronouns or particles between the words of a phrase', () => {
    expect(rules.match(normalize('KTP saya belum jadi'))).toHaveLength(1);
    expect(rules.match(normalize('ktp anak saya belum jadi'))).toHaveLength(1);
    expect(rules.match(normalize('ktp anak saya sih belum jadi'))).toHaveLength(0);
    expect(rules.match(normalize('ktp hilang belum jadi'))).toHaveLength(0);
  });
});

describe('phrase rules with gaps', () => {
  const rules = new PhraseRules(
    [
      { category: 'document-requirements', phrase: 'syarat ... apa saja', weight: 3 },
      { category: 'document-requirements', phrase: 'syarat', weight: 2 },
      { category: 'skpwni-online', phrase: 'pindah ke', weight: 1.5 },
      { category: 'out-of-domicile-marriage-deed', phrase: 'nikah ... _luar_dairi_', weight: 3 },
    ],
    createTextNormalizer({ slang: { aja: 'saja' }, outsidePlaces: ['medan'] }),
  );
  const normalizeWithPlaces = createTextNormalizer({ slang: { aja: 'saja' }, outsidePlaces: ['medan'] });

  it('lets " ... " stand for up to six words, and counts the words in between as separate phrases', () => {
    const found = rules.match(normalizeWithPlaces('syarat pindah ke luar kota apa aja?')).map((m) => m.phrase);
    expect(found.sort()).toEqual(['pindah ke', 'syarat ... apa saja']);
    expect(rules.match(normalizeWithPlaces('syarat a b c d e f g apa saja')).map((m) => m.phrase)).toEqual(['syarat']);
  });

  it('shows the outside-Dairi marker to staff in words', () => {
    expect(rules.match(normalizeWithPlaces('kami nikah di gereja di Medan')).map((m) => m.phrase)).toEqual([
      'nikah ... luar Dairi',
    ]);
  });
});

describe('phrase rules matching the same words', () => {
  it('keeps only the heavier of two phrases that found the very same words', () => {
    const rules = new PhraseRules(
      [
        { category: 'population-data-check', phrase: 'ktp ... belum jadi', weight: 2.5 },
        { category: 'population-data-check', phrase: 'ktp belum jadi', weight: 3 },
      ],
      normalize,
    );
    expect(rules.match(normalize('ktp belum jadi')).map((m) => m.phrase)).toEqual(['ktp belum jadi']);
    expect(rules.match(normalize('ktp yg sy urus belum jadi')).map((m) => m.phrase)).toEqual(['ktp ... belum jadi']);
  });
});
