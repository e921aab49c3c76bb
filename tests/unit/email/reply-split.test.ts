import { splitReply, trimBlock } from '../../../src/channels/email/reply-split';

describe('splitReply', () => {
  it('returns plain text unchanged', () => {
    expect(splitReply('KTP saya hilang.\n\nBagaimana mengurus yang baru?')).toEqual({
      text: 'KTP saya hilang.\n\nBagaimana mengurus yang baru?',
    });
  });

  it.each([
    ['Gmail (id)', 'Pada Sen, 30 Nov 2026 pukul 09.12 Layanan Pengaduan <pengaduan@x.go.id> menulis:'],
    ['Gmail (en)', 'On Mon, 30 Nov 2026 at 09:12, Layanan Pengaduan <pengaduan@x.go.id> wrote:'],
    ['Apple Mail (id)', 'Pada 30 Nov 2026, pukul 09.12, Layanan <pengaduan@x.go.id> menulis:'],
    ['Yahoo (id)', 'Pada Senin, 30 November 2026 09.12.44 WIB, Layanan Pengaduan <pengaduan@x.go.id> menulis:'],
    ['Outlook', '-----Original Message-----'],
    ['Outlook (id)', '----- Pesan Asli -----'],
    ['Gmail forward', '---------- Forwarded message ---------'],
    ['Yahoo forward (id)', '----- Pesan yang Diteruskan -----'],
    ['Outlook separator', '________________________________'],
    ['phone client', 'pengaduan@x.go.id menulis:'],
  ])('cuts the quote at the %s opener', (_name, opener) => {
    const body = `Baik, terima kasih. Saya datang besok.\n\n${opener}\n> Yth. Bapak,\n> Pengaduan Anda kami terima.`;
    const split = splitReply(body);
    expect(split.text).toBe('Baik, terima kasih. Saya datang besok.');
    expect(split.quotedText).toBe(`${opener}\n> Yth. Bapak,\n> Pengaduan Anda kami terima.`);
  });

  it('joins an "On … wrote:" line that the mail program wrapped', () => {
    const split = splitReply(
      'Sudah saya kirim.\n\nOn Mon, 30 Nov 2026 at 09:12, Layanan Pengaduan <\npengaduan@x.go.id> wrote:\n> teks lama',
    );
    expect(split.text).toBe('Sudah saya kirim.');
    expect(split.quotedText).toMatch(/^On Mon/);
  });

  it('recognises the Outlook header block in Indonesian', () => {
    const split = splitReply(
      'Mohon info lanjut.\n\nDari: Layanan Pengaduan <pengaduan@x.go.id>\nDikirim: Senin, 30 November 2026 09.12\nKepada: warga@outlook.com\nPerihal: KTP\n\nteks lama',
    );
    expect(split.text).toBe('Mohon info lanjut.');
    expect(split.quotedText).toMatch(/^Dari: Layanan/);
  });

  it('takes a trailing block of "> " lines as the quote, but leaves interleaved answers alone', () => {
    expect(splitReply('Setuju.\n\n> Apakah Bapak setuju?\n> Terima kasih')).toEqual({
      text: 'Setuju.',
      quotedText: '> Apakah Bapak setuju?\n> Terima kasih',
    });
    const interleaved = '> Kapan datang?\nBesok pagi.\n> Bawa apa?\nKK asli.';
    expect(splitReply(interleaved)).toEqual({ text: interleaved });
  });

  it.each([
    ['-- delimiter', 'Rosmawati\nJl. Sisingamangaraja 12, Sidikalang', '--'],
    ['mobile footer', 'Dikirim dari iPhone saya', ''],
    ['English mobile footer', 'Sent from my Galaxy', ''],
    ['Outlook mobile', 'Get Outlook for Android', ''],
    ['Indonesian closing', 'Hormat saya,\nJhon Tumanggor\n0812-6000-1111', ''],
    ['closing "Salam hormat"', 'Salam hormat,\nTiurma', ''],
    ['Wassalam', 'Wassalamualaikum\nAhmad Capah', ''],
  ])('separates the signature (%s)', (_name, signature, delimiter) => {
    const body = `Mohon dibantu reset akun Perkebbas.\n\n${delimiter ? `${delimiter}\n` : ''}${signature}`;
    expect(splitReply(body)).toEqual({ text: 'Mohon dibantu reset akun Perkebbas.', signature });
  });

  it('keeps "Terima kasih" and a signature-like word inside the text', () => {
    const body =
      'Salam,\nsaya ingin bertanya tentang KIA untuk anak saya yang lahir di Sumbul bulan lalu, syaratnya apa saja?\nTerima kasih.';
    expect(splitReply(body)).toEqual({ text: body });
  });

  it('keeps a bare forward (nothing written above it) as the text', () => {
    const body = '---------- Forwarded message ---------\nFrom: Bank <noreply@bank.example>\n\nNIK tidak ditemukan.';
    expect(splitReply(body)).toEqual({ text: body });
  });

  it('splits quote and signature together', () => {
    const split = splitReply(
      'Data sudah saya perbaiki.\n\nSalam,\nMaruli\n\nPada Sel, 1 Des 2026 pukul 08.00 Layanan <p@x.go.id> menulis:\n> lama',
    );
    expect(split).toEqual({
      text: 'Data sudah saya perbaiki.',
      signature: 'Salam,\nMaruli',
      quotedText: 'Pada Sel, 1 Des 2026 pukul 08.00 Layanan <p@x.go.id> menulis:\n> lama',
    });
  });
});

describe('linear time on hostile bodies', () => {
  it('still finds a phone reply header with an address or number', () => {
    expect(splitReply('Sudah saya kirim.\n\nBudi <budi@gmail.com> menulis:\n> lama').text).toBe('Sudah saya kirim.');
    expect(splitReply('Sudah.\n\n0812-3456-7890 wrote:\n> lama').text).toBe('Sudah.');
    expect(splitReply('Tanpa alamat menulis:\nlama').text).toBe('Tanpa alamat menulis:\nlama');
  });

  it('reads 2 MB of 400-digit lines ending in "menulis:" and 200 KB of spaces within a generous bound (linear code takes milliseconds)', () => {
    const digits = `${'7'.repeat(392)} menulis:\n`.repeat(5000);
    const spaces = `${' '.repeat(200_000)}x\nHormat saya${' '.repeat(100_000)}x`;
    for (const body of [digits, spaces]) {
      const started = Date.now();
      splitReply(body);
      trimBlock(body);
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });
});
