/**
 * Splits a long reply into messages of at most `maxChars` characters (code points), at line breaks
 * where possible, then at spaces, so a citizen reads whole sentences in each part. Linear in the text:
 * every piece's length is measured once.
 */
export function splitMessage(text: string, maxChars: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  const flush = () => {
    if (current.length) chunks.push(current.join(''));
    current = [];
    length = 0;
  };
  const add = (piece: string, pieceLength: number, separator: string) => {
    const joined = length === 0 ? pieceLength : length + separator.length + pieceLength;
    if (joined > maxChars) flush();
    if (length > 0) current.push(separator);
    current.push(piece);
    length = length === 0 ? pieceLength : length + separator.length + pieceLength;
  };
  for (const line of text.trim().split('\n')) {
    const lineLength = codePoints(line);
    if (lineLength <= maxChars) {
      add(line, lineLength, '\n');
      continue;
    }
    flush();
    for (const word of line.split(' ')) {
      const wordLength = codePoints(word);
      if (wordLength <= maxChars) {
        add(word, wordLength, ' ');
        continue;
      }
      const chars = [...word];
      for (let i = 0; i < chars.length; i += maxChars) {
        const piece = chars.slice(i, i + maxChars);
        add(piece.join(''), piece.length, ' ');
      }
    }
    flush();
  }
  flush();
  return chunks.filter((c) => c.trim() !== '');
}

function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
