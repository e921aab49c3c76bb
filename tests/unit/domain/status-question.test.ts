import { detectStatusQuestion, MAX_STATUS_QUESTION } from '../../../src/domain/citizens/status-question';

describe('detectStatusQuestion', () => {
  test.each([
    ['Sudah sampai mana pengaduan saya ADU-2026-000123?', { kind: 'named', year: 2026, sequence: 123 }],
    ['cek status adu-2026-123', { kind: 'named', year: 2026, sequence: 123 }],
    ['min, cek adu 123 ya', { kind: 'named', sequence: 123 }],
    ['status #123', { kind: 'named', sequence: 123 }],
    ['Bagaimana perkembangan aduan nomor 45?', { kind: 'named', sequence: 45 }],
    ['gimana kabarnya no tiket 7', { kind: 'named', sequence: 7 }],
    ['adu123 sudah diproses?', { kind: 'named', sequence: 123 }],
    ['ADU 2026 000123 kapan selesai', { kind: 'named', year: 2026, sequence: 123 }],
    ['Sudah sampai mana pengaduan saya?', { kind: 'unnamed' }],
    ['pak, ktp saya blm selesai juga', { kind: 'unnamed' }],
  ])('%s', (text, expected) => {
    expect(detectStatusQuestion(text)).toEqual(expected);
  });

  test.each([
    'KTP elektronik saya belum dicetak sejak bulan lalu',
    'ADU-2026-000123',
    'Terima kasih pak, sudah beres',
    '',
    'cek #0',
    'status adu 1899 12',
  ])('%j is no status question (or names no valid ticket)', (text) => {
    const found = detectStatusQuestion(text);
    if (text === 'cek #0' || text === 'status adu 1899 12') expect(found).toEqual({ kind: 'unnamed' });
    else expect(found).toBeUndefined();
  });

  test('a long message is a complaint even with a status word', () => {
    expect(detectStatusQuestion(`cek ${'x'.repeat(MAX_STATUS_QUESTION)}`)).toBeUndefined();
  });

  test('hostile input is linear: a megabyte of digits, hashes and status words returns at once', () => {
    const hostile = '#1 adu '.repeat(150_000) + 'cek';
    const started = performance.now();
    expect(detectStatusQuestion(hostile)).toBeUndefined();
    const short = `${'# adu nomor '.repeat(20)}cek`;
    expect(detectStatusQuestion(short)).toEqual({ kind: 'unnamed' });
    expect(performance.now() - started).toBeLessThan(100);
  });
});
