/**
 * Complaints for the crash and outage runs: realistic Indonesian texts, each carrying a unique
 * reference marker (how a ticket is matched to what was fed) and personal data — a NIK (also KK) and
 * a phone number, written the ways citizens write them, in the text and in the complainant fields —
 * so the log scan has something to find if any of it leaks.
 */

export const FEED_CHANNELS = ['email', 'messenger', 'instagram', 'call-center', 'perkebbas', 'whatsapp'] as const;
export type FeedChannel = (typeof FEED_CHANNELS)[number];

/** Channels whose complaints get an automatic initial response in the runs (the call center has no gateway). */
export const REPLYING_CHANNELS: readonly FeedChannel[] = ['email', 'messenger', 'instagram', 'perkebbas', 'whatsapp'];

export interface FedComplaint {
  index: number;
  /** Unique in the run; appears in the complaint text: `Ref UJI-R3K-00042`. */
  marker: string;
  channel: FeedChannel;
  name: string;
  /** 16 digits. */
  nik: string;
  kk: string;
  /** E.164, +628…. */
  phone: string;
  text: string;
  subject: string;
  /** Whom the initial response must reach: email address, platform user id, portal record id, WhatsApp number:wa_id. */
  replyTo: string;
  expectAck: boolean;
  /** Email Message-ID, Graph message id or portal record id, once fed. */
  sourceId?: string;
}

/** The office number WhatsApp complaints are written to in the runs. */
export const WA_LINE = '106540352242922';

/** The same seed gives the same run plan (the classifier's seeded generator). */
export { mulberry32 as seededRandom } from '../../../src/domain/classification/random';

const FIRST = [
  'Rosmawati',
  'Marihot',
  'Tiurma',
  'Budi',
  'Rina',
  'Jonson',
  'Lamria',
  'Hotman',
  'Dameria',
  'Sahat',
  'Nurhayati',
  'Parlindungan',
  'Erna',
  'Togar',
  'Sondang',
];
const LAST = [
  'Sinaga',
  'Padang',
  'Manik',
  'Sitohang',
  'Capah',
  'Berutu',
  'Lingga',
  'Ujung',
  'Angkat',
  'Bancin',
  'Kudadiri',
  'Solin',
  'Tumangger',
  'Pasaribu',
];

const SUBJECTS = [
  'Pengaduan layanan',
  'Mohon bantuan',
  'KTP-el belum jadi',
  'Akta kelahiran',
  'Data tidak padan',
  'Pindah domisili',
  'Keluhan antrean',
];

const BODIES = [
  'KTP-el saya belum dicetak padahal sudah rekam sejak tiga bulan lalu. Mohon informasinya kapan bisa diambil.',
  'NIK saya ditolak waktu daftar BPJS Kesehatan karena data tidak padan. Mohon dibantu konsolidasi data.',
  'Akta kelahiran anak saya belum terbit padahal berkas sudah lengkap sejak bulan lalu.',
  'Saya mau mengurus surat pindah ke Kabupaten Karo, apa saja syaratnya dan apakah bisa online?',
  'Antrean di kantor Disdukcapil sangat panjang dan petugas loket kurang ramah. Mohon ditindaklanjuti.',
  'Nama ibu kandung di KK saya salah ketik, bagaimana cara memperbaikinya?',
  'Ibu saya sudah lanjut usia dan tidak bisa berjalan, mohon petugas datang ke rumah untuk perekaman KTP-el.',
  'Saya membutuhkan surat keterangan belum menikah untuk melengkapi berkas CPNS. Mohon informasi prosedurnya.',
  'Akta kematian ayah saya belum selesai, sudah tiga minggu menunggu.',
  'Data di aplikasi IKD tidak sesuai dengan KTP saya, mohon diperbaiki.',
];

const MOBILE_PREFIXES = ['812', '813', '821', '822', '852', '853', '811', '877', '878', '881', '895'];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function digits(random: () => number, count: number): string {
  return Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');
}

/** A Dairi NIK: 1211 + district + birth date (+40 for women) + serial. */
function nik(random: () => number): string {
  const district = String(1 + Math.floor(random() * 15)).padStart(2, '0');
  const day = 1 + Math.floor(random() * 28) + (random() < 0.5 ? 40 : 0);
  const month = 1 + Math.floor(random() * 12);
  const year = Math.floor(random() * 100);
  return `1211${district}${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year).padStart(2, '0')}${String(1 + Math.floor(random() * 9999)).padStart(4, '0')}`;
}

/** 3201234567890001 → one of the ways people write it. */
export function writeNik(value: string, style: number): string {
  const groups = value.match(/\d{4}/g)!;
  switch (style % 4) {
    case 0:
      return value;
    case 1:
      return groups.join(' ');
    case 2:
      return groups.join('-');
    default:
      return groups.join('.');
  }
}

/** +6281234567890 → +62 812-3456-7890, 081234567890, 6281234567890 or 0812 3456 7890. */
export function writePhone(e164: string, style: number): string {
  const national = e164.slice(3);
  const spaced = `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  switch (style % 4) {
    case 0:
      return `+62 ${spaced.replace(/ /g, '-').replace('-', ' ')}`;
    case 1:
      return `0${national}`;
    case 2:
      return `62${national}`;
    default:
      return `0${spaced}`;
  }
}

export interface MixEntry {
  channel: FeedChannel;
  weight: number;
}

export const DEFAULT_MIX: MixEntry[] = [
  { channel: 'email', weight: 30 },
  { channel: 'messenger', weight: 15 },
  { channel: 'instagram', weight: 15 },
  { channel: 'call-center', weight: 20 },
  { channel: 'perkebbas', weight: 20 },
  { channel: 'whatsapp', weight: 20 },
];

/** `count` complaints over the channels of `mix`, in proportion to the weights, shuffled. */
export function planComplaints(
  count: number,
  random: () => number,
  runTag: string,
  mix: MixEntry[] = DEFAULT_MIX,
): FedComplaint[] {
  const total = mix.reduce((sum, m) => sum + m.weight, 0);
  const channels: FeedChannel[] = [];
  let assigned = 0;
  mix.forEach((m, i) => {
    const share = i === mix.length - 1 ? count - assigned : Math.round((count * m.weight) / total);
    for (let k = 0; k < share; k++) channels.push(m.channel);
    assigned += share;
  });
  for (let i = channels.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [channels[i], channels[j]] = [channels[j]!, channels[i]!];
  }
  return channels.map((channel, index) => {
    const marker = `UJI-${runTag}-${String(index + 1).padStart(5, '0')}`;
    const name = `${pick(random, FIRST)} ${pick(random, LAST)}`;
    const theNik = nik(random);
    const kk = `1211${digits(random, 12)}`;
    const phone = `+62${pick(random, MOBILE_PREFIXES)}${digits(random, 7 + Math.floor(random() * 2))}`;
    const style = Math.floor(random() * 4);
    const kkLine = random() < 0.3 ? ` No KK ${writeNik(kk, style + 1)}.` : '';
    const text = `Ref ${marker}. ${pick(random, BODIES)} NIK saya ${writeNik(theNik, style)}, nomor HP ${writePhone(phone, style)}.${kkLine} Terima kasih.`;
    const slug = `${name.toLowerCase().replace(/ /g, '.')}.${runTag.toLowerCase()}.${index + 1}`;
    const replyTo =
      channel === 'email'
        ? `${slug}@gmail.com`
        : channel === 'messenger'
          ? `71${digits(random, 3)}${String(index + 1).padStart(12, '0')}`
          : channel === 'instagram'
            ? `178414${digits(random, 2)}${String(index + 1).padStart(9, '0')}`
            : channel === 'perkebbas'
              ? `PK-${runTag}-${index + 1}`
              : channel === 'whatsapp'
                ? `${WA_LINE}:${phone.slice(1)}`
                : phone;
    return {
      index,
      marker,
      channel,
      name,
      nik: theNik,
      kk,
      phone,
      text,
      subject: pick(random, SUBJECTS),
      replyTo,
      expectAck: REPLYING_CHANNELS.includes(channel),
    };
  });
}
