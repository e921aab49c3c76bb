import { citizenMessageOutcome } from '../../../src/domain/ticket-life';

/**
 * Staff asked the citizen a question (#tanya). "Sudah pak", "iya", "ya bu" are answers to it, not thanks:
 * taken for thanks, the answer never reached the team and the ticket waited on the citizen for ever.
 */

const WEEK = 7 * 24 * 3600;
const waiting = { status: 'waiting-citizen' as const, history: [] };
const message = (text: string) => ({ text, attachments: 0, at: '2026-12-01T03:00:00Z' });

test.each(['Sudah pak', 'iya', 'ya bu', 'udah min', 'sdh', 'Iya, sudah diterima', 'paham pak'])(
  'while waiting, "%s" answers the question',
  (text) => {
    expect(citizenMessageOutcome(waiting, message(text), WEEK)).toBe('resume');
  },
);

test('while waiting, a plain thanks or "oke" still only acknowledges', () => {
  for (const text of ['terima kasih pak', 'oke pak', 'makasih min 🙏', 'siap'])
    expect(citizenMessageOutcome(waiting, message(text), WEEK)).toBe('ack');
});

test('on an open ticket, "sudah pak" is still only an acknowledgement', () => {
  expect(citizenMessageOutcome({ status: 'routed', history: [] }, message('sudah pak'), WEEK)).toBe('ack');
});
