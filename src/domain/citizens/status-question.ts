/**
 * "Sudah sampai mana?": whether a citizen's message only asks for the status of a complaint, and which
 * ticket it names (ADU-2026-000123, `adu 123`, `adu-123`, `#123`, `nomor 123`). One pass over the words of
 * a bounded prefix, no regular expression on the message: linear in its length whatever it holds.
 *
 * It errs towards "no": a message it passes is answered automatically and NOT forwarded to the team, so a
 * complaint that only sounds like a question ("KTP saya sampai sekarang belum jadi, status NIK tidak aktif")
 * must stay a complaint (or a follow-up). A status question it misses is handled as before.
 */

/** A status question is short; anything longer is a complaint that may mention its number. */
export const MAX_STATUS_QUESTION = 280;
/** More words than this is content for the team, whatever else it asks. */
const MAX_WORDS = 40;

export type StatusQuestion =
  /**
   * `bare`: the number came only after "no/nomor" in a message that speaks of no complaint or ticket ("akta no 2",
   * "nomor 3 di daftar"): it is the sender's ticket only if it matches one, else the message goes on as before.
   */
  | { kind: 'named'; year?: number; sequence: number; bare?: true }
  /**
   * A status question naming no ticket: answerable only for a citizen with exactly one open ticket.
   * `aboutComplaint`: it speaks of "pengaduan/laporan/tiket …" itself, so a sender with no ticket at all is
   * told none was found (otherwise such a sender's message is a new complaint as before).
   */
  | { kind: 'unnamed'; aboutComplaint: boolean };

type NamedQuestion = Extract<StatusQuestion, { kind: 'named' }>;

/** Words that ask for the status on their own, even without a ticket number. */
const STRONG_WORDS = new Set([
  'perkembangan',
  'perkembangannya',
  'progres',
  'progresnya',
  'progress',
  'progressnya',
  'statusnya',
]);
/** Two words in a row that ask for the status on their own ("sampai mana", "sudah diproses"). */
const STRONG_PAIRS = new Set([
  'sampai mana',
  'sampai dimana',
  'sampe mana',
  'sampe dimana',
  'smpai mana',
  'smp mana',
  'sdh sampai',
  'sejauh mana',
  'cek status',
  'check status',
  'status pengaduan',
  'status aduan',
  'status laporan',
  'status tiket',
  'status keluhan',
  'status pengajuan',
  'bagaimana kabarnya',
  'gimana kabarnya',
  'ada kabar',
  'ada perkembangan',
  'sudah diproses',
  'udah diproses',
  'sdh diproses',
  'sudah ditangani',
  'udah ditangani',
  'sdh ditangani',
  'sudah ditindaklanjuti',
  'kapan selesai',
  'kapan diproses',
  'kapan ditindaklanjuti',
]);
/** Words that ask for the status only together with a ticket number ("cek adu 123", "#123 gimana?"). */
const WEAK_WORDS = new Set([
  'cek',
  'check',
  'status',
  'bagaimana',
  'gimana',
  'gmn',
  'bgmn',
  'kabar',
  'kabarnya',
  'kapan',
  'sampai',
  'sampe',
]);
/** The message speaks of a complaint or ticket (not of a document). */
const COMPLAINT_WORDS = new Set([
  'pengaduan',
  'pengaduannya',
  'aduan',
  'aduannya',
  'laporan',
  'laporannya',
  'tiket',
  'tiketnya',
  'keluhan',
  'keluhannya',
]);
/** Words that introduce a bare number as the ticket's. */
const NUMBER_WORDS = new Set(['nomor', 'no', 'nomer', 'tiket', 'pengaduan', 'aduan', 'adu']);
/** Number words that name no ticket by themselves ("no 2" may be a queue, a house, a child). */
const GENERIC_NUMBER_WORDS = new Set(['nomor', 'no', 'nomer']);
/**
 * Content for the team: a problem described ("tidak aktif", "belum jadi", "ditolak"), a request, or the status
 * of a document rather than of a ticket ("status NIK", "status perkawinan"). Any of these and the message is
 * no status question.
 */
const CONTENT_WORDS = new Set([
  'rusak',
  'hilang',
  'salah',
  'ditolak',
  'tolak',
  'gagal',
  'error',
  'eror',
  'blokir',
  'diblokir',
  'ganda',
  'pungli',
  'calo',
  'antri',
  'antre',
  'antrian',
  'antrean',
  'mati',
  'nonaktif',
  'kecewa',
  'lambat',
  'lama',
  'bayar',
  'dipersulit',
  'kasar',
  'ubah',
  'perbaiki',
  'perbaikan',
  'ganti',
  'tambah',
  'hapus',
  // A report of its own next to the question: money asked, rudeness, misuse of the citizen's data.
  'uang',
  'pungutan',
  'sopan',
  'komplain',
  'complain',
  'pinjol',
  'penipuan',
  'disalahgunakan',
]);
const CONTENT_PAIRS = new Set([
  'tidak aktif',
  'tdk aktif',
  'gak aktif',
  'ga aktif',
  'nggak aktif',
  'belum jadi',
  'blm jadi',
  'belum dicetak',
  'blm dicetak',
  'belum terbit',
  'tidak bisa',
  'tdk bisa',
  'gak bisa',
  'ga bisa',
  'nggak bisa',
  'tidak padan',
  'tidak sesuai',
  'sampai sekarang',
  'sampe sekarang',
  'sampai skrg',
  'status nik',
  'status ktp',
  'status kk',
  'status kependudukan',
  'status perkawinan',
  'status data',
  'status akta',
  'status hubungan',
  'status pekerjaan',
  'mohon diperbaiki',
  'tolong diperbaiki',
]);

interface Token {
  text: string;
  /** A `#` stands right before it. */
  hash: boolean;
}

export function detectStatusQuestion(message: string): StatusQuestion | undefined {
  if (message.length > MAX_STATUS_QUESTION * 4) return undefined;
  const text = message.trim();
  if (text.length === 0 || text.length > MAX_STATUS_QUESTION) return undefined;
  const tokens = tokenize(text.toLowerCase());
  if (tokens.length > MAX_WORDS) return undefined;
  const cues = readCues(tokens);
  if (cues.content) return undefined;
  const named = namedTicket(tokens);
  if (named?.bare && cues.aboutComplaint) delete named.bare;
  if (named) return cues.strong || cues.weak ? named : undefined;
  if (!cues.strong) return undefined;
  return { kind: 'unnamed', aboutComplaint: cues.aboutComplaint };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    const word = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (word && start < 0) start = i;
    if (!word && start >= 0) {
      tokens.push({ text: text.slice(start, i), hash: text[start - 1] === '#' });
      start = -1;
    }
  }
  return tokens;
}

function readCues(tokens: Token[]): { strong: boolean; weak: boolean; content: boolean; aboutComplaint: boolean } {
  const cues = { strong: false, weak: false, content: false, aboutComplaint: false };
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.text;
    const pair = i + 1 < tokens.length ? `${word} ${tokens[i + 1]!.text}` : '';
    if (CONTENT_WORDS.has(word) || CONTENT_PAIRS.has(pair)) cues.content = true;
    if (STRONG_WORDS.has(word) || STRONG_PAIRS.has(pair)) cues.strong = true;
    if (WEAK_WORDS.has(word)) cues.weak = true;
    if (COMPLAINT_WORDS.has(word)) cues.aboutComplaint = true;
  }
  return cues;
}

function namedTicket(tokens: Token[]): NamedQuestion | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // "adu123" written as one word.
    if (token.text.startsWith('adu') && isDigits(token.text.slice(3))) return numbered(undefined, token.text.slice(3));
    if (token.hash && isDigits(token.text)) return numbered(undefined, token.text);
    if (!NUMBER_WORDS.has(token.text)) continue;
    // Past further number words ("no tiket", "nomor pengaduan") to the digits.
    let k = i + 1;
    while (k < tokens.length && k < i + 3 && NUMBER_WORDS.has(tokens[k]!.text)) k++;
    const first = tokens[k]?.text;
    if (!first || !isDigits(first)) continue;
    const bare = tokens.slice(i, k).every((t) => GENERIC_NUMBER_WORDS.has(t.text));
    const second = tokens[k + 1]?.text;
    // ADU-2026-000123: a year, then the sequence.
    if (tokens[k - 1]!.text === 'adu' && first.length === 4 && second && isDigits(second))
      return numbered(first, second);
    // "nomor 0812…": a phone number or a NIK is no ticket number.
    if (first.length > 6) continue;
    const found = numbered(undefined, first);
    return found && bare ? { ...found, bare: true } : found;
  }
  return undefined;
}

function numbered(year: string | undefined, sequence: string): NamedQuestion | undefined {
  if (sequence.length === 0 || sequence.length > 9) return undefined;
  const n = Number(sequence);
  if (n < 1) return undefined;
  const y = year === undefined ? undefined : Number(year);
  if (y !== undefined && (y < 2010 || y > 2099)) return undefined;
  return { kind: 'named', sequence: n, ...(y !== undefined ? { year: y } : {}) };
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
