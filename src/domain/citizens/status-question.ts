/**
 * "Sudah sampai mana?": whether a citizen's message only asks for the status of a complaint, and which
 * ticket it names (ADU-2026-000123, `adu 123`, `adu-123`, `#123`, `nomor 123`). One pass over the words of
 * a bounded prefix, no regular expression on the message: linear in its length whatever it holds.
 *
 * Not yet wired into intake (issue #22 §2 is unfinished): the detector alone, with its table tests.
 */

/** A status question is short; anything longer is a complaint that may mention its number. */
export const MAX_STATUS_QUESTION = 280;

export type StatusQuestion =
  | { kind: 'named'; year?: number; sequence: number }
  /** A status question naming no ticket: answerable only for a citizen with exactly one open ticket. */
  | { kind: 'unnamed' };

const STATUS_WORDS = new Set([
  'cek',
  'check',
  'status',
  'perkembangan',
  'progres',
  'progress',
  'bagaimana',
  'gimana',
  'gmn',
  'bgmn',
  'kabar',
  'kabarnya',
  'sejauh',
]);
/** Two words in a row that ask for the status ("sampai mana", "kapan selesai", "sudah diproses"). */
const STATUS_PAIRS = new Set([
  'sampai mana',
  'sampe mana',
  'sampai dimana',
  'kapan selesai',
  'kapan jadi',
  'sudah diproses',
  'udah diproses',
  'sdh diproses',
  'belum selesai',
  'blm selesai',
]);
/** Words that introduce a bare number as the ticket's. */
const NUMBER_WORDS = new Set(['nomor', 'no', 'nomer', 'tiket', 'pengaduan', 'aduan', 'adu']);

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
  if (!asksStatus(tokens)) return undefined;
  return namedTicket(tokens) ?? { kind: 'unnamed' };
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

function asksStatus(tokens: Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (STATUS_WORDS.has(tokens[i]!.text)) return true;
    if (i + 1 < tokens.length && STATUS_PAIRS.has(`${tokens[i]!.text} ${tokens[i + 1]!.text}`)) return true;
  }
  return false;
}

function namedTicket(tokens: Token[]): StatusQuestion | undefined {
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
    const second = tokens[k + 1]?.text;
    // ADU-2026-000123: a year, then the sequence.
    if (token.text === 'adu' && first.length === 4 && second && isDigits(second)) return numbered(first, second);
    return numbered(undefined, first);
  }
  return undefined;
}

function numbered(year: string | undefined, sequence: string): StatusQuestion | undefined {
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
