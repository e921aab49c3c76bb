import { TICKET_STATUSES, type HistoryEntry, type TicketStatus } from '../../../src/domain/complaint';
import type { OfficeCalendar } from '../../../src/domain/sla';
import {
  answerOutcome,
  canMove,
  citizenMessageOutcome,
  endsResolved,
  isThanksOnly,
  nextStatus,
  readAskMark,
  reopenedDueAt,
  resumedDueAt,
  slaEffectKind,
  slaPeriod,
  slaPeriodStart,
  statusesBefore,
  STATUS_LABELS,
  waitingMinutes,
  waitingSince,
} from '../../../src/domain/ticket-life';

/** Mon–Thu 07:30–16:00, Fri 07:30–16:30 WIB (as config/default.yaml). */
const CALENDAR: OfficeCalendar = {
  timeZone: 'Asia/Jakarta',
  hours: {
    mon: '07:30-16:00',
    tue: '07:30-16:00',
    wed: '07:30-16:00',
    thu: '07:30-16:00',
    fri: '07:30-16:30',
  },
  holidays: ['2026-12-25'],
};

/** Office time (WIB, UTC+7) as an ISO instant. */
const wib = (local: string) => new Date(`${local}+07:00`).toISOString();

describe('status transitions', () => {
  test.each<[TicketStatus, TicketStatus, boolean]>([
    ['received', 'acknowledged', true],
    ['acknowledged', 'routed', true],
    ['routed', 'resolved', true],
    ['routed', 'waiting-citizen', true],
    ['waiting-citizen', 'resolved', true],
    ['resolved', 'reopened', true],
    ['reopened', 'resolved', true],
    ['reopened', 'waiting-citizen', true],
    // A late or repeated effect never moves a ticket back.
    ['routed', 'acknowledged', false],
    ['resolved', 'routed', false],
    ['resolved', 'acknowledged', false],
    ['reopened', 'routed', false],
    ['reopened', 'reopened', false],
    ['resolved', 'resolved', false],
    ['waiting-citizen', 'reopened', false],
    ['routed', 'reopened', false],
  ])('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
    expect(nextStatus(from, to)).toBe(allowed ? to : from);
  });

  test("only the citizen's reply ends a wait: a late team-mail record leaves the ticket waiting", () => {
    expect(canMove('waiting-citizen', 'routed', 'citizen-replied')).toBe(true);
    expect(canMove('waiting-citizen', 'routed', 'routed')).toBe(false);
    expect(canMove('waiting-citizen', 'routed')).toBe(false);
    expect(nextStatus('waiting-citizen', 'routed', 'routed')).toBe('waiting-citizen');
    expect(canMove('acknowledged', 'routed', 'routed')).toBe(true);
    expect(statusesBefore('routed', 'routed')).not.toContain('waiting-citizen');
    expect(statusesBefore('routed', 'citizen-replied')).toContain('waiting-citizen');
  });

  test('no status asked leaves the status; every status has a label and is reachable', () => {
    expect(nextStatus('routed', undefined)).toBe('routed');
    for (const status of TICKET_STATUSES) {
      expect(STATUS_LABELS[status]).toMatch(/\S/);
      if (status !== 'received') expect(statusesBefore(status).length).toBeGreaterThan(0);
    }
    expect(STATUS_LABELS['waiting-citizen']).toBe('menunggu warga');
    expect(STATUS_LABELS.reopened).toBe('dibuka kembali');
    expect(statusesBefore('reopened')).toEqual(['resolved']);
  });
});

describe('staff answers: resolve or ask', () => {
  test.each([
    ['#tanya\nMohon kirim foto KK Anda.', true, 'Mohon kirim foto KK Anda.'],
    ['  #TANYA: Mohon kirim foto KK.', true, 'Mohon kirim foto KK.'],
    ['#tanya Nomor NIK Anda berapa?', true, 'Nomor NIK Anda berapa?'],
    ['NIK sudah aktif kembali.', false, 'NIK sudah aktif kembali.'],
    ['Silakan datang. #tanya di tengah tidak dihitung', false, 'Silakan datang. #tanya di tengah tidak dihitung'],
    ['#tanyakan ke loket', false, '#tanyakan ke loket'],
  ])('%j → ask %s', (text, ask, kept) => {
    expect(readAskMark(text)).toEqual({ ask, text: kept });
    expect(answerOutcome({ text })).toBe(ask ? 'ask' : 'resolve');
  });

  test('the ask flag (ticket answer --ask, a Page inbox rule) asks whatever the text', () => {
    expect(answerOutcome({ text: 'Mohon kirim foto KK.', askFlag: true })).toBe('ask');
    expect(answerOutcome({ text: 'Sudah selesai.', askFlag: false })).toBe('resolve');
  });
});

describe('thanks and acknowledgements', () => {
  test.each([
    'terima kasih',
    'Terima kasih banyak, Pak.',
    'makasih min',
    'Makasiiih kak 🙏🙏',
    'ok',
    'oke pak',
    'Okeee',
    'siap',
    'siap, terima kasih atas informasinya',
    'sip 👍',
    '🙏',
    '👍👍',
    '😊',
    'Baik bu, sudah saya terima. Terima kasih.',
    'Mauliate godang',
    'thanks',
    'ok, ditunggu',
    'Terima kasih, selamat siang.\n\nHormat saya',
    '',
    '   ',
  ])('%j only thanks or acknowledges', (text) => {
    expect(isThanksOnly(text)).toBe(true);
  });

  test.each([
    'terima kasih, tapi KTP saya belum jadi',
    'ok pak, kapan bisa diambil?',
    'makasih min?',
    'terima kasih. NIK saya 1211045706890002',
    'ok, saya kirim fotonya besok',
    'belum',
    'tidak bisa',
    'Mohon dibantu lagi, akta anak saya salah nama',
    'terima kasih terima kasih terima kasih terima kasih terima kasih terima kasih',
  ])('%j is content', (text) => {
    expect(isThanksOnly(text)).toBe(false);
  });

  test("a thanks signed with the sender's name is still only thanks", () => {
    expect(isThanksOnly('Terima kasih.\nRosmawati Sinaga', ['Rosmawati Sinaga'])).toBe(true);
    expect(isThanksOnly('Terima kasih.\nRosmawati Sinaga')).toBe(false);
  });

  test('linear time on long and hostile text', () => {
    const started = Date.now();
    for (const text of ['ok '.repeat(500_000), 'a'.repeat(1_000_000), '🙏'.repeat(300_000), 'makasiiii'.repeat(1000)])
      expect(isThanksOnly(text)).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe("what a citizen's message does to its ticket", () => {
  const resolvedAt = '2026-12-01T03:00:00.000Z';
  const resolved = {
    status: 'resolved' as const,
    history: [{ at: resolvedAt, event: 'resolved' } as HistoryEntry],
  };
  const message = (text: string, at: string, attachments = 0) => ({ text, at, attachments });
  const WEEK = 7 * 24 * 60 * 60;

  test('after the resolution: reopens within the window, thanks only records, after the window a new ticket', () => {
    expect(citizenMessageOutcome(resolved, message('KTP saya masih salah', '2026-12-03T00:00:00Z'), WEEK)).toBe(
      'reopen',
    );
    expect(citizenMessageOutcome(resolved, message('terima kasih 🙏', '2026-12-03T00:00:00Z'), WEEK)).toBe('ack');
    expect(citizenMessageOutcome(resolved, message('ok', '2026-12-03T00:00:00Z', 1), WEEK)).toBe('reopen');
    expect(citizenMessageOutcome(resolved, message('KTP saya masih salah', '2026-12-08T03:00:01Z'), WEEK)).toBe(
      'new-ticket',
    );
    expect(citizenMessageOutcome(resolved, message('terima kasih', '2026-12-09T00:00:00Z'), WEEK)).toBe('new-ticket');
    // The window is the config's: here 60 seconds.
    expect(citizenMessageOutcome(resolved, message('lagi', '2026-12-01T03:00:59Z'), 60)).toBe('reopen');
    expect(citizenMessageOutcome(resolved, message('lagi', '2026-12-01T03:01:01Z'), 60)).toBe('new-ticket');
  });

  test('a waiting ticket resumes on a reply; an open one takes follow-ups; thanks never forwards', () => {
    const waiting = { status: 'waiting-citizen' as const, history: [] };
    expect(citizenMessageOutcome(waiting, message('Ini foto KK saya', resolvedAt), WEEK)).toBe('resume');
    expect(citizenMessageOutcome(waiting, message('oke pak', resolvedAt), WEEK)).toBe('ack');
    for (const status of ['routed', 'reopened', 'acknowledged'] as const) {
      expect(citizenMessageOutcome({ status, history: [] }, message('satu hal lagi', resolvedAt), WEEK)).toBe(
        'follow-up',
      );
      expect(citizenMessageOutcome({ status, history: [] }, message('makasih', resolvedAt), WEEK)).toBe('ack');
    }
  });

  test('the last life change decides whether a ticket stood resolved', () => {
    const h = (event: HistoryEntry['event']) => ({ at: resolvedAt, event }) as HistoryEntry;
    expect(endsResolved([h('routed'), h('resolved'), h('note')])).toBe(true);
    expect(endsResolved([h('resolved'), h('reopened')])).toBe(false);
    expect(endsResolved([h('resolved'), h('reopened'), h('resolved')])).toBe(true);
    expect(endsResolved([h('waiting-citizen')])).toBe(false);
  });
});

describe('the SLA pause', () => {
  test('the due time moves on by the working minutes spent waiting', () => {
    // Due Tue 10:00; waited Mon 15:00 → Tue 09:00 = 60 + 90 working minutes.
    const out = resumedDueAt(
      {
        dueAt: wib('2026-12-01T10:00:00'),
        waitingSince: wib('2026-11-30T15:00:00'),
        repliedAt: wib('2026-12-01T09:00:00'),
      },
      CALENDAR,
    );
    expect(out).toEqual({ dueAt: wib('2026-12-01T12:30:00'), waitedMinutes: 150 });
  });

  test('a wait over a weekend counts only working time, and carries over the closing time', () => {
    // Fri 16:00 → Mon 08:00: 30 + 30 working minutes; due Fri 16:20 moves 60 minutes: 10 on Friday, Mon 08:20.
    const out = resumedDueAt(
      {
        dueAt: wib('2026-12-04T16:20:00'),
        waitingSince: wib('2026-12-04T16:00:00'),
        repliedAt: wib('2026-12-07T08:00:00'),
      },
      CALENDAR,
    );
    expect(out).toEqual({ dueAt: wib('2026-12-07T08:20:00'), waitedMinutes: 60 });
  });

  test('a reply outside working time or before the wait (clock skew) changes nothing', () => {
    const dueAt = wib('2026-12-01T10:00:00');
    expect(
      resumedDueAt(
        { dueAt, waitingSince: wib('2026-12-05T09:00:00'), repliedAt: wib('2026-12-06T20:00:00') },
        CALENDAR,
      ),
    ).toEqual({ dueAt, waitedMinutes: 0 });
    expect(
      resumedDueAt(
        { dueAt, waitingSince: wib('2026-12-01T09:00:00'), repliedAt: wib('2026-12-01T08:00:00') },
        CALENDAR,
      ),
    ).toEqual({ dueAt, waitedMinutes: 0 });
  });

  test('a reopened ticket is due one full target after the message that reopened it', () => {
    expect(reopenedDueAt(wib('2026-12-01T15:30:00'), { unit: 'minutes', minutes: 60 }, CALENDAR)).toBe(
      wib('2026-12-02T08:00:00'),
    );
  });

  test('the current wait began at its first question: a second question while waiting does not restart it', () => {
    const h = (event: HistoryEntry['event'], at: string) => ({ event, at: wib(at) }) as HistoryEntry;
    expect(
      waitingSince([
        h('waiting-citizen', '2026-12-01T08:00:00'),
        h('citizen-replied', '2026-12-01T09:00:00'),
        h('waiting-citizen', '2026-12-01T10:00:00'),
        h('note', '2026-12-01T10:05:00'),
        h('waiting-citizen', '2026-12-01T11:00:00'),
      ]),
    ).toBe(wib('2026-12-01T10:00:00'));
    expect(waitingSince([h('waiting-citizen', '2026-12-01T08:00:00'), h('resolved', '2026-12-01T09:00:00')])).toBe(
      undefined,
    );
  });

  test('waiting time adds up over several waits, an open wait up to the given time', () => {
    const history: HistoryEntry[] = [
      { at: wib('2026-12-01T08:00:00'), event: 'waiting-citizen' },
      { at: wib('2026-12-01T09:00:00'), event: 'citizen-replied' },
      { at: wib('2026-12-01T10:00:00'), event: 'waiting-citizen' },
      { at: wib('2026-12-01T10:30:00'), event: 'resolved' },
      { at: wib('2026-12-02T08:00:00'), event: 'reopened' },
      { at: wib('2026-12-02T09:00:00'), event: 'waiting-citizen' },
    ];
    expect(waitingMinutes(history, wib('2026-12-02T09:45:00'), CALENDAR)).toBe(60 + 30 + 45);
    expect(waitingMinutes(history, wib('2026-12-01T10:30:00'), CALENDAR)).toBe(90);
  });
});

describe('SLA periods', () => {
  const history: HistoryEntry[] = [
    { at: '2026-11-30T01:00:00.000Z', event: 'received' },
    { at: '2026-11-30T02:00:00.000Z', event: 'resolved' },
    { at: '2026-11-30T03:00:00.000Z', event: 'reopened' },
    { at: '2026-11-30T04:00:00.000Z', event: 'resolved' },
    { at: '2026-11-30T05:00:00.000Z', event: 'reopened' },
    { at: '2026-11-30T05:10:00.000Z', event: 'follow-up' },
  ];

  test('a period per reopening, starting at it; period 0 at the receipt', () => {
    expect(slaPeriod(history.slice(0, 2))).toBe(0);
    expect(slaPeriod(history)).toBe(2);
    expect(slaPeriodStart(history.slice(0, 2), '2026-11-30T01:00:00.000Z')).toBe('2026-11-30T01:00:00.000Z');
    expect(slaPeriodStart(history, '2026-11-30T01:00:00.000Z')).toBe('2026-11-30T05:00:00.000Z');
  });

  test("period 0 keeps the plain effect kinds; later periods' are suffixed", () => {
    expect(slaEffectKind('remind', 0)).toBe('remind');
    expect(slaEffectKind('escalate', 0)).toBe('escalate');
    expect(slaEffectKind('remind', 2)).toBe('remind@2');
    expect(slaEffectKind('escalate', 1)).toBe('escalate@1');
  });
});
