import { Writable } from 'node:stream';
import { terminalSafe, terminalSafeStream } from '../../../src/lib/terminal-safe';

describe('terminal-safe output', () => {
  it('shows ESC, BEL, BS, CR and C1 controls escaped; keeps line feeds and tabs', () => {
    expect(terminalSafe('a\u001b[2J\u001b]0;judul\u0007b\u0008c\rd\u009be\n\tf')).toBe(
      'a\\x1b[2J\\x1b]0;judul\\x07b\\x08c\\x0dd\\x9be\n\tf',
    );
  });

  it('shows bidi overrides escaped', () => expect(terminalSafe('nama\u202eexe.pdf')).toBe('nama\\u202eexe.pdf'));

  it('wraps a stream: every string written is escaped, the rest is the stream itself', () => {
    const chunks: string[] = [];
    const target = new Writable({ write: (chunk: Buffer, _enc, done) => (chunks.push(chunk.toString()), done()) });
    const safe = terminalSafeStream(target);
    safe.write('tiket \u001b[31mmerah\u0007\n');
    expect(chunks.join('')).toBe('tiket \\x1b[31mmerah\\x07\n');
    expect(safe.writable).toBe(true);
  });
});
