/**
 * Authentication-Results (RFC 8601) as written by the server that received the mail for us. Pure and
 * linear in the header length: comments and quoted strings are skipped in one pass, no backtracking.
 *
 * Anyone can write such headers into a message; the receiving server adds its own on top. So only the
 * topmost header(s) carrying a trusted authserv-id count (§5): the first one from the top whose id is
 * trusted, and at most `maxHeaders - 1` further ones directly below it (servers that add one header
 * per method). Every other one is ignored, lower copies claiming the trusted id included.
 */

export interface MethodResult {
  /** `dkim`, `spf`, `dmarc`, … in lower case. */
  method: string;
  /** `pass`, `fail`, `none`, … in lower case. */
  result: string;
  /** `header.d`, `header.i`, `header.from`, `smtp.mailfrom`, … in lower case → value as written. */
  properties: Record<string, string>;
}

export interface AuthenticationResults {
  authservId: string;
  results: MethodResult[];
}

/** Longer header values are cut: no honest server writes more, and the parse stays cheap. */
const MAX_HEADER = 16 * 1024;

/** One header value → its authserv-id and results; undefined when it has no readable authserv-id. */
export function parseAuthenticationResults(value: string): AuthenticationResults | undefined {
  const statements = splitStatements(value.slice(0, MAX_HEADER));
  const head = statements.shift()?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!head) return undefined;
  const results: MethodResult[] = [];
  for (const statement of statements) {
    const words = statement.trim().split(/\s+/).filter(Boolean);
    const first = words.shift();
    const eq = first?.indexOf('=') ?? -1;
    if (!first || eq <= 0) continue; // `none` (no results) or garbage
    const method = first.slice(0, eq).split('/')[0]!.toLowerCase();
    const result = first.slice(eq + 1).toLowerCase();
    const properties: Record<string, string> = {};
    for (const word of words) {
      const at = word.indexOf('=');
      if (at <= 0) continue;
      const key = word.slice(0, at).toLowerCase();
      // `reason=` is not a property; the first value of a property counts.
      if (key !== 'reason' && !(key in properties)) properties[key] = unquote(word.slice(at + 1));
    }
    if (method && result) results.push({ method, result, properties });
  }
  return { authservId: head, results };
}

/**
 * The results of the trusted server, from the raw header lines in order (top first). Header names are
 * matched case-insensitively; values are unfolded by the caller or here.
 */
export function trustedResults(
  headerLines: ReadonlyArray<{ key: string; line: string }>,
  trustedIds: readonly string[],
  maxHeaders = 1,
): AuthenticationResults[] {
  if (trustedIds.length === 0) return [];
  const trusted = new Set(trustedIds.map((id) => id.toLowerCase()));
  const taken: AuthenticationResults[] = [];
  for (const { key, line } of headerLines) {
    const isAr = key.toLowerCase() === 'authentication-results';
    if (taken.length > 0 && (!isAr || taken.length >= maxHeaders)) break;
    if (!isAr) continue;
    const parsed = parseAuthenticationResults(headerValue(line));
    if (parsed && trusted.has(parsed.authservId)) taken.push(parsed);
    else if (taken.length > 0) break;
  }
  return taken;
}

/**
 * Splits at `;` outside quoted strings and comments, dropping comments and unfolding white space, with
 * `a = b` joined to `a=b` (CFWS is allowed around `=`). One pass over the text.
 */
function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < text.length) current += protect(text[++i]!);
      else if (c === '"') {
        quoted = false;
        current += '"';
      } else current += protect(c);
      continue;
    }
    if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      continue;
    }
    if (c === '(') {
      depth = 1;
      current += ' ';
    } else if (c === '"') {
      quoted = true;
      current += '"';
    } else if (c === ';') {
      out.push(tidy(current));
      current = '';
    } else current += c;
  }
  out.push(tidy(current));
  return out;
}

function tidy(statement: string): string {
  return statement.replace(/\s+/g, ' ').replace(/ ?= ?/g, '=');
}

/** White space inside a quoted string must survive the splitting into words. */
function protect(c: string): string {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' ? '\u0000' : c;
}

function unquote(value: string): string {
  const text = value.replace(/\u0000/g, ' ');
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2 ? text.slice(1, -1) : text;
}

function headerValue(line: string): string {
  const colon = line.indexOf(':');
  return (colon >= 0 ? line.slice(colon + 1) : line).replace(/\r?\n[ \t]+/g, ' ');
}
