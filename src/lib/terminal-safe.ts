/**
 * Stored text printed to an operator's terminal. A complaint can carry ESC sequences (clear the
 * screen, move the cursor, set the window title, forge lines), BEL, backspaces or a bare CR that
 * overwrites the line: each control character except line feed and tab is shown as a visible
 * escape (`\x1b`, `\u202e`) instead of being obeyed. Bidi overrides and isolates are shown the same
 * way, so a name cannot reorder what follows it on the line. One pass: linear in the text.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The stream with every string written to it escaped as above; everything else is the stream's own. */
export function terminalSafeStream<T extends NodeJS.WritableStream>(stream: T): T {
  return new Proxy(stream, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key === 'write') {
        const write = target.write as (...args: unknown[]) => boolean;
        return (chunk: unknown, ...rest: unknown[]) =>
          write.call(target, typeof chunk === 'string' ? terminalSafe(chunk) : chunk, ...rest);
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
