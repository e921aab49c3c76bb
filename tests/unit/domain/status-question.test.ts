import { detectStatusQuestion, MAX_STATUS_QUESTION } from '../../../src/domain/citizens/status-question';

describe('detectStatusQuestion', () => {
  test.each([
    ['Sudah sampai mana pengaduan saya ADU-2026-000123?', { kind: 'named', year: 2026, sequence: 123 }],
    ['cek status adu-2026-123', { kind: 'named', year: 2026, sequence: 123 }],
    ['min, cek adu 123 ya', { kind: 'named', sequence: 123 }],
    ['status #123', { kind: 'named', sequence: 123 }],
    ['#123 gimana?', { kind: 'named', sequence: 123 }],
    ['Bagaimana perkembangan aduan nomor 45?', { kind: 'named', sequence: 45 }],
    ['gimana kabarnya no tiket 7', { kind: 'named', sequence: 7 }],
    ['adu123 sudah diproses?', { kind: 'named', sequence: 123 }],
    ['ADU 2026 000123 kapan selesai', { kind: 'named', year: 2026, sequence: 123 }],
    [
      'Selamat pagi, mohon info status tiket ADU-2025-000981. Terima kasih',
      { kind: 'named', year: 2025, sequence: 981 },
    ],
    ['Pak, pengaduan saya nomor 12 sudah ditangani belum?', { kind: 'named', sequence: 12 }],
    ['Kak mau cek ADU-2026-000004 dong', { kind: 'named', year: 2026, sequence: 4 }],
  ])('%s → named', (text, expected) => {
    expect(detectStatusQuestion(text)).toEqual(expected);
  });

  test.each([
    ['Sudah sampai mana pengaduan saya?', true],
    ['sampe mana ya min laporan sy', true],
    ['Bagaimana perkembangannya pak?', false],
    ['Apakah sudah ada perkembangan atas pengaduan saya?', true],
    ['Mohon info, sejauh mana proses pengaduan saya', true],
    ['pengaduan saya udah diproses belum ya?', true],
    ['progresnya gimana kak', false],
    ['cek status pengaduan', true],
    ['Sudah ada kabar belum pak?', false],
  ])('%s → unnamed (about a complaint: %s)', (text, aboutComplaint) => {
    expect(detectStatusQuestion(text)).toEqual({ kind: 'unnamed', aboutComplaint });
  });

  // "no/nomor" and digits in a question that speaks of no complaint: maybe a queue, a house, a child.
  test.each([
    ['Kapan jadwal perekaman KTP di kecamatan? Saya nomor 3 di daftar', 3],
    ['Bagaimana cara mengurus akta kelahiran no 2 anak saya?', 2],
  ])('%s → a bare number', (text, sequence) => {
    expect(detectStatusQuestion(text)).toEqual({ kind: 'named', sequence, bare: true });
  });

  // Complaints and follow-ups with content: never swallowed as a status question.
  test.each([
    'Sudah sampai mana pengaduan saya? Petugas di kantor minta uang 200 ribu',
    'Sudah sampai mana? Saya mau komplain, petugas loket 3 tidak sopan',
    'status tiket 5, tolong segera, data saya dipakai untuk pinjol',
    'KTP saya sampai sekarang belum jadi, status NIK tidak aktif',
    'KTP elektronik saya belum dicetak sejak bulan lalu',
    'pak, ktp saya blm selesai juga',
    'status perkawinan di KK saya salah, mohon diperbaiki',
    'Bagaimana cara mengurus akta kelahiran anak saya?',
    'NIK saya ditolak waktu daftar BPJS, sampai mana harus saya urus?',
    'ADU-2026-000123 status NIK saya masih tidak aktif, gimana ini?',
    'Kapan pelayanan buka hari Sabtu?',
    'Saya mau tanya syarat pindah domisili',
    'ADU-2026-000123',
    'Terima kasih pak, sudah beres',
    'cek nomor 081234567890',
    '',
    'cek #0',
    'status adu 1899 12',
    'antrian di loket lama sekali, kapan selesai?',
    'Kartu keluarga saya hilang, sudah lapor ke polisi, gimana prosesnya?',
  ])('%j is no status question', (text) => {
    expect(detectStatusQuestion(text)).toBeUndefined();
  });

  test('a long message is a complaint even with a status word', () => {
    expect(detectStatusQuestion(`cek status ${'x'.repeat(MAX_STATUS_QUESTION)}`)).toBeUndefined();
    expect(detectStatusQuestion(`sampai mana ${'kata '.repeat(45)}`)).toBeUndefined();
  });

  test('hostile input is linear: a megabyte of digits, hashes and status words returns at once', () => {
    const hostile = '#1 adu '.repeat(150_000) + 'cek';
    const started = performance.now();
    expect(detectStatusQuestion(hostile)).toBeUndefined();
    const short = `${'# adu nomor '.repeat(10)}sampai mana`;
    expect(detectStatusQuestion(short)).toEqual({ kind: 'unnamed', aboutComplaint: false });
    expect(performance.now() - started).toBeLessThan(100);
  });
});
