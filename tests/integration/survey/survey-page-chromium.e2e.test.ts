import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, skipFileUnless } from '../../support/required-program';
import { startSurveyPage, type SurveyPageFixture } from '../../support/survey-page';

/**
 * The survey page in Debian's headless Chromium, driven by Playwright on a phone-sized viewport: a citizen
 * answers and submits, a second submission is refused, an expired link explains itself, the whole form can be
 * completed with the keyboard alone, and the browser never requests anything but the page itself.
 * Screenshots go to $TMPDIR/aduan-survey-screens for a person to look at.
 */
skipFileUnless(CHROMIUM);
jest.setTimeout(60_000);

const SCREENS = path.join(os.tmpdir(), 'aduan-survey-screens');
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let fixture: SurveyPageFixture;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM.path!, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  fixture = await startSurveyPage();
});
afterEach(async () => {
  await fixture.close();
});

/** A phone-sized page whose every request is logged. */
async function phonePage(): Promise<{ page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  return { page, requests };
}

test('a citizen answers on a phone and submits; the answers are stored; nothing but the page is requested', async () => {
  const { url, ticketId } = await fixture.ticketLink();
  const { page, requests } = await phonePage();
  const opened = await page.goto(url);
  expect(opened?.status()).toBe(200);
  await page.screenshot({ path: path.join(SCREENS, 'form-phone.png'), fullPage: true });
  // Nothing of the ticket is on the page: no number, no name, no NIK, no text.
  const content = await page.content();
  for (const secret of ['ADU-2026', 'Rosmawati', '1211025506900003', '0003', 'domisili'])
    expect(content).not.toContain(secret);
  // Laid out for the phone: no sideways scrolling.
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);

  await page
    .getByRole('group', { name: /bagaimana penanganan pengaduan Anda/ })
    .getByLabel('Sangat puas')
    .check();
  const answers = {
    U1: 'Sesuai',
    U2: 'Mudah',
    U3: 'Kurang cepat',
    U4: 'Gratis',
    U5: 'Sesuai',
    U6: 'Kompeten',
    U7: 'Sangat sopan dan ramah',
    U8: 'Dikelola dengan baik',
    U9: 'Baik',
  };
  for (const [key, label] of Object.entries(answers))
    await page.locator(`input[name="${key}"] + span`, { hasText: new RegExp(`^${label}$`) }).click();
  await page.getByLabel('Tuliskan kritik atau saran Anda').fill('Antrian pagi terlalu lama, hubungi saya 081234567890');
  await page.getByLabel('Perempuan').check();
  await page.getByLabel('Usia').selectOption('30–39');
  await page.getByLabel('Pendidikan terakhir').selectOption('D4/S1');
  await page.getByLabel('Pekerjaan').selectOption('Wiraswasta');
  await page.screenshot({ path: path.join(SCREENS, 'form-filled-phone.png'), fullPage: true });
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Kirim penilaian' }).click(),
  ]);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Terima kasih');
  await page.screenshot({ path: path.join(SCREENS, 'thanks-phone.png'), fullPage: true });

  const stored = await fixture.store.getSurveyResponseOfTicket(ticketId);
  expect(stored).toMatchObject({
    source: 'closure',
    via: 'page',
    overall: 4,
    answers: { U1: 3, U2: 3, U3: 2, U4: 4, U5: 3, U6: 3, U7: 4, U8: 4, U9: 3 },
    profile: { gender: 'perempuan', age: '30–39', education: 'D4/S1', occupation: 'Wiraswasta' },
    channel: 'email',
    kind: 'domicile-certificate',
    team: 'pendaftaran',
  });
  expect(stored!.suggestion).toContain('Antrian pagi terlalu lama');
  expect(stored!.suggestion).not.toContain('081234567890');
  // Only the page's own origin: no CDN, font, tracker or favicon elsewhere.
  const origin = new URL(url).origin;
  expect(requests.length).toBeGreaterThanOrEqual(2);
  expect(requests.filter((r) => !r.startsWith(origin))).toEqual([]);
});

test('a second submission is refused, by opening the link again and by re-posting the form', async () => {
  const { url } = await fixture.ticketLink();
  const { page } = await phonePage();
  await page.goto(url);
  await page.getByLabel('Puas', { exact: true }).check();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Kirim penilaian' }).click()]);
  expect(await page.locator('h1').textContent()).toBe('Terima kasih');

  const again = await page.goto(url);
  expect(again?.status()).toBe(410);
  expect(await page.locator('h1').textContent()).toBe('Survei sudah diisi');
  await page.screenshot({ path: path.join(SCREENS, 'already-answered-phone.png'), fullPage: true });

  // A second tab that opened the form before the first submitted: its submission is refused too.
  const { url: other, ticketId } = await fixture.ticketLink();
  const first = await phonePage();
  const second = await phonePage();
  await first.page.goto(other);
  await second.page.goto(other);
  await first.page.getByLabel('Puas', { exact: true }).check();
  await second.page.getByLabel('Tidak puas').check();
  await Promise.all([
    first.page.waitForNavigation(),
    first.page.getByRole('button', { name: 'Kirim penilaian' }).click(),
  ]);
  const [late] = await Promise.all([
    second.page.waitForNavigation(),
    second.page.getByRole('button', { name: 'Kirim penilaian' }).click(),
  ]);
  expect(late?.status()).toBe(410);
  expect((await fixture.store.getSurveyResponseOfTicket(ticketId))?.overall).toBe(3);
});

test('an expired link explains itself politely', async () => {
  const { url } = await fixture.ticketLink();
  fixture.clock.set('2026-12-20T03:00:00.000Z'); // 14 days of validity are over
  const { page } = await phonePage();
  const opened = await page.goto(url);
  expect(opened?.status()).toBe(410);
  expect(await page.locator('h1').textContent()).toBe('Tautan sudah tidak berlaku');
  expect(await page.locator('main').textContent()).toContain('masa berlaku tautan survei ini sudah habis');
  await page.screenshot({ path: path.join(SCREENS, 'expired-phone.png'), fullPage: true });
  const unknown = await page.goto(`${fixture.base}/AAAAAAAAAAAAAAAAAAAAAAAA`);
  expect(unknown?.status()).toBe(404);
  expect(await page.locator('h1').textContent()).toBe('Halaman tidak ditemukan');
});

test('the whole form can be completed with the keyboard alone, with a visible focus', async () => {
  const { url, ticketId } = await fixture.ticketLink();
  const { page } = await phonePage();
  await page.goto(url);
  // Each radio group: Tab into it, Space picks the first answer, two arrows move to the third (score 3).
  for (let group = 0; group < 10; group++) {
    await page.keyboard.press('Tab');
    if (group === 0) {
      const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
      expect(outline).toBe('solid');
    }
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Tab');
  await page.keyboard.type('Petugas ramah');
  await page.keyboard.press('Tab'); // gender group: left empty
  await page.keyboard.press('Tab'); // usia
  await page.keyboard.press('Tab'); // pendidikan
  await page.keyboard.press('Tab'); // pekerjaan
  await page.keyboard.press('Tab'); // the button
  expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Kirim penilaian');
  await page.screenshot({ path: path.join(SCREENS, 'keyboard-focus-button.png') });
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  expect(await page.locator('h1').textContent()).toBe('Terima kasih');
  const stored = await fixture.store.getSurveyResponseOfTicket(ticketId);
  expect(stored?.overall).toBe(3);
  expect(Object.values(stored!.answers)).toEqual(Array(9).fill(3));
  expect(stored?.suggestion).toBe('Petugas ramah');
  expect(stored?.profile).toBeUndefined();
});

test('the service-user form (counter QR code) stores a ticketless service survey', async () => {
  const { page, requests } = await phonePage();
  const opened = await page.goto(`${fixture.base}/layanan`);
  expect(opened?.status()).toBe(200);
  expect(await page.locator('h1').textContent()).toBe('Survei Kepuasan Masyarakat');
  // No overall question about a complaint here.
  expect(await page.getByText('bagaimana penanganan pengaduan Anda').count()).toBe(0);
  await page.getByLabel('Sangat sesuai').first().check();
  await page.getByLabel('Cepat', { exact: true }).check();
  await page.screenshot({ path: path.join(SCREENS, 'service-form-phone.png'), fullPage: true });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Kirim penilaian' }).click()]);
  expect(await page.locator('h1').textContent()).toBe('Terima kasih');
  const stored = await fixture.store.listSurveyResponses('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ source: 'service', answers: { U1: 4, U3: 3 } });
  expect(stored[0]!.ticketId).toBeUndefined();
  expect(requests.filter((r) => !r.startsWith(new URL(fixture.base).origin))).toEqual([]);
});
