import { AGE_OPTIONS, EDUCATION_OPTIONS, OCCUPATION_OPTIONS, type SurveyInstrument } from '../domain/survey-instrument';
import { escapeHtml } from '../report/format';
import type { FormValues } from './form-input';

/**
 * The survey page's HTML: one self-contained document (inline CSS, no script, no external asset), mobile
 * first, every question a fieldset with a legend and labelled radio buttons, visible focus. It shows nothing
 * of the ticket: no number, no text, no name.
 */

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f6f8}
main{max-width:40rem;margin:0 auto;padding:1rem}
header{background:#0b4f8a;color:#fff;padding:1rem}
header p{margin:.25rem 0 0;font-size:.95rem}
h1{font-size:1.35rem;margin:0}
fieldset{background:#fff;border:1px solid #c9d1d9;border-radius:.5rem;margin:0 0 1rem;padding:.75rem 1rem 1rem}
legend{font-weight:600;padding:0 .25rem;max-width:100%}
.unsur{display:block;font-size:.85rem;color:#4a5560;font-weight:400}
.opt{display:flex;align-items:center;gap:.6rem;min-height:2.75rem;padding:.35rem .5rem;border-radius:.4rem;cursor:pointer}
.opt:hover{background:#eef3f8}
input[type=radio]{width:1.35rem;height:1.35rem;margin:0;flex:none;accent-color:#0b4f8a}
label.field{display:block;font-weight:600;margin:.5rem 0 .25rem}
select,textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #8a96a3;border-radius:.4rem;background:#fff}
textarea{min-height:7rem}
button{font:inherit;font-weight:600;width:100%;min-height:3rem;border:0;border-radius:.5rem;background:#0b4f8a;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
input[type=radio]:focus-visible+span{text-decoration:underline}
.note{color:#4a5560;font-size:.95rem}
.error{background:#fdecea;border:1px solid #b3261e;color:#7a1a13;padding:.75rem 1rem;border-radius:.5rem}
.done{background:#e8f5e9;border:1px solid #2e7d32;padding:.75rem 1rem;border-radius:.5rem}
`;

const OFFICE = 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Dairi';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${OFFICE}</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

/** Answers scored 1–4 (value = score), or named options. */
function radios(
  name: string,
  answers: readonly string[] | ReadonlyArray<{ value: string; label: string }>,
  chosen: string | undefined,
  required: boolean,
): string {
  return answers
    .map((answer, i) => {
      const { value, label } = typeof answer === 'string' ? { value: String(i + 1), label: answer } : answer;
      const id = `${name}-${value}`;
      const checked = chosen === value ? ' checked' : '';
      const req = required && i === 0 ? ' required' : '';
      return `<label class="opt" for="${id}"><input type="radio" id="${id}" name="${name}" value="${value}"${checked}${req}><span>${escapeHtml(label)}</span></label>`;
    })
    .join('\n');
}

function select(name: string, label: string, options: readonly string[], chosen: string | undefined): string {
  const items = ['<option value="">— tidak diisi —</option>']
    .concat(
      options.map(
        (o) => `<option value="${escapeHtml(o)}"${chosen === o ? ' selected' : ''}>${escapeHtml(o)}</option>`,
      ),
    )
    .join('');
  return `<label class="field" for="${name}">${escapeHtml(label)}</label><select id="${name}" name="${name}">${items}</select>`;
}

export interface FormPage {
  instrument: SurveyInstrument;
  /** Where the form posts (its own path). */
  action: string;
  csrf: string;
  /** Closure surveys ask the overall question on the complaint's handling; service surveys do not. */
  source: 'closure' | 'service';
  values?: FormValues;
  error?: string;
}

export function renderForm(input: FormPage): string {
  const v = input.values ?? {};
  const closure = input.source === 'closure';
  const intro = closure
    ? 'Terima kasih telah menyampaikan pengaduan. Penilaian Anda membantu kami memperbaiki pelayanan. Pertanyaan bertanda * wajib dijawab; yang lain boleh dilewati.'
    : 'Terima kasih telah menggunakan layanan kami. Penilaian Anda membantu kami memperbaiki pelayanan. Setiap pertanyaan boleh dilewati, tetapi mohon jawab sebanyak mungkin.';
  const overall = closure
    ? `<fieldset><legend>${escapeHtml(input.instrument.overall.question)} *</legend>
${radios('overall', input.instrument.overall.answers, v.overall, true)}
</fieldset>`
    : '';
  const elements = input.instrument.elements
    .map(
      (
        e,
        i,
      ) => `<fieldset><legend><span class="unsur">Unsur ${i + 1}: ${escapeHtml(e.label)}</span>${escapeHtml(e.question)}</legend>
${radios(e.key, e.answers, v[e.key], false)}
</fieldset>`,
    )
    .join('\n');
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : '';
  const gender = [
    { value: 'laki-laki', label: 'Laki-laki' },
    { value: 'perempuan', label: 'Perempuan' },
  ];
  return page(
    closure ? 'Survei Kepuasan Pelayanan Pengaduan' : 'Survei Kepuasan Masyarakat',
    `${error}<p>${intro}</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
${overall}
${elements}
<fieldset><legend>Kritik dan saran (tidak wajib)</legend>
<label class="field" for="saran">Tuliskan kritik atau saran Anda</label>
<textarea id="saran" name="saran" maxlength="2000">${escapeHtml(v.saran ?? '')}</textarea>
<p class="note">Mohon tidak menuliskan NIK, nomor KK, atau nomor telepon.</p>
</fieldset>
<fieldset><legend>Data responden (tidak wajib)</legend>
<fieldset><legend>Jenis kelamin</legend>
${radios('jk', gender, v.jk, false)}
</fieldset>
${select('usia', 'Usia', AGE_OPTIONS, v.usia)}
${select('pendidikan', 'Pendidikan terakhir', EDUCATION_OPTIONS, v.pendidikan)}
${select('pekerjaan', 'Pekerjaan', OCCUPATION_OPTIONS, v.pekerjaan)}
</fieldset>
<button type="submit">Kirim penilaian</button>
</form>`,
  );
}

/** Every other page: a title and a paragraph or two (thanks, expired, used, not found, too many requests). */
export function renderMessage(title: string, paragraphs: string[], tone: 'done' | 'note' | 'error' = 'note'): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return page(title, tone === 'note' ? body : `<div class="${tone}" role="status">${body}</div>`);
}

export function renderOptOut(action: string, csrf: string): string {
  return page(
    'Berhenti menerima survei',
    `<p>Bila Anda tidak ingin menerima undangan survei kepuasan lagi dari layanan pengaduan kami, tekan tombol di bawah ini.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<button type="submit">Ya, jangan kirimi saya survei lagi</button>
</form>`,
  );
}
