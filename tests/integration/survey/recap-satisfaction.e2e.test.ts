import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../../src/config/load';
import type { Ticket } from '../../../src/domain/complaint';
import type { Score, SurveyResponse } from '../../../src/domain/survey-instrument';
import { buildRecapReport } from '../../../src/report/recap-report';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { serviceUsersKey } from '../../../src/survey/links';
import { CHROMIUM, skipFileUnless } from '../../support/required-program';
import { REPO_CONFIG_DIR } from '../../support/service-harness';
import { resolvedTicket } from '../../support/survey-page';

/**
 * The recap's satisfaction section, built from a real store and opened in headless Chromium: the figures the
 * browser shows equal those computed here by hand, the two sources stay apart, and no personal data shows.
 */
skipFileUnless(CHROMIUM);
jest.setTimeout(60_000);

let browser: Browser;
let dir: string;
let store: SqliteStore;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM.path!, args: ['--no-sandbox'] });
});
afterAll(async () => browser?.close());
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-recap-survey-'));
  store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
  await store.init();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = (s: Score) =>
  Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`U${i + 1}`, s])) as Record<string, Score>;

test('closure and service figures, per kind/channel, lowest tickets and the sample target, as shown in Chromium', async () => {
  const config = loadConfig(REPO_CONFIG_DIR, { ...process.env, MONGODB_URL: '' });
  const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T03:00:00.000Z`;
  const tickets: Ticket[] = [];
  for (const [i, channel] of (['email', 'email', 'whatsapp'] as const).entries()) {
    const { ticket } = await store.insertTicket(
      resolvedTicket({ channel, receivedAt: at(3 + i), complainant: { name: 'X', email: `x${i}@example.com` } }),
      2026,
    );
    tickets.push(ticket);
  }
  const closure = (i: number, overall: Score, answers: Record<string, Score>, suggestion?: string): SurveyResponse => ({
    id: `c${i}`,
    source: 'closure',
    via: 'page',
    submittedAt: at(10 + i),
    answers,
    overall,
    ticketId: tickets[i]!.id,
    ticketNumber: tickets[i]!.ticketNumber,
    channel: tickets[i]!.channel,
    kind: tickets[i]!.classification.category,
    team: tickets[i]!.team,
    ...(suggestion ? { suggestion } : {}),
  });
  await store.submitSurvey(closure(0, 4, all(4)));
  await store.submitSurvey(closure(1, 2, all(2), 'Lambat sekali, hubungi 081234567890'));
  await store.submitSurvey(closure(2, 3, {}));
  // Service surveys: all 3 → 75.00 (C); 40 of them, 812 users → target 261: belum representatif.
  for (let i = 0; i < 40; i++)
    await store.submitSurvey({ id: `s${i}`, source: 'service', via: 'staff', submittedAt: at(12), answers: all(3) });
  // Outside the period: not counted.
  await store.submitSurvey({
    id: 'late',
    source: 'service',
    via: 'page',
    submittedAt: '2026-12-01T03:00:00.000Z',
    answers: all(1),
  });
  await store.setCursor(serviceUsersKey('2026-11'), '812');

  const report = await buildRecapReport(store, config, {
    from: '2026-11-01',
    to: '2026-11-30',
    now: new Date('2026-12-01T01:00:00Z'),
  });
  const file = path.join(dir, 'rekap.html');
  writeFileSync(file, report.html);
  const page = await (await browser.newContext()).newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  const text = (selector: string) => page.locator(selector).first().textContent();

  // Closure: N 3, overall mean (4+2+3)/3 = 3,00; element SKM over the two with element answers: (4+2)/2 = 3 → 75,00 C.
  expect(await text('#survei-pasca-ringkas [data-field="n"]')).toBe('3');
  expect(await text('#survei-pasca-ringkas [data-field="overall"]')).toBe('3,00');
  expect(await text('#survei-pasca-ringkas [data-field="skm"]')).toBe('75,00 (C, Kurang baik)');
  expect(await text('#survei-per-kanal tr[data-key="email"] [data-field="n"]')).toBe('2');
  expect(await text('#survei-per-kanal tr[data-key="email"] [data-field="overall"]')).toBe('3,00');
  expect(await text('#survei-per-kanal tr[data-key="whatsapp"] [data-field="overall"]')).toBe('3,00');
  // Lowest-rated first, suggestion masked.
  expect(await text('#survei-terendah tbody tr td')).toBe(tickets[1]!.ticketNumber);
  const html = await page.content();
  expect(html).toContain('Lambat sekali');
  expect(html).not.toContain('081234567890');
  expect(html).toContain('bukan Survei Kepuasan Masyarakat (SKM) resmi');
  // Service (official SKM): 40 respondents, 75,00 C, target 261 of 812: belum representatif.
  expect(await text('#skm-ringkas [data-field="n"]')).toBe('40');
  expect(await text('#skm-ringkas [data-field="skm"]')).toBe('75,00 (C, Kurang baik)');
  expect(await page.locator('#skm-sampel').getAttribute('data-representative')).toBe('false');
  expect(await text('#skm-sampel')).toContain('target sampel Krejcie–Morgan 261');
  expect(await text('#skm-sampel')).toContain('belum representatif');
  expect(await page.locator('#skm-unsur tbody tr').count()).toBe(9);
  expect(requests.filter((r) => !r.startsWith('file:'))).toEqual([]);
  await page.screenshot({
    path: path.join(os.tmpdir(), 'aduan-survey-screens', 'recap-satisfaction.png'),
    fullPage: true,
  });

  expect(report.text).toContain('Survei pasca-pengaduan   : 3 responden, rata-rata 3,00 dari 4 (bukan SKM resmi)');
  expect(report.text).toContain(
    'SKM pengguna layanan     : 40 responden, nilai 75,00 (C, Kurang baik) — belum representatif',
  );
  expect(report.csv).toContain('kepuasan,skm-layanan,sampel,target,belum representatif,812,261');
  expect(report.csv.indexOf('\uFEFF', 1)).toBe(-1);
});
