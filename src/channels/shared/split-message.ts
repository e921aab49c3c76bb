/**
 * Splits a long reply into messages of at most `maxChars` characters (code points), at line breaks
 * where possible, then at spaces, so a citizen reads whole sentences in each part.
 */
export function splitMessage(text: string, maxChars: number): string[] {
  const fits = (s: string) => [...s].length <= maxChars;
  const chunks: string[] = [];
  let current = '';
  const push = (piece: string, separator: string): boolean => {
    const joined = current ? `${current}${separator}${piece}` : piece;
    if (fits(joined)) {
      current = joined;
      return true;
    }
    if (current) chunks.push(current);
    current = '';
    if (!fits(piece)) return false;
    current = piece;
    return true;
  };
  for (const line of text.trim().split('\n')) {
    if (push(line, '\n')) continue;
    for (const word of line.split(' ')) {
      if (push(word, ' ')) continue;
      for (const char of word) push(char, '');
    }
  }
  if (current) chunks.push(current);
  return chunks;
}
