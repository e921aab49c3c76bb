import { buildClassifier } from '../../../src/domain/classification';
import { loadShippedData, MIN_CONFIDENCE } from './helpers';

const data = loadShippedData();
const classifier = buildClassifier({ ...data, minConfidence: MIN_CONFIDENCE });
const clear = { text: 'Min, sy lupa password akun Perkebbas, tlg direset ya. Sudah coba login berkali-kali gagal.' };

describe('confidence threshold', () => {
  it('sends everything below minConfidence to other, keeping the evidence', () => {
    const strict = classifier.withMinConfidence(1.01);
    const result = strict.classify(clear);
    expect(result.category).toBe('other');
    expect(result.targetMinutes).toBe(24 * 60);
    expect(result.evidence).toEqual(expect.arrayContaining(['lupa password']));
  });

  it('keeps the kind when the confidence reaches the threshold', () => {
    const result = classifier.withMinConfidence(0).classify(clear);
    expect(result.category).toBe('perkebbas-account');
    expect(result.targetMinutes).toBe(15);
    expect(classifier.classify(clear).confidence).toBeGreaterThanOrEqual(MIN_CONFIDENCE);
  });
});

describe('evidence shown to staff', () => {
  it('lists the configured phrases that matched, then the words the model relied on', () => {
    const result = classifier.classify(clear);
    expect(result.evidence).toEqual(expect.arrayContaining(['lupa password', 'akun perkebbas']));
    expect(result.evidence.length).toBeLessThanOrEqual(9);
  });

  it('counts the email subject as part of the complaint', () => {
    const result = classifier.classify({
      subject: 'Permohonan SKPWNI (surat pindah keluar)',
      text: 'Mohon bantuannya. Terima kasih.',
    });
    expect(result.category).toBe('skpwni-online');
    expect(result.evidence).toEqual(expect.arrayContaining(['skpwni']));
  });

  it('uses phrases an admin adds, without code changes', () => {
    const categories = structuredClone(data.categories);
    categories['deed-validity'].phrases.push({ phrase: 'frasa uji khusus', weight: 10 });
    const tuned = buildClassifier({ ...data, categories, minConfidence: MIN_CONFIDENCE });
    const text = { text: 'mohon frasa uji khusus segera' };
    const result = tuned.classify(text);
    // The phrase alone makes its kind the likeliest and leads the evidence; whether such a short text is
    // routed or triaged (naming the kind) depends on routing.minConfidence.
    expect(classifier.classify(text).candidates?.[0]?.category).not.toBe('deed-validity');
    expect(result.candidates?.[0]?.category).toBe('deed-validity');
    expect(result.evidence[0]).toBe('frasa uji khusus');
    expect(tuned.withMinConfidence(0.5).classify(text).category).toBe('deed-validity');
  });

  it('never shows NIK or phone numbers as evidence', () => {
    const result = classifier.classify({ text: 'NIK 1211074405880001 tidak padan di BPJS, hubungi 0812-3456-7890' });
    expect(result.category).toBe('nik-consolidation');
    expect(result.evidence.join(' ')).not.toMatch(/\d{4}|_nik_|_telp_/);
  });
});

describe('building', () => {
  it('works from the configured phrases alone when no examples are shipped', () => {
    const phrasesOnly = buildClassifier({ ...data, examples: [], minConfidence: MIN_CONFIDENCE });
    const result = phrasesOnly.classify({ text: 'Mohon bantuan reset password akun perkebbas saya' });
    expect(result.category).toBe('perkebbas-account');
    expect(phrasesOnly.classify({ text: 'halo' }).category).toBe('other');
  });
});
