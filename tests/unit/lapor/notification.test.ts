import { readFileSync } from 'node:fs';
import path from 'node:path';
import { laporRulesSchema } from '../../../src/channels/lapor/config-schema';
import { looksLikeNotification, readNotification } from '../../../src/channels/lapor/notification';
import { laporComplaint } from '../../../src/domain/lapor-report';
import { validateComplaint } from '../../../src/domain/complaint';

const RULES = laporRulesSchema.parse({});
const sample = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/lapor', name), 'utf8');
const SENDER = 'notifikasi@lapor.go.id';

describe('LAPOR! notification mail: recognized by sender and subject, read line by line', () => {
  test('a disposition notification: Tracking ID, title, dates, reporter, text, report page', () => {
    const read = readNotification(
      { sender: SENDER, subject: 'LAPOR! Disposisi laporan #1916449', text: sample('disposisi-1916449.txt') },
      RULES,
      'Asia/Jakarta',
    );
    expect(read).toEqual({
      ok: true,
      report: {
        trackingId: '1916449',
        subject: 'KTP elektronik belum dicetak',
        submittedAt: '2026-12-01T19:42:00+07:00',
        forwardedAt: '2026-12-02T10:15:00+07:00',
        disposedAt: '2026-12-03T08:30:00+07:00',
        reporter: { name: 'Rugun Simbolon' },
        rahasia: false,
        anonim: false,
        slug: 'ktp-elektronik-belum-dicetak-1916449',
        entry: 'mail',
        text:
          'Saya sudah melakukan perekaman KTP elektronik di kantor Disdukcapil Dairi pada bulan Agustus 2026,\n' +
          'tetapi sampai sekarang KTP saya belum dicetak. Mohon kepastian kapan KTP dapat diambil.',
      },
    });
  });

  test('a confidential, anonymous report: the flags are read, and the complaint keeps no identity', () => {
    const read = readNotification(
      { sender: SENDER, subject: 'LAPOR! laporan baru', text: sample('disposisi-rahasia-2207001.txt') },
      RULES,
      'Asia/Jakarta',
    );
    if (!read.ok) throw new Error(read.reason);
    expect(read.report).toMatchObject({ trackingId: '2207001', rahasia: true, anonim: true });
    expect(read.report.text).toContain('Rp 150.000');
    const built = laporComplaint(read.report, new Date('2026-12-05T00:00:00Z'));
    if (!built.ok) throw new Error(built.reason);
    expect(built.complaint.complainant).toEqual({});
    expect(JSON.stringify(built.complaint)).not.toContain('Pelapor Rahasia Sekali');
    expect(built.complaint.meta).toMatchObject({
      laporIdentity: 'dirahasiakan',
      laporRahasia: 'ya',
      laporAnonim: 'ya',
    });
    expect(validateComplaint(built.complaint).ok).toBe(true);
  });

  test('the Tracking ID falls back to the first #number of the subject', () => {
    const read = readNotification(
      { sender: SENDER, subject: 'LAPOR! Disposisi #3300112', text: 'Isi Laporan: Akta kematian belum terbit.' },
      RULES,
      'Asia/Jakarta',
    );
    expect(read).toMatchObject({ ok: true, report: { trackingId: '3300112', text: 'Akta kematian belum terbit.' } });
  });

  test('refused with a reason: no Tracking ID, no text, an unreadable date', () => {
    const read = (text: string, subject = 'LAPOR! Disposisi') =>
      readNotification({ sender: SENDER, subject, text }, RULES, 'Asia/Jakarta');
    expect(read('Isi Laporan: ada isinya')).toEqual({ ok: false, reason: expect.stringContaining('Tracking ID') });
    expect(read('Tracking ID: 1916449\nTautan: x')).toEqual({
      ok: false,
      reason: expect.stringContaining('isi laporan'),
    });
    expect(read('Tracking ID: 1916449\nTanggal Diteruskan: kemarin sore\nIsi Laporan: x')).toEqual({
      ok: false,
      reason: expect.stringContaining('forwardedAt'),
    });
  });

  test('recognition needs both a LAPOR! sender (address or @domain) and a subject pattern', () => {
    expect(looksLikeNotification({ sender: SENDER, subject: 'Notifikasi LAPOR!: disposisi' }, RULES)).toBe(true);
    expect(looksLikeNotification({ sender: 'x@lapor.go.id.evil.example', subject: 'LAPOR!' }, RULES)).toBe(false);
    expect(looksLikeNotification({ sender: SENDER, subject: 'Promo akhir tahun' }, RULES)).toBe(false);
    expect(looksLikeNotification({ sender: undefined, subject: 'LAPOR!' }, RULES)).toBe(false);
    const own = laporRulesSchema.parse({ senders: ['admin@dairikab.go.id'], subjectContains: ['Disposisi'] });
    expect(looksLikeNotification({ sender: 'admin@dairikab.go.id', subject: 'disposisi SP4N' }, own)).toBe(true);
  });

  test('hostile text costs linear time: 5 MB of label-like lines and #s', () => {
    const junk = `${'Tracking ID'.repeat(50_000)}\n${'#'.repeat(1_000_000)}\n${'Isi Laporan:'.padEnd(2_000_000, ' a')}\n`;
    const started = process.hrtime.bigint();
    const read = readNotification(
      { sender: SENDER, subject: `LAPOR! ${'#1'.repeat(200_000)}`, text: junk.repeat(2) },
      RULES,
      'Asia/Jakarta',
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(read.ok).toBe(false);
    expect(ms).toBeLessThan(1_500);
  });
});

describe('LAPOR! report: its own time is the submission, its arrival at the office the latest later step', () => {
  const report = {
    trackingId: '3100001',
    text: 'Akta kelahiran belum terbit.',
    submittedAt: '2026-11-20T09:00:00+07:00',
    entry: 'mail',
  };
  const built = (extra: Record<string, string>, now = '2026-12-07T10:00:00+07:00') => {
    const result = laporComplaint({ ...report, ...extra }, new Date(now));
    if (!result.ok) throw new Error(result.reason);
    return result.complaint;
  };

  test('the disposition, forwarding or notification, whichever came last; receivedAt stays the submission', () => {
    const disposed = built({ forwardedAt: '2026-11-25T10:00:00+07:00', disposedAt: '2026-12-07T08:00:00+07:00' });
    expect(disposed.receivedAt).toBe('2026-11-20T02:00:00.000Z');
    expect(disposed.arrivedAt).toBe('2026-12-07T01:00:00.000Z');
    expect(disposed.meta).toMatchObject({ laporForwardedAt: '2026-11-25T03:00:00.000Z', laporClockBasis: 'forwarded' });
    expect(built({ forwardedAt: '2026-11-25T10:00:00+07:00' }).arrivedAt).toBe('2026-11-25T03:00:00.000Z');
    expect(built({ disposedAt: '2026-11-26T08:00:00+07:00', deliveredAt: '2026-12-04T08:00:00+07:00' }).arrivedAt).toBe(
      '2026-12-04T01:00:00.000Z',
    );
  });

  test('no later step known: it arrived now', () => {
    expect(built({}).arrivedAt).toBe('2026-12-07T03:00:00.000Z');
  });

  test('a notification time that is no time is refused', () => {
    expect(laporComplaint({ ...report, deliveredAt: 'kemarin' }, new Date())).toEqual({
      ok: false,
      reason: 'deliveredAt "kemarin" bukan waktu',
    });
  });
});
