/**
 * The survey instrument (PermenPAN-RB 14/2017): the elements (unsur) rated 1–4, their Indonesian question and
 * answer labels and weights, and the overall question on how the complaint was handled. Admins may replace it
 * with a YAML file (config `survey.instrumentFile`); the schema checks the weights sum to 1. Pure.
 */

/** Answers are scored 1 (worst) to 4 (best); there is no neutral answer. */
export const SCORES = [1, 2, 3, 4] as const;
export type Score = (typeof SCORES)[number];

export interface SurveyElement {
  /** Stable key (U1…U9): stored with each answer. */
  key: string;
  /** The element's name as the regulation calls it (Persyaratan, …). */
  label: string;
  /** The question the respondent reads. */
  question: string;
  /** Labels of the answers scored 1, 2, 3 and 4. */
  answers: readonly [string, string, string, string];
  /** Share in the weighted sum; all weights sum to 1 (default: equal shares). */
  weight: number;
}

export interface SurveyInstrument {
  elements: readonly SurveyElement[];
  /** The one question on how the complaint was handled (also the "Balas 1–4" quick answer in chat). */
  overall: { question: string; answers: readonly [string, string, string, string] };
}

export type Gender = 'laki-laki' | 'perempuan';

/** The optional respondent profile the regulation's form asks for; never required. */
export interface RespondentProfile {
  gender?: Gender;
  age?: string;
  education?: string;
  occupation?: string;
}

export const AGE_OPTIONS = ['< 20', '20–29', '30–39', '40–49', '50–59', '≥ 60'] as const;
export const EDUCATION_OPTIONS = ['SD', 'SMP', 'SMA/SMK', 'D1–D3', 'D4/S1', 'S2/S3', 'Lainnya'] as const;
export const OCCUPATION_OPTIONS = [
  'PNS/TNI/Polri',
  'Pegawai swasta',
  'Wiraswasta',
  'Petani',
  'Pelajar/Mahasiswa',
  'Ibu rumah tangga',
  'Lainnya',
] as const;

/**
 * `closure`: asked after a complaint was resolved ("survei kepuasan pasca-pengaduan"), a sample of complainants
 * only, never the official SKM. `service`: a service user's survey (counter QR code, or entered by staff): the
 * official SKM. The two are never mixed.
 */
export const SURVEY_SOURCES = ['closure', 'service'] as const;
export type SurveySource = (typeof SURVEY_SOURCES)[number];

/** One submitted survey. */
export interface SurveyResponse {
  id: string;
  source: SurveySource;
  submittedAt: string;
  /** Element key → score; an element left unanswered is absent. */
  answers: Record<string, Score>;
  /** The overall 1–4 rating of how the complaint was handled (closure surveys). */
  overall?: Score;
  /** "Kritik dan saran", as written. */
  suggestion?: string;
  profile?: RespondentProfile;
  /** Closure surveys: the ticket and what it was, for the per-kind/channel/team figures. */
  ticketId?: string;
  ticketNumber?: string;
  channel?: string;
  kind?: string;
  team?: string;
  /** How it arrived: `page`, `chat` (the quick answer), `staff` (`aduan survey enter`). */
  via: 'page' | 'chat' | 'staff';
}

const U = (
  key: string,
  label: string,
  question: string,
  answers: readonly [string, string, string, string],
): Omit<SurveyElement, 'weight'> => ({ key, label, question, answers });

const ELEMENTS = [
  U('U1', 'Persyaratan', 'Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?', [
    'Tidak sesuai',
    'Kurang sesuai',
    'Sesuai',
    'Sangat sesuai',
  ]),
  U('U2', 'Sistem, Mekanisme, dan Prosedur', 'Bagaimana kemudahan prosedur pelayanan di unit ini?', [
    'Tidak mudah',
    'Kurang mudah',
    'Mudah',
    'Sangat mudah',
  ]),
  U('U3', 'Waktu Penyelesaian', 'Bagaimana kecepatan waktu dalam memberikan pelayanan?', [
    'Tidak cepat',
    'Kurang cepat',
    'Cepat',
    'Sangat cepat',
  ]),
  U('U4', 'Biaya/Tarif', 'Bagaimana kewajaran biaya/tarif dalam pelayanan?', [
    'Sangat mahal',
    'Cukup mahal',
    'Murah',
    'Gratis',
  ]),
  U('U5', 'Produk Spesifikasi Jenis Pelayanan', 'Bagaimana kesesuaian hasil pelayanan dengan standar pelayanan?', [
    'Tidak sesuai',
    'Kurang sesuai',
    'Sesuai',
    'Sangat sesuai',
  ]),
  U('U6', 'Kompetensi Pelaksana', 'Bagaimana kompetensi/kemampuan petugas dalam pelayanan?', [
    'Tidak kompeten',
    'Kurang kompeten',
    'Kompeten',
    'Sangat kompeten',
  ]),
  U('U7', 'Perilaku Pelaksana', 'Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?', [
    'Tidak sopan dan ramah',
    'Kurang sopan dan ramah',
    'Sopan dan ramah',
    'Sangat sopan dan ramah',
  ]),
  U('U8', 'Penanganan Pengaduan, Saran dan Masukan', 'Bagaimana penanganan pengaduan pengguna layanan?', [
    'Tidak ada',
    'Ada tetapi tidak berfungsi',
    'Berfungsi kurang maksimal',
    'Dikelola dengan baik',
  ]),
  U('U9', 'Sarana dan Prasarana', 'Bagaimana kualitas sarana dan prasarana pelayanan?', [
    'Buruk',
    'Cukup',
    'Baik',
    'Sangat baik',
  ]),
];

/** The 9 elements of PermenPAN-RB 14/2017 with the labels commonly used on its forms, equal weights. */
export const DEFAULT_INSTRUMENT: SurveyInstrument = {
  elements: ELEMENTS.map((e) => ({ ...e, weight: 1 / ELEMENTS.length })),
  overall: {
    question: 'Secara keseluruhan, bagaimana penanganan pengaduan Anda?',
    answers: ['Tidak puas', 'Kurang puas', 'Puas', 'Sangat puas'],
  },
};

/** Whether a value is a score 1–4. */
export function isScore(value: unknown): value is Score {
  return value === 1 || value === 2 || value === 3 || value === 4;
}
