import { validateComplaint, withPlausibleReceivedAt, type ComplaintInput } from '../../../src/domain/complaint';
import { ageStart } from '../../../src/domain/history-age';
import { findTicketNumber, formatTicketNumber, yearInZone } from '../../../src/domain/ticket-number';

const valid = {
  channel: 'email',
  sourceId: '<abc@mail.example.com>',
  receivedAt: '2026-11-30T09:00:00+07:00',
  complainant: { name: 'Rosmawati Sinaga', email: 'rosma@example.com' },
  text: 'Mohon bantuan surat keterangan domisili.',
};

describe('complaint record validation', () => {
  test('a valid record gets its defaults', () => {
    const outcome = validateComplaint(valid);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.complaint.attachments).toEqual([]);
      expect(outcome.complaint.references).toEqual([]);
      expect(outcome.complaint.autoReplyAllowed).toBe(true);
    }
  });

  test.each([
    ['unknown channel', { ...valid, channel: 'fax' }, 'channel'],
    ['missing source id', { ...valid, sourceId: undefined }, 'sourceId'],
    ['bad date', { ...valid, receivedAt: 'kemarin' }, 'receivedAt'],
    ['phone not normalized', { ...valid, complainant: { phone: '0812345' } }, 'complainant.phone'],
    ['NIK with 15 digits', { ...valid, complainant: { nik: '121104570689000' } }, 'complainant.nik'],
    ['no text, subject or attachment', { ...valid, text: '   ' }, 'text'],
    ['unknown field', { ...valid, surprise: 1 }, 'surprise'],
  ])('%s is rejected with a reason naming the field', (_name, candidate, field) => {
    const outcome = validateComplaint(candidate);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toContain(field);
  });

  test('not an object at all', () => {
    const outcome = validateComplaint('hello');
    expect(outcome.ok).toBe(false);
  });
});

describe('ticket numbers', () => {
  test('format and find', () => {
    expect(formatTicketNumber(2026, 123)).toBe('ADU-2026-000123');
    expect(findTicketNumber('Re: Pengaduan Anda diterima [adu-2026-000123]')).toBe('ADU-2026-000123');
    expect(findTicketNumber('tidak ada nomor')).toBeUndefined();
  });

  test('the year is the office year: 31 Dec 18:00 UTC is already next year in Jakarta', () => {
    expect(yearInZone('2026-12-31T18:00:00Z', 'Asia/Jakarta')).toBe(2027);
    expect(yearInZone('2026-12-31T16:00:00Z', 'Asia/Jakarta')).toBe(2026);
  });
});

describe('implausible source times', () => {
  const now = new Date('2026-11-30T02:00:00Z');
  const parsed = (receivedAt: string) => {
    const outcome = validateComplaint({ ...valid, receivedAt });
    if (!outcome.ok) throw new Error(outcome.reason);
    return outcome.complaint as ComplaintInput;
  };

  test.each([
    '1900-01-01T01:00:00.000Z',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59.000Z',
    '2199-01-01T00:00:00+07:00',
    '2026-12-02T03:00:00Z',
  ])('%s counts from the time of receipt, the claim kept in meta', (receivedAt) => {
    const fixed = withPlausibleReceivedAt(parsed(receivedAt), now);
    expect(fixed.receivedAt).toBe(now.toISOString());
    expect(fixed.meta).toMatchObject({
      receivedAtClaimed: receivedAt,
      receivedAtNote: expect.stringContaining('tidak masuk akal'),
    });
  });

  test.each(['2026-11-30T09:00:00+07:00', '2015-06-01T00:00:00Z', '2026-12-01T01:00:00Z'])(
    '%s is kept',
    (receivedAt) => {
      const complaint = parsed(receivedAt);
      expect(withPlausibleReceivedAt(complaint, now)).toBe(complaint);
    },
  );

  // A LAPOR! disposition or a portal's mapping.arrivedAt is a claim too: one far ahead would start the SLA
  // clock (ageStart) years from now, so the ticket would never be reminded or escalated.
  test.each(['9999-12-31T23:59:59.000Z', '2199-01-01T00:00:00+07:00'])(
    'an arrival at %s counts from the time of receipt, the claim kept in meta',
    (arrivedAt) => {
      const complaint = { ...parsed('2026-11-29T09:00:00+07:00'), arrivedAt };
      const fixed = withPlausibleReceivedAt(complaint, now);
      expect(fixed.receivedAt).toBe(complaint.receivedAt);
      expect(fixed.arrivedAt).toBe(now.toISOString());
      expect(ageStart(fixed)).toBe(now.toISOString());
      expect(fixed.meta).toMatchObject({ arrivedAtClaimed: arrivedAt });
    },
  );

  test('a plausible arrival is kept', () => {
    const complaint = { ...parsed('2026-11-25T09:00:00+07:00'), arrivedAt: '2026-11-30T08:00:00+07:00' };
    expect(withPlausibleReceivedAt(complaint, now)).toBe(complaint);
  });
});

describe('text with nothing to read', () => {
  test.each([' \n\t ', '\u200b\u200b', '\ufeff \u200d', '\u0000\u0000', ' \u2060\u200e '])(
    '%j counts as no text',
    (text) => {
      const outcome = validateComplaint({ ...valid, text });
      expect(outcome).toMatchObject({ ok: false, reason: expect.stringContaining('complaint has no text') });
    },
  );

  test('an emoji alone is text', () => {
    expect(validateComplaint({ ...valid, text: '👍' }).ok).toBe(true);
  });
});
