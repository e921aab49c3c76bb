import { slipComplaint, walkInComplaint } from '../../../src/channels/offline/normalize';
import { validateComplaint } from '../../../src/domain/complaint';

const NOW = '2026-11-30T02:00:00.000Z';

describe('walk-in form', () => {
  test('queue number and office date identify the visit; phone normalized; record valid', () => {
    const result = walkInComplaint({ queue: 'a012', name: ' Hotman ', phone: '0813-7000-4455', text: ' Pencatatan perkawinan langsung ' }, NOW, '2026-11-30');
    expect(result).toEqual({
      ok: true,
      complaint: {
        channel: 'walk-in', sourceId: 'walk-in:2026-11-30:A012', receivedAt: NOW, queueNumber: 'A012',
        complainant: { name: 'Hotman', phone: '+6281370004455' }, text: 'Pencatatan perkawinan langsung',
      },
    });
    if (result.ok) expect(validateComplaint(result.complaint).ok).toBe(true);
  });

  test('the same queue number on another day is another visit', () => {
    const a = walkInComplaint({ queue: 'A012', text: 'x' }, NOW, '2026-11-30');
    const b = walkInComplaint({ queue: 'A012', text: 'x' }, NOW, '2026-12-01');
    expect(a.ok && b.ok && a.complaint.sourceId !== b.complaint.sourceId).toBe(true);
  });

  test.each([
    [{ phone: '12', text: 'x' }, /telepon "12" tidak valid/],
    [{ queue: 'antrian 12', text: 'x' }, /nomor antrian "antrian 12" tidak valid/],
  ])('rejects %p with an Indonesian reason', (form, reason) => {
    const result = walkInComplaint(form, NOW, '2026-11-30');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('suggestion-box slips', () => {
  test('a dated slip is received at 08:00 WIB that day; slip number is the identity', () => {
    const result = slipComplaint(JSON.stringify({ slip: 'KS-0031', date: '2026-11-27', phone: '+62 812 1111 2222', text: 'Antrean terlalu panjang' }), 1, NOW);
    expect(result).toMatchObject({ ok: true, complaint: { channel: 'suggestion-box', sourceId: 'slip:KS-0031', receivedAt: '2026-11-27T01:00:00.000Z', complainant: { phone: '+6281211112222' } } });
  });

  test('without a number the slip is identified by its content, stably', () => {
    const line = JSON.stringify({ text: 'Mohon tambah kursi ruang tunggu' });
    const a = slipComplaint(line, 1, NOW);
    const b = slipComplaint(line, 9, '2026-12-01T00:00:00.000Z');
    expect(a.ok && b.ok && a.complaint.sourceId === b.complaint.sourceId).toBe(true);
  });

  test.each([
    ['{not json', /baris 3: bukan JSON/],
    ['{"name":"Ani"}', /baris 3: kolom "text"/],
    ['{"text":"x","date":"kemarin"}', /baris 3: tanggal "kemarin"/],
    ['{"text":"x","date":"1899-01-01"}', /baris 3: tanggal "1899-01-01"/],
    ['{"text":"x","phone":"abc"}', /baris 3: nomor telepon/],
  ])('%s → clear reason', (line, reason) => {
    const result = slipComplaint(line, 3, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('slips typed in wrongly', () => {
  const now = '2026-11-30T02:00:00.000Z';
  test('a name that is a number is taken as text, not an exception that stops the whole file', () => {
    expect(slipComplaint('{"text":"Toilet rusak","name":123}', 1, now)).toMatchObject({ ok: true, complaint: { complainant: { name: '123' } } });
  });

  test.each([
    ['slip', '{"text":"Antrean panjang","slip":{"$gt":""}}'],
    ['name', '{"text":"Antrean panjang","name":["a"]}'],
    ['date', '{"text":"Antrean panjang","date":{"$ne":null}}'],
    ['phone', '{"text":"Antrean panjang","phone":true}'],
    ['text', '{"text":{"$gt":""}}'],
  ])('a %s that is not text is reported with the line, not turned into "[object Object]"', (key, line) => {
    const result = slipComplaint(line, 4, now);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(new RegExp(`^baris 4: kolom "${key}"`)) });
  });

  test('two slips with blank numbers are two complaints, not one', () => {
    const a = slipComplaint('{"slip":"  ","text":"Petugas tidak ramah"}', 1, now);
    const b = slipComplaint('{"slip":"","text":"Kursi ruang tunggu kurang"}', 2, now);
    expect(a.ok && b.ok && a.complaint.sourceId !== b.complaint.sourceId).toBe(true);
    expect(a.ok && a.complaint.sourceId).not.toBe('slip:');
  });

  test('__proto__ in a line does not supply the text', () => {
    expect(slipComplaint('{"__proto__":{"text":"dari prototipe"}}', 1, now)).toMatchObject({ ok: false });
  });
});
