import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { documentNumberSchema } from '../../../src/config/recap-document-schema';
import { documentNumber, logoDataUri, printFooterCss, signatureHtml } from '../../../src/report/letterhead';

test.each([
  ['470/{month}/REKAP/{monthRoman}/{year}', '2026-11-01', '470/11/REKAP/XI/2026'],
  ['{period}', '2026-01-01', '2026-01'],
  ['X/{monthRoman}', '2026-04-01', 'X/IV'],
])('documentNumber(%s) for %s = %s', (pattern, from, expected) => {
  expect(documentNumber(pattern, { from, to: from })).toBe(expected);
});

test('an unknown placeholder in the document number is a config error', () => {
  expect(documentNumberSchema.safeParse('470/{bulan}/{year}').success).toBe(false);
  expect(documentNumberSchema.safeParse('470/{month}/{year}').success).toBe(true);
});

test('the document number cannot break out of the CSS string it is printed from', () => {
  const css = printFooterCss('a"; } body { display: none } x{ content: "\\\n');
  expect(css).toContain('content: "a\\"; } body { display: none } x{ content: \\"\\\\ ";');
});

test('the logo: PNG or JPEG, at most 512 KB, else an error naming the file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-logo-'));
  try {
    writeFileSync(path.join(dir, 'logo.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    expect(logoDataUri('logo.png', dir)).toBe('data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==');
    writeFileSync(path.join(dir, 'logo.svg'), '<svg onload="alert(1)"/>');
    expect(() => logoDataUri('logo.svg', dir)).toThrow(/logo\.svg is not a PNG or JPEG image/);
    writeFileSync(path.join(dir, 'big.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(600_000)]));
    expect(() => logoDataUri('big.jpg', dir)).toThrow(/big\.jpg is 600003 bytes; at most 524288/);
    expect(() => logoDataUri('missing.png', dir)).toThrow(/missing\.png does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the signature block leaves dotted lines for what is not configured, and escapes what is', () => {
  const html = signatureHtml(
    { place: 'Sidikalang', title: 'Kepala Dinas <Dukcapil>', name: '', nip: '' },
    '2026-12-01',
  );
  expect(html).toContain('Sidikalang, 1 Desember 2026');
  expect(html).toContain('Kepala Dinas &lt;Dukcapil&gt;');
  expect(html).toMatch(/class="name">\.{20,}/);
  expect(html).toMatch(/NIP \.{20,}/);
});
