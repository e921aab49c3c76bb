import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config/schema';
import { detectFileKind } from '../domain/file-signature';
import type { RecapPeriod } from '../domain/recap';
import { escapeHtml as esc, formatOfficeDate } from './format';

/**
 * The formal touches of the printed recap (issue #21 §3): letterhead with the office's logo embedded as
 * a data URI (the page fetches nothing), a document number, page numbers in print and the "Mengetahui"
 * signature block. Chromium (≥ 131) prints CSS @page margin boxes, so the page numbers are plain CSS:
 * `counter(page)` of `counter(pages)` at the bottom of every printed page.
 */

type Reports = AppConfig['reports'];

export const MAX_LOGO_BYTES = 512 * 1024;

/** The logo as a data URI, or a clear error naming the file: PNG or JPEG only, at most 512 KB. */
export function logoDataUri(file: string, configDir: string): string {
  const where = path.resolve(configDir, file);
  let size: number;
  try {
    size = statSync(where).size;
  } catch {
    throw new Error(`reports.letterhead.logoFile: ${where} does not exist or cannot be read`);
  }
  if (size > MAX_LOGO_BYTES)
    throw new Error(`reports.letterhead.logoFile: ${where} is ${size} bytes; at most ${MAX_LOGO_BYTES} are embedded`);
  const bytes = readFileSync(where);
  const kind = detectFileKind(bytes);
  if (kind?.mime !== 'image/png' && kind?.mime !== 'image/jpeg')
    throw new Error(`reports.letterhead.logoFile: ${where} is not a PNG or JPEG image`);
  return `data:${kind.mime};base64,${bytes.toString('base64')}`;
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** The configured pattern with the period's {year}, {month}, {monthRoman} and {period}. */
export function documentNumber(pattern: string, period: RecapPeriod): string {
  const [year, month] = period.from.split('-') as [string, string];
  const values: Record<string, string> = {
    year,
    month,
    monthRoman: ROMAN[Number(month) - 1]!,
    period: `${year}-${month}`,
  };
  return pattern.replace(/\{(year|month|monthRoman|period)\}/g, (_, token: string) => values[token]!);
}

/** A CSS string literal: quotes, backslashes and line breaks escaped. */
function cssString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n\f]/g, ' ')}"`;
}

/** Print rules: page numbers and the document number in the bottom margin of every page. */
export function printFooterCss(number: string): string {
  return `
@page {
  margin-bottom: 16mm;
  @bottom-left { content: ${cssString(number)}; font: 7pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #555; }
  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 7pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #555; }
}
.letterhead { display: flex; align-items: center; gap: 14px; border-bottom: 3px double #222; padding-bottom: 8px; margin-bottom: 10px; }
.letterhead img { height: 64px; width: auto; }
.letterhead .lines { flex: 1; text-align: center; }
.letterhead .government { margin: 0; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
.letterhead .office { margin: 0; font-size: 17px; font-weight: bold; text-transform: uppercase; }
.letterhead .address, .letterhead .contact { margin: 0; font-size: 11px; }
.docnumber { margin: 2px 0; }
.signature { margin: 28px 0 0 auto; width: 300px; text-align: left; break-inside: avoid; page-break-inside: avoid; }
.signature p { margin: 2px 0; }
.signature .space { height: 64px; }
.signature .name { font-weight: bold; text-decoration: underline; }
@media print { .letterhead img { height: 18mm; } .signature { width: 75mm; } }
`;
}

export function letterheadHtml(letterhead: Reports['letterhead'], logo: string | undefined): string {
  return (
    `<div class="letterhead" id="kop">` +
    (logo ? `<img src="${esc(logo)}" alt="Logo">` : '') +
    `<div class="lines">` +
    (letterhead.government ? `<p class="government">${esc(letterhead.government)}</p>` : '') +
    `<p class="office">${esc(letterhead.office)}</p>` +
    (letterhead.address ? `<p class="address">${esc(letterhead.address)}</p>` : '') +
    (letterhead.contact ? `<p class="contact">${esc(letterhead.contact)}</p>` : '') +
    `</div></div>`
  );
}

const DOTS = '..................................................';

/** "Mengetahui, Kepala Dinas …", room to sign, the name and NIP (dotted lines when not configured). */
export function signatureHtml(signature: Reports['signature'], date: string): string {
  return (
    `<section class="signature" id="tanda-tangan">` +
    `<p>${esc(signature.place ? `${signature.place}, ` : '')}${esc(formatOfficeDate(date))}</p>` +
    `<p>Mengetahui,</p><p>${esc(signature.title)}</p>` +
    `<div class="space"></div>` +
    `<p class="name">${esc(signature.name || DOTS)}</p>` +
    `<p class="nip">NIP ${esc(signature.nip || DOTS.slice(0, 30))}</p>` +
    `</section>`
  );
}
