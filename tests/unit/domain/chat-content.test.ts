import { hasChatContent } from '../../../src/domain/chat-content';

describe('hasChatContent', () => {
  it.each([
    'halo min',
    'Halooo miinn',
    'selamat siang bapak/ibu',
    'Selamat pagi kak 🙏',
    'pagi kak',
    'p',
    'P',
    'permisi',
    '🙏🙏🙏',
    '👍',
    'Assalamu’alaikum wr. wb.',
    'Horas!',
    'mau tanya min',
    'Maaf mengganggu… eh, permisi',
    'terima kasih banyak',
    'ok min, makasih ya',
    '   ',
    'mohon bantuannya',
  ])('"%s" is small talk', (text) => {
    expect(hasChatContent(text)).toBe(false);
  });

  it.each([
    'halo min, KTP saya belum jadi sudah 3 bulan',
    'selamat siang, akta kelahiran anak saya salah nama',
    'pagi kak, mau urus pindah domisili ke Sidikalang',
    'NIK 1211010101900001',
    'kapan KIA bisa diambil?',
    'min, petugas minta uang 50 ribu',
  ])('"%s" has content', (text) => {
    expect(hasChatContent(text)).toBe(true);
  });

  it('stays linear on long hostile input', () => {
    const long = `${'halo '.repeat(200_000)}${'a'.repeat(1_000_000)}${'🙏'.repeat(200_000)}`;
    const started = performance.now();
    expect(hasChatContent(long)).toBe(true);
    expect(hasChatContent('min '.repeat(500_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
