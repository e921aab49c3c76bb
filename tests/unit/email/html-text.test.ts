import { htmlAsText, MAX_HTML_LENGTH, nestingExceeds } from '../../../src/channels/email/html-text';
import { parseEmail } from '../../../src/channels/email/parse';

const htmlMail = (html: string) =>
  Buffer.from(
    `From: Warga <warga@example.net>\r\nSubject: Aduan\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}`,
  );

describe('HTML mail to text', () => {
  it('keeps table cells apart, one row per line', async () => {
    const html =
      '<p>Data saya salah:</p><table><tr><th>Nama</th><th>NIK</th><th>Data yang salah</th></tr>' +
      '<tr><td>Rina Br Sinaga</td><!-- c --><td>1211</td><td>Tanggal lahir</td></tr></table><p>Mohon dibantu.</p>';
    const mail = await parseEmail(htmlMail(html));
    expect(mail.text).toBe(
      'Data saya salah:\n\nNama | NIK | Data yang salah\nRina Br Sinaga | 1211 | Tanggal lahir\n\nMohon dibantu.',
    );
  });

  it('a text/plain alternative is left as written', async () => {
    const raw = Buffer.from(
      'From: a@example.net\r\nSubject: x\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n' +
        '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nteks biasa\r\n' +
        '--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<table><tr><td>a<td>b</table>\r\n--b--\r\n',
    );
    expect((await parseEmail(raw)).text?.trim()).toBe('teks biasa');
  });

  it('1 MB of unclosed table cells converts in linear time (mailparser’s table layout took 10 s)', async () => {
    const started = Date.now();
    const mail = await parseEmail(htmlMail(`<table><tr>${'<td>a'.repeat(200_000)}</table>`));
    expect(mail.text?.startsWith('a | a | a')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses HTML nested deeper than the limit or longer than the cap, as mailparser did', async () => {
    expect(nestingExceeds('<b>'.repeat(1001), 1000)).toBe(true);
    expect(nestingExceeds('<b></b>'.repeat(5000) + '<td>'.repeat(5000) + '<br>'.repeat(5000), 1000)).toBe(false);
    expect(nestingExceeds('<div>'.repeat(600) + '</span>' + '</div>'.repeat(600) + '<div>'.repeat(600), 1000)).toBe(
      false,
    );
    const deep = await parseEmail(htmlMail(`${'<b>'.repeat(5000)}x`));
    expect(deep.text ?? '').toBe('');
    expect(deep.textConversionError?.message).toMatch(/nested deeper/);
    expect(htmlAsText('x'.repeat(MAX_HTML_LENGTH + 1))).toEqual({
      ok: false,
      reason: expect.stringMatching(/too long/),
    });
  });
});
