import { compile, type DomNode, type FormatCallback } from 'html-to-text';

/**
 * HTML → text for mail whose complaint is only in HTML. mailparser's own conversion is switched off
 * (`skipHtmlToText`): it lays out tables with html-to-text's data-table formatter, which grows faster
 * than the number of cells (1 MB of `<td>` cells took 10 s, 500 KB 0.8 s). Here a table is text in
 * reading order instead: each row on its own line, cells separated by ` | ` (`Nama | NIK | Data yang
 * salah`), which is linear and keeps the cells apart where the default ran them together.
 */

/** As mailparser: HTML beyond this is not converted (the text part of a mail is cut at 1.25 MB anyway). */
export const MAX_HTML_LENGTH = 2 * 1024 * 1024;
/** As mailparser: htmlparser2's open-element stack makes deep nesting quadratic; real markup stays far below. */
export const MAX_HTML_NESTING = 1000;

/** domhandler's sibling link, which the typings leave out. */
type Sibling = DomNode & { prev?: Sibling | null };

/** A cell after another cell of its row gets a separator first. Looks back over text and comments only. */
const formatCell: FormatCallback = (elem, walk, builder) => {
  let prev = (elem as Sibling).prev;
  while (prev && prev.type !== 'tag') prev = prev.prev;
  if (prev && (prev.name === 'td' || prev.name === 'th')) builder.addInline(' | ');
  walk(elem.children, builder);
};

const convert = compile({
  limits: { maxDepth: MAX_HTML_NESTING },
  formatters: { tableCell: formatCell },
  selectors: [
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'td', format: 'tableCell' },
    { selector: 'th', format: 'tableCell' },
  ],
});

export type HtmlText = { ok: true; text: string } | { ok: false; reason: string };

export function htmlAsText(html: string): HtmlText {
  if (html.length > MAX_HTML_LENGTH)
    return { ok: false, reason: `HTML too long to convert (${html.length} characters)` };
  if (nestingExceeds(html, MAX_HTML_NESTING))
    return { ok: false, reason: `HTML nested deeper than ${MAX_HTML_NESTING}` };
  try {
    return { ok: true, text: convert(html) };
  } catch (error) {
    return { ok: false, reason: `HTML could not be converted: ${(error as Error).message}` };
  }
}

/** Elements that never hold content, and those a sibling closes implicitly (td after td): neither nests. */
const NO_LEVEL = new Set(
  (
    'area base br col embed hr img input link meta param source track wbr ' +
    'p li dt dd option optgroup tr td th thead tbody tfoot rt rp'
  ).split(' '),
);

/**
 * Whether elements nest deeper than `max`, in one pass over the tags as htmlparser2 reads them: a
 * start tag opens a level, an end tag closes down to the nearest open element of its name (ignored when
 * none is open), comments are skipped. Stops as soon as the limit is crossed.
 */
export function nestingExceeds(html: string, max: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  let i = html.indexOf('<');
  while (i >= 0) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end < 0 ? -1 : html.indexOf('<', end + 3);
      continue;
    }
    const closing = html[i + 1] === '/';
    let end = i + (closing ? 2 : 1);
    while (end < html.length && /[A-Za-z0-9:_-]/.test(html[end]!)) end++;
    const name = html.slice(i + (closing ? 2 : 1), end).toLowerCase();
    if (name && !NO_LEVEL.has(name)) {
      if (!closing) {
        stack.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
        if (stack.length > max) return true;
      } else if (open.get(name)) {
        // Close down to the nearest open element of this name: each element is pushed and popped once.
        for (;;) {
          const top = stack.pop()!;
          open.set(top, open.get(top)! - 1);
          if (top === name) break;
        }
      }
    }
    i = html.indexOf('<', end);
  }
  return false;
}
