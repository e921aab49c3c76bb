import type { HistoryEntry } from '../../../src/domain/complaint';
import type { OfficeCalendar } from '../../../src/domain/sla';
import { DEFAULT_INSTRUMENT } from '../../../src/domain/survey-instrument';
import {
  answeredResolution,
  composeSurveyInvitation,
  invitationDueAt,
  readQuickAnswer,
} from '../../../src/domain/survey-invitation';

const CALENDAR: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:30' },
  holidays: ['2026-12-25'],
};

const at = (iso: string, event: HistoryEntry['event'], extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  at: iso,
  event,
  ...extra,
});

describe('when the survey invitation is due', () => {
  test('an hour after the answer, inside office hours', () => {
    // Tuesday 10:00 WIB → 11:00 WIB
    expect(invitationDueAt('2026-12-01T03:00:00.000Z', 60, CALENDAR)).toBe('2026-12-01T04:00:00.000Z');
  });
  test('never at night: an answer at 15:30 is asked at the next opening, 08:00 the next working day', () => {
    expect(invitationDueAt('2026-12-01T08:30:00.000Z', 60, CALENDAR)).toBe('2026-12-02T01:00:00.000Z');
  });
  test('over a weekend and a holiday: Thursday 24 Dec after closing → Monday 28 Dec 08:00 (25th is a holiday)', () => {
    expect(invitationDueAt('2026-12-24T08:45:00.000Z', 60, CALENDAR)).toBe('2026-12-28T01:00:00.000Z');
  });
});

describe('which resolution is final and answered', () => {
  const base = { status: 'resolved' as const };
  test('a relayed answer that resolved the ticket', () => {
    const history = [at('2026-12-01T01:00:00Z', 'received'), at('2026-12-01T03:00:00Z', 'resolved', { ref: '<a@x>' })];
    expect(answeredResolution({ ...base, history })).toBe('2026-12-01T03:00:00Z');
  });
  test('not: closed without an answer, withdrawn by the citizen, or not resolved now', () => {
    expect(answeredResolution({ ...base, history: [at('2026-12-01T03:00:00Z', 'resolved')] })).toBeUndefined();
    const withdrawn = [at('2026-12-01T03:00:00Z', 'resolved', { ref: 'm1', by: 'pelapor' })];
    expect(answeredResolution({ ...base, history: withdrawn })).toBeUndefined();
    const waiting = [at('2026-12-01T03:00:00Z', 'waiting-citizen', { ref: 'q', ask: true })];
    expect(answeredResolution({ status: 'waiting-citizen', history: waiting })).toBeUndefined();
  });
  test('reopened and answered again: the last answer counts', () => {
    const history = [
      at('2026-12-01T03:00:00Z', 'resolved', { ref: 'a1' }),
      at('2026-12-02T03:00:00Z', 'reopened'),
      at('2026-12-03T03:00:00Z', 'resolved', { ref: 'a2' }),
      at('2026-12-03T04:00:00Z', 'note'),
    ];
    expect(answeredResolution({ ...base, history })).toBe('2026-12-03T03:00:00Z');
  });
});

describe('quick answers in chat', () => {
  test.each([
    ['4', 4],
    [' 3. ', 3],
    ['2!', 2],
    ['4 - Sangat puas', 4],
    ['1 = tidak puas', 1],
    ['Sangat puas', 4],
    ['puas', 3],
    ['3 ya', 3],
    ['4, terima kasih pak', 4],
  ])('%p → score %p', (text, score) => {
    expect(readQuickAnswer(text, DEFAULT_INSTRUMENT)).toEqual({ kind: 'score', score });
  });
  test.each([
    '5',
    '0',
    '34',
    'NIK saya 1211025506900003',
    'nomor 4 belum',
    '4 - Puas',
    '4 orang antri',
    '3 ya 4',
    'terima kasih',
    '4'.repeat(70),
  ])('%p is not an answer', (text) => {
    expect(readQuickAnswer(text, DEFAULT_INSTRUMENT)).toBeUndefined();
  });
  test('"berhenti" opts out; a WhatsApp list row id answers whatever its title', () => {
    expect(readQuickAnswer('Berhenti', DEFAULT_INSTRUMENT)).toEqual({ kind: 'stop' });
    expect(readQuickAnswer('x', DEFAULT_INSTRUMENT, 'skm:overall:2')).toEqual({ kind: 'score', score: 2 });
    expect(readQuickAnswer('x', DEFAULT_INSTRUMENT, 'skm:overall:9')).toBeUndefined();
  });
  test('linear on hostile input: a long line of separators is answered at once', () => {
    const started = performance.now();
    for (let i = 0; i < 1000; i++) readQuickAnswer(`4${' -'.repeat(29)}`, DEFAULT_INSTRUMENT);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

test('the invitation names the link and the quick answer, never the complaint', () => {
  const { subject, text } = composeSurveyInvitation({
    ticketNumber: 'ADU-2026-000042',
    url: 'https://pengaduan.example/survei/abc',
    expiresAt: '2026-12-15T03:00:00.000Z',
    instrument: DEFAULT_INSTRUMENT,
    timeZone: 'Asia/Jakarta',
    reminder: false,
    quickAnswer: true,
  });
  expect(subject).toBe('[ADU-2026-000042] Survei kepuasan pelayanan pengaduan');
  expect(text).toContain('https://pengaduan.example/survei/abc');
  expect(text).toContain('1 = Tidak puas, 2 = Kurang puas, 3 = Puas, 4 = Sangat puas');
  expect(text).toContain('Selasa, 15 Desember 2026 pukul 10.00 WIB');
  expect(text).toContain('berhenti');
});
