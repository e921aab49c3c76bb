import type { Ticket } from '../../../src/domain/complaint';
import { composeTeamMail } from '../../../src/domain/messages';
import { chooseTeam, type RoutingRules } from '../../../src/domain/routing';
import { loadConfig } from '../../../src/config/load';
import { CONFIG_DIR, shippedClassifier } from './helpers';

const classifier = shippedClassifier();
const clear = { text: 'Min, sy lupa password akun Perkebbas, tlg direset ya. Sudah coba login berkali-kali gagal.' };

describe('knowing when it does not know', () => {
  it('names the two likeliest kinds, likeliest first, with calibrated probabilities', () => {
    const result = classifier.classify(clear);
    expect(result.category).toBe('perkebbas-account');
    expect(result.triage).toBeUndefined();
    expect(result.candidates).toHaveLength(2);
    expect(result.candidates![0]).toEqual({ category: 'perkebbas-account', confidence: result.confidence });
    expect(result.candidates![1]!.confidence).toBeLessThan(result.confidence);
  });

  it('sends a close call to triage, naming both kinds', () => {
    const result = classifier.withMinConfidence(0, 1).classify(clear);
    expect(result).toMatchObject({ category: 'other', triage: 'close-call' });
    expect(result.candidates!.map((c) => c.category)[0]).toBe('perkebbas-account');
  });

  it('sends a low confidence to triage and says so', () => {
    const result = classifier.withMinConfidence(1.01).classify(clear);
    expect(result).toMatchObject({ category: 'other', triage: 'low-confidence' });
  });

  it('does not call `other` a triage of a kind when `other` itself is likeliest', () => {
    const text = 'Parkiran kantor sempit sekali, motor kami kehujanan. Mohon dibuatkan atap parkir.';
    const result = classifier.classify({ text });
    expect(result.category).toBe('other');
    expect(result.candidates![0]!.category).toBe('other');
    expect(result.triage).toBeUndefined();
  });

  it('a calibrated confidence is a probability: the kinds sum to one', () => {
    const probabilities = classifier.probabilitiesOf(clear);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});

describe('integrity complaints', () => {
  it('flags pungli next to the kind, with the phrase as evidence', () => {
    const text = 'petugas loket minta uang 100rb biar KTP sy cepat dicetak, katanya kalau tidak bayar ya tunggu blanko';
    const result = classifier.classify({ text });
    expect(result.integrity).toEqual(expect.arrayContaining(['minta uang']));
  });

  it('flags brokers and rude staff, and leaves ordinary complaints unflagged', () => {
    const integrityOf = (text: string) => classifier.classify({ text }).integrity;
    expect(integrityOf('ada calo di depan kantor nawarin KK jadi sehari')).toEqual(['calo']);
    expect(integrityOf('Pegawai di loket 2 membentak ibu saya yang sudah tua')).toEqual(['membentak']);
    expect(integrityOf(clear.text)).toBeUndefined();
    expect(integrityOf('apa saja syarat dan biaya membuat akta kelahiran?')).toBeUndefined();
  });

  it("the shipped configuration routes them to the supervisors, never to the kind's team", () => {
    const config = loadConfig(CONFIG_DIR, { ...process.env });
    expect(config.integrity?.team).toBe('pengawas');
    const rules: RoutingRules = {
      triageTeam: 'triase',
      integrityTeam: config.integrity!.team,
      byCategory: { 'population-data-check': 'piak' },
      byChannel: { 'walk-in': { 'population-data-check': 'informasi' } },
    };
    expect(chooseTeam(rules, 'population-data-check', 'email', true)).toBe('pengawas');
    expect(chooseTeam(rules, 'population-data-check', 'walk-in', true)).toBe('pengawas');
    expect(chooseTeam(rules, 'other', 'email', true)).toBe('pengawas');
    expect(chooseTeam(rules, 'population-data-check', 'email', false)).toBe('piak');
    const { integrityTeam: _unused, ...withoutIntegrityTeam } = rules;
    expect(chooseTeam(withoutIntegrityTeam, 'population-data-check', 'email', true)).toBe('piak');
  });
});

describe('team mail of a triaged or flagged ticket', () => {
  const ticket: Ticket = {
    id: 't1',
    ticketNumber: 'ADU-2026-000043',
    channel: 'messenger',
    sourceId: 'm1',
    references: [],
    receivedAt: '2026-11-30T09:00:00+07:00',
    complainant: { name: 'Rosma' },
    text: 'isi',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    status: 'received',
    targetMinutes: 1440,
    dueAt: '2026-12-01T02:00:00.000Z',
    team: 'triase',
    createdAt: '2026-11-30T02:00:00.000Z',
    history: [],
    classification: {
      category: 'other',
      confidence: 0.46,
      evidence: ['belum menikah'],
      triage: 'close-call',
      candidates: [
        { category: 'unmarried-certificate', confidence: 0.46 },
        { category: 'out-of-domicile-marriage-deed', confidence: 0.41 },
      ],
    },
  };
  const labels: Record<string, string> = {
    'unmarried-certificate': 'Surat Keterangan Belum Menikah',
    'out-of-domicile-marriage-deed': 'Akta Kawin Luar Domisili',
  };
  const base = {
    label: 'Lainnya',
    labelOf: (k: string) => labels[k] ?? k,
    targetText: '1 hari',
    teamName: 'Triase',
    timeZone: 'Asia/Jakarta',
    maskNik: true,
  };

  it('names the two candidate kinds and why it needs a look, in Indonesian', () => {
    const { text } = composeTeamMail({ ...base, ticket });
    expect(text).toContain(
      'Perlu ditelaah (dua jenis layanan hampir sama kuat): kemungkinan Surat Keterangan Belum Menikah (46%) ' +
        'atau Akta Kawin Luar Domisili (41%).',
    );
  });

  it('marks an integrity complaint and says who receives it', () => {
    const category = 'population-data-check' as const;
    const classification = { category, confidence: 0.9, evidence: [], integrity: ['pungli'] };
    const flagged = { ...ticket, team: 'pengawas', classification };
    const { text } = composeTeamMail({ ...base, ticket: flagged });
    expect(text).toContain('PERHATIAN: pengaduan integritas (pungli).');
    expect(text).toContain('tidak kepada tim yang dikeluhkan');
    expect(text).not.toContain('Perlu ditelaah');
  });
});
