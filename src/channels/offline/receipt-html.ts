import type { ReceiptSurveyText } from '../../domain/survey-link';
import { qrSvg } from '../../lib/qr';
import { escapeHtml } from '../../report/format';

/**
 * The printable receipts of one `aduan intake` run (`--receipt FILE.html`): each receipt's text as printed to
 * the terminal and, for a walk-in with the survey on, its survey link as a QR code and in large type. One
 * self-contained document (inline CSS and SVG, no script, no external asset), one receipt per printed page,
 * sized for an 80 mm receipt printer or A4 alike.
 */

export interface PrintedReceipt {
  /** The receipt's lines (composeReceipt), without the survey part. */
  text: string;
  survey?: ReceiptSurveyText;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:11pt/1.4 "DejaVu Sans Mono","Liberation Mono",Consolas,monospace;color:#000;background:#fff}
.receipt{max-width:76mm;margin:0 auto;padding:4mm 2mm;page-break-after:always;break-after:page}
.receipt:last-child{page-break-after:auto;break-after:auto}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font:inherit;font-size:9.5pt}
.fields{display:grid;grid-template-columns:max-content 1fr;gap:0 1ch;margin:3mm 0;font-size:9.5pt}
.fields dt{font-weight:400}
.fields dd{margin:0;overflow-wrap:anywhere}
.survey{margin-top:4mm;padding-top:3mm;border-top:1px dashed #000;text-align:center}
.survey h2{font-size:11pt;margin:0 0 2mm}
.survey p{margin:0 0 2mm;text-align:left}
.survey svg{display:block;margin:2mm auto}
.url{font-size:12pt;font-weight:700;text-align:center}
@page{margin:5mm}
`;

export function renderReceiptsHtml(receipts: PrintedReceipt[]): string {
  const body = receipts.map(renderOne).join('\n');
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Tanda terima pengaduan</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function renderOne(receipt: PrintedReceipt): string {
  const survey = receipt.survey;
  const surveyPart = survey
    ? `<section class="survey">
<h2>${escapeHtml(survey.title)}</h2>
<p>${escapeHtml(survey.intro)}</p>
${qrSvg(survey.url, 36, 'Kode QR tautan survei kepuasan')}
<p class="url">${breakableUrl(survey.url)}</p>
<p>${escapeHtml(survey.validity)}</p>
</section>`
    : '';
  return `<article class="receipt">
${renderText(receipt.text)}
${surveyPart}
</article>`;
}

/** A label line (`Nomor tiket   : ADU-…`) as a two-column row, so a long value wraps under itself. */
const FIELD = /^([^:\n]{1,24}?) +: (.*)$/;

/** The receipt's text: its runs of label lines as a grid, other lines as printed. */
function renderText(text: string): string {
  const parts: string[] = [];
  let fields: string[] = [];
  let plain: string[] = [];
  const flush = () => {
    if (fields.length) parts.push(`<dl class="fields">${fields.join('')}</dl>`);
    if (plain.length) parts.push(`<pre>${escapeHtml(plain.join('\n'))}</pre>`);
    fields = [];
    plain = [];
  };
  for (const line of text.split('\n')) {
    const field = FIELD.exec(line);
    if (field) {
      if (plain.length) flush();
      fields.push(`<dt>${escapeHtml(field[1]!)}</dt><dd>${escapeHtml(field[2]!)}</dd>`);
    } else {
      if (fields.length) flush();
      plain.push(line);
    }
  }
  flush();
  return parts.join('\n');
}

/** Wraps only after a slash, so the token a citizen types stays on one line. */
function breakableUrl(url: string): string {
  return url
    .split('/')
    .map((part) => escapeHtml(part))
    .join('/<wbr>');
}
