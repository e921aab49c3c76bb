import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { runTicketResolve } from '../../../src/cli/commands/ticket';
import { CHROMIUM, skipFileUnless } from '../../support/required-program';
import jsQR from 'jsqr';
import { printedLinks, startWalkInReceipt, type WalkInReceiptFixture } from '../../support/walk-in-receipt';

/**
 * A walk-in's receipt in Debian's headless Chromium: the printable HTML receipt's QR code, rasterised by the
 * browser, read by a real decoder, leads to the link printed beside it; that link on a phone says "masih
 * diproses" until the ticket is resolved, then takes the citizen's answers once. Neither the receipt nor the
 * page asks for anything from elsewhere. Screenshots go to $TMPDIR/aduan-survey-screens.
 */
skipFileUnless(CHROMIUM);
jest.setTimeout(60_000);

const SCREENS = path.join(os.tmpdir(), 'aduan-survey-screens');
const PHONE = { width: 390, height: 844 };
let browser: Browser;
let fixture: WalkInReceiptFixture;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM.path!, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await fixture?.close();
});

test('the printed QR code leads to the link; the phone page waits for the answer, then takes one submission', async () => {
  fixture = await startWalkInReceipt();
  const file = path.join(fixture.env.dir, 'tanda-terima.html');
  const { out } = await fixture.intake({
    channel: 'walk-in',
    queue: 'A031',
    name: 'Rotua Sitanggang',
    phone: '0812 6000 7788',
    text: 'Kartu Keluarga saya belum diperbarui setelah anak lahir, sudah dua minggu.',
    receipt: file,
  });
  const [url] = printedLinks(out);
  const ticketNumber = /Nomor tiket\s+: (\S+)/.exec(out)![1]!;

  // The printable receipt: A4 and print media, every request logged.
  const receipt = await browser.newPage({ viewport: { width: 794, height: 1123 } });
  const receiptRequests: string[] = [];
  receipt.on('request', (r) => receiptRequests.push(r.url()));
  await receipt.goto(pathToFileURL(file).href);
  await receipt.emulateMedia({ media: 'print' });
  await receipt.screenshot({ path: path.join(SCREENS, 'walk-in-receipt.png'), fullPage: true });
  expect(receiptRequests).toEqual([pathToFileURL(file).href]);
  expect(await receipt.getByText(url!, { exact: true }).isVisible()).toBe(true);
  // The QR code as the browser draws it (a screenshot of it), read by a real decoder: the printed link.
  const png = (await receipt.locator('svg').screenshot()).toString('base64');
  await receipt.close();
  const reader = await browser.newPage();
  // Run in the page (a string: the test is compiled without the DOM's types).
  const { width, height, pixels } = await reader.evaluate<{
    width: number;
    height: number;
    pixels: number[];
  }>(`(async () => {
    const image = new Image();
    image.src = 'data:image/png;base64,${png}';
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, image.width, image.height).data;
    return { width: image.width, height: image.height, pixels: Array.from(data) };
  })()`);
  await reader.close();
  expect(jsQR(Uint8ClampedArray.from(pixels), width, height)?.data).toBe(url);

  // The citizen scans it the same day: still being handled.
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url!);
  await page.screenshot({ path: path.join(SCREENS, 'walk-in-pending-phone.png'), fullPage: true });
  expect(await page.getByRole('heading', { name: 'Pengaduan Anda masih diproses' }).isVisible()).toBe(true);
  expect(await page.locator('form').count()).toBe(0);
  const pending = await page.content();
  for (const secret of [ticketNumber, 'Rotua', '0812', 'Kartu Keluarga saya']) expect(pending).not.toContain(secret);

  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  expect(await runTicketResolve(fixture.env.config, ticketNumber, 'KK sudah diperbarui', sink, sink)).toBe(0);
  await page.goto(url!);
  await page
    .getByRole('group', { name: /bagaimana penanganan pengaduan Anda/ })
    .getByLabel('Puas', { exact: true })
    .check();
  await page.getByRole('button', { name: 'Kirim penilaian' }).click();
  await page.getByRole('heading', { name: 'Terima kasih' }).waitFor();
  await page.screenshot({ path: path.join(SCREENS, 'walk-in-thanks-phone.png'), fullPage: true });
  const ticket = (await fixture.store.getTicketByNumber(ticketNumber))!;
  expect((await fixture.store.getSurveyResponseOfTicket(ticket.id))?.overall).toBe(3);
  await page.goto(url!);
  expect(await page.getByRole('heading', { name: 'Survei sudah diisi' }).isVisible()).toBe(true);
  expect(requests.filter((r) => !r.startsWith(new URL(url!).origin))).toEqual([]);
  await context.close();
});
