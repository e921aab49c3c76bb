import { isBlank, sanitizeLine, sanitizeText, wellFormed } from '../../../src/domain/text-sanitizer';

describe('sanitizeText (every channel normalize)', () => {
  it('removes NUL, C0 (but \\n and \\t) and C1 controls; CR LF → LF', () => {
    expect(sanitizeText('a\u0000b\u0007c\u001b[2Jd\u0008e\u009bf\r\ng\rh\ti')).toBe('abc[2Jdef\ng\nh\ti');
  });

  it('turns lone surrogates into U+FFFD and keeps pairs', () => {
    expect(sanitizeText('x\ud800y\udc00z 😀')).toBe('x\ufffdy\ufffdz 😀');
    expect(wellFormed('\ud83d')).toBe('\ufffd');
  });

  it('normalizes to NFC', () => {
    expect(sanitizeText('Sidikalang Pakpak Bharat e\u0301')).toBe('Sidikalang Pakpak Bharat \u00e9');
  });

  it('balances bidi overrides per line, so they cannot reorder the next line', () => {
    const text = sanitizeText('nama \u202eabc\nbaris dua\u202c\u2069');
    expect(text).toBe('nama \u202eabc\u202c\nbaris dua');
    expect(sanitizeText('\u2067isolasi\u2069 tetap')).toBe('\u2067isolasi\u2069 tetap');
  });

  it('makes text with nothing visible empty', () => {
    expect(sanitizeText('\u200b\u200d\ufeff \n\t\u2060\u200e')).toBe('');
    expect(isBlank('\u202e\u200b')).toBe(true);
    expect(isBlank('a\u200b')).toBe(false);
  });
});

describe('sanitizeLine (names, subjects, file names)', () => {
  it('removes bidi controls and line breaks, collapses spaces, cuts without splitting a pair', () => {
    expect(sanitizeLine('Budi\u202e\r\nBcc: x@y\u0000  Santoso')).toBe('Budi Bcc: x@y Santoso');
    expect(sanitizeLine('ab😀', 3)).toBe('ab\ufffd');
    expect(sanitizeLine('\u200b\u200b')).toBe('');
  });
});

it('balances a line of 500,000 unclosed overrides without overflowing the stack', () => {
  const text = sanitizeText(`${'\u202e'.repeat(500_000)}x`);
  expect(text.length).toBe(1_000_001);
  expect(text.endsWith('\u202c')).toBe(true);
});
