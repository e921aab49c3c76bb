import { detectFileKind } from './file-signature';
import { sanitizeLine } from './text-sanitizer';

/**
 * The name and type under which a citizen's file is kept and forwarded to staff. The sender chooses
 * both, so neither is trusted: the name loses path parts, characters Windows cannot store, trailing
 * dots and spaces and bidi tricks; the type comes from the bytes where they tell; and a name whose
 * last extension runs code while an earlier one pretends to be a document (`foto KTP.jpg.php`) is
 * renamed so that opening it cannot run it, with a warning for staff.
 */

export interface NamedFile {
  filename: string;
  contentType: string;
  /** Why the file was renamed or its type corrected, in Indonesian, for staff. */
  warning?: string;
}

/** Extensions Windows, a web server or a mail program would run or render as active content. */
const RUNNABLE = new Set([
  'exe',
  'com',
  'scr',
  'pif',
  'bat',
  'cmd',
  'msi',
  'msp',
  'dll',
  'cpl',
  'sys',
  'vbs',
  'vbe',
  'js',
  'jse',
  'mjs',
  'wsf',
  'wsh',
  'hta',
  'ps1',
  'psm1',
  'reg',
  'lnk',
  'jar',
  'apk',
  'sh',
  'bash',
  'py',
  'pl',
  'rb',
  'php',
  'phtml',
  'php5',
  'phar',
  'asp',
  'aspx',
  'jsp',
  'cgi',
  'html',
  'htm',
  'xhtml',
  'shtml',
  'svg',
  'svgz',
  'mht',
  'mhtml',
  'url',
  'iso',
  'img',
]);
const MARKUP = new Set(['html', 'htm', 'xhtml', 'shtml', 'svg', 'svgz', 'mht', 'mhtml']);
/** Reserved device names on Windows: a file called `CON.pdf` cannot be saved there. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
const WINDOWS_ILLEGAL = /[<>:"|?*\\/\u0000-\u001f]/g;
const MAX_NAME = 200;

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'message/rfc822': 'eml',
  'text/plain': 'txt',
  'text/html': 'html',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** Office formats that share a container (ZIP, OLE): the sender's declared type is kept when it fits. */
const SAME_CONTAINER: Record<string, RegExp> = {
  'application/zip': /^application\/(zip|x-zip-compressed|vnd\.openxmlformats-|vnd\.oasis\.opendocument|epub)/i,
  'application/x-ole-storage': /^application\/(msword|vnd\.ms-|x-ole-storage)/i,
};

export function nameAttachment(
  name: string | undefined,
  declaredType: string,
  content: Uint8Array,
  index: number,
): NamedFile {
  const declared = (declaredType.split(';')[0] ?? '').trim().toLowerCase().slice(0, 200) || 'application/octet-stream';
  const kind = detectFileKind(content);
  const warnings: string[] = [];
  let contentType = declared;
  if (kind && kind.mime !== declared && !SAME_CONTAINER[kind.mime]?.test(declared)) {
    contentType = kind.mime;
    if (declared !== 'application/octet-stream') {
      warnings.push(`jenis berkas menurut isinya ${kind.mime}, bukan ${declared}`);
    }
  }

  let filename = cleanName(name);
  if (!filename) {
    const stem = declared === 'message/rfc822' ? 'pesan-terlampir' : 'lampiran';
    filename = `${stem}-${index}.${kind?.ext ?? EXTENSIONS[declared] ?? 'bin'}`;
  }
  const parts = filename.split('.');
  const last = parts.length > 1 ? parts[parts.length - 1]!.toLowerCase() : '';
  const hidden = parts.length > 2;
  // A lone page (`surat.html`, HTML bytes) is forwarded as text by the outbound side; a program is not.
  const program = RUNNABLE.has(last) && (hidden || !MARKUP.has(last));
  if (program || (kind?.active && !MARKUP.has(kind.ext))) {
    const original = filename;
    filename = `${parts.join('_')}.bin`.slice(-MAX_NAME);
    contentType = 'application/octet-stream';
    warnings.push(
      hidden && RUNNABLE.has(last)
        ? `nama asli "${original}": ekstensi ganda menyembunyikan program/skrip; jangan dijalankan`
        : `nama asli "${original}": berkas program/skrip atau halaman aktif; jangan dijalankan`,
    );
  }
  return { filename, contentType, ...(warnings.length ? { warning: warnings.join('; ') } : {}) };
}

/** A name staff can save on any system: no path, control, bidi or Windows-illegal characters. */
export function cleanName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  let clean = sanitizeLine(base.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, ''))
    .replace(WINDOWS_ILLEGAL, '')
    .replace(/[\u200b-\u200f\u2060-\u2064\ufeff]/g, '')
    .trim()
    .replace(/^\.+/, '');
  // Windows drops trailing dots and spaces ("faktur.pdf.   ." would be saved as something else).
  clean = trimEnd(clean);
  if (WINDOWS_RESERVED.test(clean)) clean = `_${clean}`;
  return clean.length <= MAX_NAME ? clean : clean.slice(-MAX_NAME).replace(/^\.+/, '');
}

function trimEnd(value: string): string {
  let end = value.length;
  while (end > 0 && (value[end - 1] === '.' || value[end - 1] === ' ')) end--;
  return value.slice(0, end);
}
