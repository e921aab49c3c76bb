import { formatLogLine } from '../../../src/cli/terminal-log';

/**
 * Log lines for a terminal come from JSON, where a Message-ID, a file name or a server's answer carry
 * control characters escaped; turned back into text they must not reach the terminal as ESC sequences
 * or as extra lines that look like log lines of their own.
 */

test('control characters in a logged value are shown, not obeyed; one entry stays one line', () => {
  const line = JSON.stringify({
    level: 'info',
    time: '2026-12-01T02:00:00.000Z',
    msg: 'automated mail recorded as noise, no ticket',
    sourceId: '<\u001b]0;pwned\u0007\u001b[2J@evil.example>',
    origin: 'kantor/INBOX#7\n09:00:00 ERROR  database corrupted, run aduan reset',
    err: { message: 'boom\u001b[31m' },
  });
  const shown = formatLogLine(line);
  expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  expect(shown.endsWith('\n')).toBe(true);
  expect(shown.slice(0, -1)).not.toContain('\n');
  expect(shown).toContain('\\x1b]0;pwned');
});

test('a line that is not JSON is escaped too', () => {
  expect(formatLogLine('plain \u001b[2J text\n')).toBe('plain \\x1b[2J text\n');
});
