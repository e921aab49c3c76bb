/**
 * What a file is, read from its first bytes (magic numbers), for the types the office receives:
 * scans and photos of documents (PDF, JPEG, PNG, GIF, WebP, HEIC), office files (ZIP/OOXML, the old
 * OLE formats), voice notes and videos from phones (MP4/3GP, OGG/Opus, AMR, MP3), and the things that
 * must never pass for one of those (Windows executables, ELF, scripts, HTML/SVG, PHP).
 *
 * Written by hand rather than with `file-type`: that package is ESM-only (this service is CommonJS)
 * and reads streams asynchronously; this table is small, synchronous, pure and covers what matters here.
 */

export interface FileKind {
  mime: string;
  ext: string;
  /** Code a computer runs when the file is opened (an executable, a script, an active page). */
  active?: true;
}

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const hex = (bytes: Uint8Array, at: number, values: number[]): boolean => values.every((v, i) => bytes[at + i] === v);

const ISO_BRANDS: Record<string, FileKind> = {
  heic: { mime: 'image/heic', ext: 'heic' },
  heix: { mime: 'image/heic', ext: 'heic' },
  hevc: { mime: 'image/heic', ext: 'heic' },
  heim: { mime: 'image/heic', ext: 'heic' },
  heis: { mime: 'image/heic', ext: 'heic' },
  mif1: { mime: 'image/heif', ext: 'heif' },
  msf1: { mime: 'image/heif', ext: 'heif' },
  avif: { mime: 'image/avif', ext: 'avif' },
  '3gp4': { mime: 'video/3gpp', ext: '3gp' },
  '3gp5': { mime: 'video/3gpp', ext: '3gp' },
  '3gp6': { mime: 'video/3gpp', ext: '3gp' },
  '3g2a': { mime: 'video/3gpp2', ext: '3g2' },
  'M4A ': { mime: 'audio/mp4', ext: 'm4a' },
  qt: { mime: 'video/quicktime', ext: 'mov' },
};

/** The kind of the bytes, or undefined when the first bytes match nothing in the table. */
export function detectFileKind(bytes: Uint8Array): FileKind | undefined {
  if (ascii(bytes, 0, '%PDF-')) return { mime: 'application/pdf', ext: 'pdf' };
  if (hex(bytes, 0, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' };
  if (hex(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' };
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return { mime: 'image/gif', ext: 'gif' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return { mime: 'image/webp', ext: 'webp' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return { mime: 'audio/wav', ext: 'wav' };
  if (ascii(bytes, 4, 'ftyp')) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    return ISO_BRANDS[brand] ?? ISO_BRANDS[brand.trim()] ?? { mime: 'video/mp4', ext: 'mp4' };
  }
  if (ascii(bytes, 0, 'OggS')) return { mime: 'audio/ogg', ext: ascii(bytes, 28, 'OpusHead') ? 'opus' : 'ogg' };
  if (ascii(bytes, 0, '#!AMR')) return { mime: 'audio/amr', ext: 'amr' };
  if (ascii(bytes, 0, 'ID3') || hex(bytes, 0, [0xff, 0xfb])) return { mime: 'audio/mpeg', ext: 'mp3' };
  if (hex(bytes, 0, [0x50, 0x4b, 0x03, 0x04]) || hex(bytes, 0, [0x50, 0x4b, 0x05, 0x06])) return zipKind(bytes);
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (hex(bytes, 0, ole)) return { mime: 'application/x-ole-storage', ext: 'doc' };
  if (ascii(bytes, 0, 'Rar!\u001a\u0007')) return { mime: 'application/vnd.rar', ext: 'rar' };
  if (hex(bytes, 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { mime: 'application/x-7z-compressed', ext: '7z' };
  if (hex(bytes, 0, [0x1f, 0x8b])) return { mime: 'application/gzip', ext: 'gz' };
  if (ascii(bytes, 0, 'MZ')) return { mime: 'application/x-msdownload', ext: 'exe', active: true };
  if (hex(bytes, 0, [0x7f, 0x45, 0x4c, 0x46])) return { mime: 'application/x-executable', ext: 'elf', active: true };
  if (ascii(bytes, 0, '#!')) return { mime: 'text/x-script', ext: 'sh', active: true };
  return markupKind(bytes);
}

/** Office Open XML files are ZIP archives whose first entry names tell which application wrote them. */
function zipKind(bytes: Uint8Array): FileKind {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  const ooxml = 'application/vnd.openxmlformats-officedocument';
  if (head.includes('word/')) return { mime: `${ooxml}.wordprocessingml.document`, ext: 'docx' };
  if (head.includes('xl/')) return { mime: `${ooxml}.spreadsheetml.sheet`, ext: 'xlsx' };
  if (head.includes('ppt/')) return { mime: `${ooxml}.presentationml.presentation`, ext: 'pptx' };
  return { mime: 'application/zip', ext: 'zip' };
}

/** HTML, SVG and PHP open with a tag, possibly after a BOM and white space. */
function markupKind(bytes: Uint8Array): FileKind | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512))
    .toString('latin1')
    .replace(/^(\xef\xbb\xbf)?\s*/, '')
    .slice(0, 64)
    .toLowerCase();
  if (head.startsWith('<?php')) return { mime: 'application/x-httpd-php', ext: 'php', active: true };
  const svgInXml = head.startsWith('<?xml') && /<svg/i.test(Buffer.from(bytes.subarray(0, 1024)).toString('latin1'));
  if (head.startsWith('<svg') || svgInXml) {
    return { mime: 'image/svg+xml', ext: 'svg', active: true };
  }
  if (/^<(!doctype html|html|head|body|script|iframe)\b/.test(head)) {
    return { mime: 'text/html', ext: 'html', active: true };
  }
  return undefined;
}
