import { parseEntryDate } from '../../../src/channels/offline/entry-date';
import { slipLine, walkInComplaint, walkInLine } from '../../../src/channels/offline/normalize';
import { validateComplaint } from '../../../src/domain/complaint';

const NOW = new Date('2026-12-06T02:00:00.000Z'); // 09:00 WIB on 6 December 2026
const context = { timeZone: 'Asia/Jakarta', now: NOW };
const slip = (fields: Record<string, unknown>, lineNo = 1) => slipLine(JSON.stringify(fields), lineNo, context);

describe('walk-in form', () => {
  test('queue number and office date identify the visit; phone normalized; record valid', () => {
    const result = walkInComplaint(
      { queue: 'a012', name: ' Hotman ', phone: '0813-7000-4455', text: ' Pencatatan perkawinan langsung ' },
      context,
    );
    expect(result).toEqual({
      ok: true,
      complaint: {
        channel: 'walk-in',
        sourceId: 'walk-in:2026-12-06:A012',
        receivedAt: '2026-12-06T09:00:00+07:00',
        queueNumber: 'A012',
        complainant: { name: 'Hotman', phone: '+6281370004455' },
        text: 'Pencatatan perkawinan langsung',
        meta: { entryHash: expect.stringMatching(/^[0-9a-f]{16}$/) },
      },
    });
    if (result.ok) expect(validateComplaint(result.complaint).ok).toBe(true);
  });

  test('the same queue number on another day is another visit; a date is read day first', () => {
    const today = walkInComplaint({ queue: 'A012', text: 'x' }, context);
    const earlier = walkInComplaint({ queue: 'A012', text: 'x', date: '04/12/2026 10.30' }, context);
    expect(today.ok && today.complaint.sourceId).toBe('walk-in:2026-12-06:A012');
    expect(earlier).toMatchObject({
      ok: true,
      complaint: { sourceId: 'walk-in:2026-12-04:A012', receivedAt: '2026-12-04T10:30:00+07:00' },
    });
  });

  test('the entry hash tells the same citizen and words from different ones', () => {
    const hash = (form: Parameters<typeof walkInComplaint>[0]) => {
      const r = walkInComplaint(form, context);
      return r.ok ? r.complaint.meta?.entryHash : undefined;
    };
    const base = { queue: 'A012', name: 'Hotman', text: 'KK belum jadi' };
    expect(hash(base)).toBe(hash({ ...base, text: '  KK  belum jadi ' }));
    expect(hash(base)).not.toBe(hash({ ...base, name: 'Rugun' }));
    expect(hash(base)).not.toBe(hash({ ...base, text: 'Akta belum jadi' }));
  });

  test.each([
    [{ phone: '12', text: 'x' }, /telepon "12" tidak valid/],
    [{ queue: 'antrian 12', text: 'x' }, /nomor antrian "antrian 12" tidak valid/],
    [{ date: '12/31/2026', text: 'x' }, /tanggal "12\/31\/2026" tidak dikenali: tanggal itu tidak ada/],
  ])('rejects %p with an Indonesian reason', (form, reason) => {
    const result = walkInComplaint(form, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  test('a walk-ins file line: unknown fields are errors with the line number', () => {
    expect(walkInLine('{"queue":"A1","nama":"Ani","text":"x"}', 7, context)).toEqual({
      ok: false,
      reason: 'baris 7: kolom "nama" tidak dikenal (yang dikenal: date, queue, name, phone, email, nik, text)',
    });
    expect(walkInLine('{"queue":"A1","date":"31/11/2026","text":"x"}', 8, context)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^baris 8: tanggal "31\/11\/2026"/),
    });
  });
});

describe('suggestion-box slips', () => {
  test('a slip is (box, date received, slip number); a date alone is 08:00 WIB that day', () => {
    const result = slip({
      box: 'MPP',
      slip: 'KS-0031',
      date: '04/12/2026',
      phone: '+62 812 1111 2222',
      text: 'Antrean terlalu panjang',
    });
    expect(result).toMatchObject({
      ok: true,
      complaint: {
        channel: 'suggestion-box',
        sourceId: 'slip:mpp:2026-12-04:KS-0031',
        receivedAt: '2026-12-04T08:00:00+07:00',
        complainant: { phone: '+6281211112222' },
        meta: { box: 'mpp' },
      },
    });
  });

  test('slip 13 of December and slip 13 of November are two slips; so are slip 13 of two boxes', () => {
    const ids = [
      slip({ slip: '13', date: '04/12/2026', text: 'x' }),
      slip({ slip: '13', date: '04/11/2026', text: 'x' }),
      slip({ slip: '13', date: '04/12/2026', box: 'mpp', text: 'x' }),
    ].map((r) => (r.ok ? r.complaint.sourceId : r.reason));
    expect(ids).toEqual(['slip:utama:2026-12-04:13', 'slip:utama:2026-11-04:13', 'slip:mpp:2026-12-04:13']);
  });

  test.each([
    ['04/12/2026', '2026-12-04'],
    ['4-12-26', '2026-12-04'],
    ['04.12.2026', '2026-12-04'],
    ['2026-12-04', '2026-12-04'],
    ['1/2/2026', '2026-02-01'],
    ['2026-11-30T16:00:00+07:00', '2026-11-30'],
  ])('date %s is read day first as %s', (date, day) => {
    const result = slip({ slip: '1', date, text: 'x' });
    expect(result.ok && result.complaint.sourceId).toBe(`slip:utama:${day}:1`);
  });

  test('without a number the slip is identified by its content, stably', () => {
    const a = slip({ text: 'Mohon tambah kursi ruang tunggu', date: '01/12/2026' }, 1);
    const b = slipLine(JSON.stringify({ text: 'Mohon tambah kursi ruang tunggu', date: '01/12/2026' }), 9, {
      ...context,
      now: new Date('2026-12-07T00:00:00Z'),
    });
    expect(a.ok && b.ok && a.complaint.sourceId === b.complaint.sourceId).toBe(true);
  });

  test.each([
    ['{not json', /^baris 3: bukan JSON/],
    ['{"name":"Ani"}', /^baris 3: kolom "text"/],
    ['{"text":"x","date":"kemarin"}', /^baris 3: tanggal "kemarin" tidak dikenali/],
    ['{"text":"x","date":"1899-01-01"}', /^baris 3: tanggal "1899-01-01"/],
    ['{"text":"x","date":"31/04/2026"}', /^baris 3: tanggal "31\/04\/2026" tidak dikenali: tanggal itu tidak ada/],
    ['{"text":"x","date":"12/31/2026"}', /^baris 3: tanggal "12\/31\/2026" tidak dikenali: tanggal itu tidak ada/],
    ['{"text":"x","date":"07/12/2026"}', /^baris 3: tanggal "07\/12\/2026" tidak dikenali: 2026-12-07 belum terjadi/],
    ['{"text":"x","date":"04/12"}', /^baris 3: tanggal "04\/12" tidak dikenali/],
    ['{"text":"x","date":"46000"}', /^baris 3: tanggal "46000" tidak dikenali/],
    ['{"text":"x","phone":"abc"}', /^baris 3: nomor telepon/],
    ['{"text":"x","box":"kotak / lantai 2"}', /^baris 3: kotak saran/],
    [
      '{"text":"x","slip":"1","tanggal":"04/12/2026"}',
      /^baris 3: kolom "tanggal" tidak dikenal \(yang dikenal: box, date, slip, name, phone, text\)$/,
    ],
    [
      '{"text":"x","channel":"suggestion-box","sourceId":"slip-1"}',
      /^baris 3: kolom "channel", "sourceId" tidak dikenal/,
    ],
  ])('%s → clear reason', (line, reason) => {
    const result = slipLine(line, 3, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('slips typed in wrongly', () => {
  test('a name that is a number is taken as text, not an exception that stops the whole file', () => {
    expect(slipLine('{"text":"Toilet rusak","name":123}', 1, context)).toMatchObject({
      ok: true,
      complaint: { complainant: { name: '123' } },
    });
  });

  test.each([
    ['slip', '{"text":"Antrean panjang","slip":{"$gt":""}}'],
    ['name', '{"text":"Antrean panjang","name":["a"]}'],
    ['date', '{"text":"Antrean panjang","date":{"$ne":null}}'],
    ['phone', '{"text":"Antrean panjang","phone":true}'],
    ['text', '{"text":{"$gt":""}}'],
  ])('a %s that is not text is reported with the line, not turned into "[object Object]"', (key, line) => {
    const result = slipLine(line, 4, context);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(new RegExp(`^baris 4: kolom "${key}"`)) });
  });

  test('two slips with blank numbers are two complaints, not one', () => {
    const a = slipLine('{"slip":"  ","text":"Petugas tidak ramah"}', 1, context);
    const b = slipLine('{"slip":"","text":"Kursi ruang tunggu kurang"}', 2, context);
    expect(a.ok && b.ok && a.complaint.sourceId !== b.complaint.sourceId).toBe(true);
    expect(a.ok && a.complaint.sourceId).not.toMatch(/:$/);
  });

  test('__proto__ in a line does not supply the text', () => {
    expect(slipLine('{"__proto__":{"text":"dari prototipe"}}', 1, context)).toMatchObject({ ok: false });
  });
});

test('parseEntryDate never guesses: a bare number is no date', () => {
  expect(parseEntryDate('20261204', context)).toMatchObject({ ok: false });
  expect(parseEntryDate('04/12/2026', context)).toEqual({
    ok: true,
    iso: '2026-12-04T08:00:00+07:00',
    day: '2026-12-04',
  });
});
