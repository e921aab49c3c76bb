import { extractConfigOption } from '../../../src/cli/config-option';
import { shorten, statusLabel, eventLabel, effectLabel } from '../../../src/cli/labels';
import { formatLogLine } from '../../../src/cli/terminal-log';
import { ticketNumberArg } from '../../../src/cli/ticket-number-arg';
import { HISTORY_EVENTS, TICKET_STATUSES } from '../../../src/domain/complaint';

describe('ticket numbers as staff type them', () => {
  const now = new Date('2026-12-31T18:00:00Z'); // already 1 January 2027 in Jakarta
  test.each([
    ['123', 'ADU-2027-000123'],
    [' 7 ', 'ADU-2027-000007'],
    ['adu-2026-000123', 'ADU-2026-000123'],
    ['Adu-2026-123', 'ADU-2026-000123'],
    ['ADU-2026-1234567', 'ADU-2026-1234567'],
    ['tiket-5', 'tiket-5'],
  ])('%s → %s', (typed, expected) => {
    expect(ticketNumberArg(typed, 'Asia/Jakarta', now)).toBe(expected);
  });
});

describe('--config anywhere', () => {
  test.each([
    [['node', 'aduan', '--config', '/etc/aduan', 'ticket', 'show', '1'], '/etc/aduan'],
    [['node', 'aduan', 'ticket', 'show', '1', '-c', '/etc/aduan'], '/etc/aduan'],
    [['node', 'aduan', '--config=/etc/aduan', 'dlq', 'list'], '/etc/aduan'],
  ])('%j', (argv, dir) => {
    const { argv: rest, configDir } = extractConfigOption(argv);
    expect(configDir).toBe(dir);
    expect(rest).not.toContain('--config');
    expect(rest).not.toContain('-c');
  });
  test('arguments after -- are left alone', () => {
    expect(extractConfigOption(['node', 'aduan', 'x', '--', '--config', 'y'])).toEqual({
      argv: ['node', 'aduan', 'x', '--', '--config', 'y'],
    });
  });
});

describe('Indonesian labels', () => {
  test('every status and history event has one', () => {
    for (const status of TICKET_STATUSES) expect(statusLabel(status)).not.toBe(status);
    for (const event of HISTORY_EVENTS) expect(eventLabel(event)).not.toBe(event);
    expect(effectLabel('relay:abc123')).toBe('teruskan jawaban petugas ke pelapor');
    expect(effectLabel('route/part-1')).toBe('email tiket ke tim (part-1)');
  });
  test('a cut note ends in …, an uncut one does not', () => {
    expect(shorten('a'.repeat(10), 10)).toBe('a'.repeat(10));
    expect(shorten('kata '.repeat(10), 12)).toBe('kata kata k…');
    expect(shorten('x'.repeat(301), 300)).toHaveLength(300);
  });
});

describe('log lines for a terminal', () => {
  test('time, level, message, then the fields; error message in words', () => {
    const line = formatLogLine(
      JSON.stringify({
        level: 'warn',
        time: '2026-12-01T02:03:04.000Z',
        service: 'aduan',
        msg: 'redis connection error',
        stage: 'intake',
        err: { message: 'connect ECONNREFUSED', stack: '…' },
      }),
    );
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}redis connection error error: connect ECONNREFUSED \(stage=intake\)\n$/,
    );
    expect(formatLogLine('not json\n')).toBe('not json\n');
  });
});
