/**
 * The one clean-up every channel's `normalize` applies to what a citizen (or an attacker) typed, so
 * stored text is the same kind of text whatever door it came through:
 * - line ends → \n; NUL, the other C0 controls (except \n and \t), DEL and the C1 controls removed
 *   (they reach team mail as "=00", and a terminal obeys ESC/BEL/BS);
 * - lone UTF-16 surrogates → U+FFFD (they make invalid UTF-8 downstream);
 * - Unicode NFC (the same name typed on two phones compares equal);
 * - bidirectional embedding/override/isolate controls: removed from one-line values (names, subjects,
 *   file names: "bukti\u202Efdp.exe" reads as "buktiexe.pdf"), balanced per line in text (a writer of
 *   Arabic script keeps them, but their effect ends with the line);
 * - text that has nothing visible (spaces, zero-width characters, bidi marks) becomes empty.
 * Every step is a single pass over the text: linear time whatever the input.
 */

/** Embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Characters that are invisible on their own: whitespace, zero-width, bidi marks and controls, BOM. */
const INVISIBLE = /^[\s\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]*$/;

/** Free text (a complaint, notes): multi-line, tabs kept. */
export function sanitizeText(value: string): string {
  const text = wellFormed(value.replace(/\r\n?/g, '\n').replace(CONTROLS, '')).normalize('NFC');
  if (isBlank(text)) return '';
  return BIDI_CONTROL.test(text) ? balanceBidi(text) : text;
}

/** A one-line value (a name, a subject, a file name): also no line breaks, bidi controls or runs of spaces. */
export function sanitizeLine(value: string, max = Infinity): string {
  const text = wellFormed(value.replace(CONTROLS, ' ').replace(BIDI_CONTROL, ''))
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
  if (isBlank(text)) return '';
  return text.length <= max ? text : wellFormed(text.slice(0, max));
}

/** True when nothing in the text would show: whitespace, zero-width characters and bidi marks only. */
export function isBlank(value: string): boolean {
  return INVISIBLE.test(value);
}

/** Lone surrogates (half of a pair, e.g. from a cut string or a hostile JSON \ud800) → U+FFFD. */
export function wellFormed(value: string): string {
  let out: string[] | undefined;
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    (out ??= []).push(value.slice(from, i), '\ufffd');
    from = i + 1;
  }
  return out ? out.join('') + value.slice(from) : value;
}

/**
 * Per line: a closing control with nothing open is dropped, and whatever is still open at the end of
 * the line is closed there, so reordering can never reach the next line (or the text around a quote).
 */
function balanceBidi(text: string): string {
  const out: string[] = [];
  const open: number[] = [];
  let from = 0;
  const closeAll = () => {
    // Not String.fromCharCode(...open): a line of 250,000 overrides would overflow the call stack.
    for (let k = open.length - 1; k >= 0; k--) out.push(open[k] === 0x202c ? '\u202c' : '\u2069');
    open.length = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (open.length) {
        out.push(text.slice(from, i));
        closeAll();
        from = i;
      }
      continue;
    }
    if (c < 0x202a || (c > 0x202e && c < 0x2066) || c > 0x2069) continue;
    if (c === 0x202c || c === 0x2069) {
      if (open[open.length - 1] === c) open.pop();
      else {
        out.push(text.slice(from, i));
        from = i + 1;
      }
      continue;
    }
    open.push(c <= 0x202e ? 0x202c : 0x2069);
  }
  out.push(text.slice(from));
  if (open.length) closeAll();
  return out.join('');
}
