import qrcode from 'qrcode-generator';

/**
 * QR codes for printed receipts (the walk-in's survey link): the module matrix from `qrcode-generator`
 * (no dependencies), drawn as terminal text or as an inline SVG (no external asset). Error correction M:
 * a creased or smudged receipt still scans.
 */

/** Light modules around the code, as the standard asks (4); receipts print it as is. */
const QUIET_ZONE = 4;

/** Rows of dark (true) and light modules, quiet zone included. */
export function qrMatrix(text: string): boolean[][] {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const size = code.getModuleCount();
  const full = size + 2 * QUIET_ZONE;
  return Array.from({ length: full }, (_, row) =>
    Array.from({ length: full }, (_, col) => {
      const r = row - QUIET_ZONE;
      const c = col - QUIET_ZONE;
      return r >= 0 && c >= 0 && r < size && c < size && code.isDark(r, c);
    }),
  );
}

/**
 * Two module rows per text line with half blocks, dark modules drawn: right for paper and light terminals
 * (phone scanners read the inverted picture of a dark terminal too).
 */
export function qrTerminal(text: string): string {
  const matrix = qrMatrix(text);
  const lines: string[] = [];
  for (let row = 0; row < matrix.length; row += 2) {
    const top = matrix[row]!;
    const bottom = matrix[row + 1];
    lines.push(top.map((dark, col) => HALF_BLOCKS[(dark ? 2 : 0) + (bottom?.[col] ? 1 : 0)]).join(''));
  }
  return lines.join('\n');
}

/** Index: top dark ×2 + bottom dark. */
const HALF_BLOCKS = [' ', '▄', '▀', '█'] as const;

/** An SVG of the code, `sizeMm` wide on paper, one path of dark squares (crisp when printed). */
export function qrSvg(text: string, sizeMm = 40, label = 'Kode QR'): string {
  const matrix = qrMatrix(text);
  const n = matrix.length;
  let path = '';
  matrix.forEach((cols, row) =>
    cols.forEach((dark, col) => {
      if (dark) path += `M${col} ${row}h1v1h-1z`;
    }),
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" width="${sizeMm}mm" height="${sizeMm}mm" ` +
    `shape-rendering="crispEdges" role="img" aria-label="${label.replace(/[<>&"]/g, '')}">` +
    `<rect width="${n}" height="${n}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}
