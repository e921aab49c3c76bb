import {
  composeStatusAnswer,
  NEW_FACTS,
  composeStatusNotFound,
  currentStep,
  decideStatusAnswer,
  type AskableTicket,
} from '../../../src/domain/citizens/status-answer';
import type { HistoryEntry, TicketStatus } from '../../../src/domain/complaint';

const TZ = 'Asia/Jakarta';
const own = (ticketNumber: string, status: TicketStatus, receivedAt = '2026-11-30T02:00:00Z'): AskableTicket => ({
  ticketId: ticketNumber,
  ticketNumber,
  status,
  receivedAt,
});

describe('decideStatusAnswer', () => {
  const mine = [own('ADU-2026-000123', 'routed'), own('ADU-2025-000123', 'resolved', '2025-05-01T00:00:00Z')];
  test("a named number among the sender's tickets is answered (the newest year when none is given)", () => {
    expect(decideStatusAnswer({ kind: 'named', sequence: 123 }, mine)).toEqual({
      kind: 'answer',
      ticketId: 'ADU-2026-000123',
    });
    expect(decideStatusAnswer({ kind: 'named', year: 2025, sequence: 123 }, mine)).toEqual({
      kind: 'answer',
      ticketId: 'ADU-2025-000123',
    });
  });
  test('a number not among them is "not found", whoever it belongs to', () => {
    expect(decideStatusAnswer({ kind: 'named', sequence: 124 }, mine)).toEqual({ kind: 'not-found' });
    expect(decideStatusAnswer({ kind: 'named', sequence: 1 }, [])).toEqual({ kind: 'not-found' });
    // A bare "no 2" that is none of theirs goes on as before (a new complaint, a follow-up), never "not found".
    expect(decideStatusAnswer({ kind: 'named', sequence: 2, bare: true }, [])).toEqual({ kind: 'pass' });
    expect(decideStatusAnswer({ kind: 'named', sequence: 124, bare: true }, mine)).toEqual({ kind: 'pass' });
    expect(decideStatusAnswer({ kind: 'named', sequence: 123, bare: true }, mine)).toMatchObject({ kind: 'answer' });
  });
  test('unnamed: the only open ticket; none at all → not found if it speaks of a complaint; else as before', () => {
    expect(decideStatusAnswer({ kind: 'unnamed', aboutComplaint: false }, mine)).toEqual({
      kind: 'answer',
      ticketId: 'ADU-2026-000123',
    });
    expect(decideStatusAnswer({ kind: 'unnamed', aboutComplaint: true }, [])).toEqual({ kind: 'not-found' });
    expect(decideStatusAnswer({ kind: 'unnamed', aboutComplaint: false }, [])).toEqual({ kind: 'pass' });
    const two = [...mine, own('ADU-2026-000200', 'waiting-citizen')];
    expect(decideStatusAnswer({ kind: 'unnamed', aboutComplaint: true }, two)).toEqual({ kind: 'pass' });
    expect(decideStatusAnswer({ kind: 'unnamed', aboutComplaint: true }, [mine[1]!])).toEqual({ kind: 'pass' });
  });
});

describe('composeStatusAnswer', () => {
  const ticket = (status: TicketStatus, history: HistoryEntry[] = []) => ({
    ticketNumber: 'ADU-2026-000123',
    receivedAt: '2026-11-30T02:05:00Z',
    dueAt: '2026-12-01T02:05:00Z',
    status,
    history,
  });
  test('a chat reads the lines; a mail gets a salutation and signature', () => {
    const input = { ticket: ticket('routed'), label: 'Perekaman KTP-el', teamName: 'Bidang Pelayanan', timeZone: TZ };
    const chat = composeStatusAnswer({ ...input, channel: 'whatsapp' });
    expect(chat.text.split('\n').slice(0, 5)).toEqual([
      'Status pengaduan ADU-2026-000123',
      'Jenis: Perekaman KTP-el',
      'Diterima: Senin, 30 November 2026 pukul 09.05 WIB',
      'Tahap saat ini: diteruskan ke tim Bidang Pelayanan dan sedang ditangani',
      'Target penyelesaian: Selasa, 1 Desember 2026 pukul 09.05 WIB',
    ]);
    expect(chat.text).not.toContain('Yth.');
    // Something new for the team is asked for in a message of its own (which goes on to the team).
    expect(chat.text).toContain(NEW_FACTS);
    const mail = composeStatusAnswer({ ...input, channel: 'email' });
    expect(mail.subject).toBe('Status pengaduan Anda [ADU-2026-000123]');
    expect(mail.text.startsWith('Yth. Bapak/Ibu,')).toBe(true);
  });
  test('each step in Indonesian words', () => {
    const step = (status: TicketStatus, history: HistoryEntry[] = []) =>
      currentStep({ ticket: ticket(status, history), teamName: 'Tim Pengelola Pengaduan', timeZone: TZ });
    expect(step('received')).toBe('diterima, sedang diteruskan ke tim yang menangani');
    expect(step('routed')).toBe('diteruskan ke Tim Pengelola Pengaduan dan sedang ditangani');
    expect(step('waiting-citizen')).toContain('menunggu jawaban Anda');
    expect(
      step('resolved', [{ at: '2026-11-30T03:00:00Z', event: 'staff-reply', note: 'KTP sudah dapat diambil.' }]),
    ).toBe('selesai dengan jawaban petugas pada Senin, 30 November 2026 pukul 10.00 WIB: "KTP sudah dapat diambil."');
    expect(
      composeStatusAnswer({
        ticket: ticket('waiting-citizen'),
        label: 'x',
        teamName: 't',
        timeZone: TZ,
        channel: 'messenger',
      }).text,
    ).toContain('Target penyelesaian: dihentikan sementara sampai Anda menjawab');
  });
  test('"not found" names nothing', () => {
    const { subject, text } = composeStatusNotFound('email');
    expect(`${subject}\n${text}`).not.toMatch(/ADU-|\d{3}/);
    expect(text).toContain('tidak ditemukan untuk akun ini');
  });
});
