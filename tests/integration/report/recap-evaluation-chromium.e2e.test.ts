import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runEvaluationNote } from '../../../src/cli/commands/evaluation';
import { loadConfig } from '../../../src/config/load';
import type { AppConfig } from '../../../src/config/schema';
import type { Ticket } from '../../../src/domain/complaint';
import { createStore } from '../../../src/main';
import { buildRecapReport, type RecapReport } from '../../../src/report/recap-report';
import { writeConfigDir } from '../../support/config-dir';
import { seedEvaluationTickets } from '../../support/evaluation-tickets';
import { CHROMIUM, skipFileUnless } from '../../support/required-program';

/**
 * The recap's evaluation sections (recurring problems, follow-up plans) and its formal touches
 * (letterhead with an embedded logo, document number, page numbers, signature) in real headless
 * Chromium driven by Playwright: every figure on the page equals a count made here from the seeded
 * tickets without the recap code; the page fetches nothing; it prints to a PDF whose every page is
 * numbered. Screenshots are kept in SHOTS for a person to look at.
 */
skipFileUnless(CHROMIUM);

const SHOTS = process.env.ADUAN_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'aduan-recap-evaluation-shots');
const NOW = new Date('2026-12-01T01:00:00Z'); // 08:00 WIB on 1 December
const REPO = path.resolve(__dirname, '../../..');

/** Month (WIB, no daylight saving) of a time, counted without the SLA code. */
const wibMonth = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 7);
type Seeded = Ticket & { person?: number };
/** What the page callbacks read of an element (the DOM types are not in this project's lib). */
type Dataset = { dataset: Record<string, string | undefined> };
type Img = { src: string; complete: boolean; naturalWidth: number };

/** Contact identifiers as this test reads them: mail case-folded, WhatsApp ids as the phone they are. */
function identities(t: Ticket): string[] {
  const c = t.complainant;
  const ids: string[] = [];
  if (c.email) ids.push(`mail ${c.email.toLowerCase()}`);
  if (c.phone) ids.push(`tel ${c.phone}`);
  if (c.platformUserId && t.channel === 'whatsapp') ids.push(`tel +${c.platformUserId.split(':')[1]}`);
  else if (c.platformUserId) ids.push(`${t.channel} ${c.platformUserId}`);
  return ids;
}

/** The final state as at NOW: resolved at its last resolution, or open. */
function lastResolved(t: Ticket): string | undefined {
  const life = t.history.filter((h) => h.event === 'resolved' || h.event === 'reopened');
  const last = life.at(-1);
  return last?.event === 'resolved' ? last.at : undefined;
}

async function pdfText(file: string): Promise<string[]> {
  const result = spawnSync(process.execPath, [path.join(REPO, 'tests/support/pdf-text.mjs'), file], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`pdf-text failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

describe('recap evaluation and formal touches in headless Chromium', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-recap-eval-'));
  let config: AppConfig;
  let configDir: string;
  let tickets: Seeded[];
  let report: RecapReport;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM.path!, args: ['--no-sandbox'] });
    // The office's logo: a PNG that Chromium itself draws.
    const logoPage = await browser.newPage({ viewport: { width: 96, height: 96 } });
    await logoPage.setContent(
      '<body style="margin:0"><div style="width:96px;height:96px;border-radius:48px;background:#0a5c36;color:#ffd700;font:bold 40px sans-serif;display:flex;align-items:center;justify-content:center">D</div></body>',
    );
    const logo = await logoPage.screenshot();
    await logoPage.close();

    configDir = writeConfigDir(root, {
      service: { dataDir: path.join(root, 'data') },
      reports: {
        letterhead: { logoFile: 'logo-dairi.png', contact: 'Telp. (0627) 21000 · disdukcapil.dairikab.go.id' },
        documentNumber: '470/{month}/REKAP-PENGADUAN/{monthRoman}/{year}',
        signature: { name: 'Drs. Contoh Kepala, M.Si.', nip: '19700101 199003 1 001' },
      },
    });
    writeFileSync(path.join(configDir, 'logo-dairi.png'), logo);
    config = loadConfig(configDir, { ...process.env, MONGODB_URL: '' });
    const store = createStore(config);
    await store.init();
    try {
      tickets = await seedEvaluationTickets(store);
      // October's plans, as `aduan evaluation note` wrote them a month ago.
      const october = { period: '2026-10', updatedAt: '2026-11-02T02:00:00.000Z', updatedBy: 'operator:kadis' };
      await store.saveFollowUpPlan({
        ...october,
        problem: 'repeat:domicile-certificate',
        who: 'Kasi Pindah Datang',
        due: '2026-11-20',
        status: 'done',
      });
      await store.saveFollowUpPlan({
        ...october,
        problem: 'missed-target:nik-consolidation',
        who: 'Kabid PIAK',
        due: '2026-11-25',
        status: 'open',
        action: 'Tambah petugas loket',
      });
      await store.saveFollowUpPlan({
        ...october,
        problem: 'reopened:skpwni-online',
        who: 'Kasi Pindah Datang',
        due: '2026-12-15',
        status: 'open',
      });
    } finally {
      await store.close();
    }
    // November's plan, through the command.
    const out: string[] = [];
    const sink = (into: string[]) =>
      ({ write: (s: string) => (into.push(s), true) }) as unknown as NodeJS.WritableStream;
    const code = await runEvaluationNote(
      config,
      {
        period: '2026-11',
        problem: 'rising:nik-consolidation',
        who: 'Kabid Pelayanan Pendaftaran Penduduk',
        due: '2026-12-18',
        action: 'Buka loket konsolidasi NIK',
        operator: 'kadis',
        config: configDir,
      },
      sink(out),
      sink(out),
      NOW,
    );
    expect({ code, out: out.join('') }).toEqual({
      code: 0,
      out: expect.stringContaining('dicatat: 2026-11 rising:nik-consolidation'),
    });

    const reader = createStore(config);
    await reader.init();
    try {
      report = await buildRecapReport(reader, config, { from: '2026-11-01', to: '2026-11-30', now: NOW, configDir });
    } finally {
      await reader.close();
    }
    const file = path.join(root, report.filenames.html);
    writeFileSync(file, report.html);
    writeFileSync(path.join(SHOTS, report.filenames.html), report.html); // kept for review with the screenshots
    page = await browser.newPage({ viewport: { width: 1050, height: 1400 } });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const november = () => tickets.filter((t) => wibMonth(t.receivedAt) === '2026-11');
  /** Rows of a table as {data-*, cells by data-field}. */
  interface Row {
    kind?: string;
    phrase?: string;
    ticket?: string;
    problem?: string;
    flagged: boolean;
    cells: Record<string, string>;
    text: string;
  }
  const rows = (selector: string): Promise<Row[]> =>
    page.$$eval(`${selector} tbody tr`, (trs) =>
      trs.map((tr) => ({
        ...(tr as unknown as Dataset).dataset,
        flagged: tr.classList.contains('flagged'),
        cells: Object.fromEntries(
          [...tr.querySelectorAll('[data-field]')].map((c) => [
            (c as unknown as Dataset).dataset.field!,
            c.textContent!.trim(),
          ]),
        ),
        text: tr.textContent!.replace(/\s+/g, ' ').trim(),
      })),
    );

  test('kinds: this month and the three before, counted here; rising ones flagged by the documented rule', async () => {
    const months = ['2026-11', '2026-10', '2026-09', '2026-08'];
    const count = (kind: string, month: string) =>
      tickets.filter((t) => t.classification.category === kind && wibMonth(t.receivedAt) === month).length;
    const kinds = [...new Set(tickets.map((t) => t.classification.category))].sort();
    const shown = await rows('#tabel-jenis-meningkat');
    expect(shown.map((r) => r.kind).sort()).toEqual(kinds);
    for (const row of shown) {
      const [now, ...before] = months.map((m) => count(row.kind!, m));
      expect([row.cells.current, row.cells['previous-1'], row.cells['previous-2'], row.cells['previous-3']]).toEqual(
        [now, ...before].map(String),
      );
      const mean = before.reduce((a, b) => a + b, 0) / 3;
      expect(row.flagged).toBe(now! >= 3 && now! - mean >= 2 && now! >= 1.5 * mean);
    }
    expect(
      shown
        .filter((r) => r.flagged)
        .map((r) => r.kind)
        .sort(),
    ).toEqual(['nik-consolidation', 'perkebbas-account']);
  });

  test('themes: the classifier phrase "nik ganda" rose month over month', async () => {
    const withPhrase = (month: string) =>
      tickets.filter(
        (t) =>
          wibMonth(t.receivedAt) === month &&
          t.classification.category === 'nik-consolidation' &&
          t.classification.evidence.some((e) => e.toLowerCase() === 'nik ganda'),
      ).length;
    const row = (await rows('#tabel-tema')).find((r) => r.phrase === 'nik ganda')!;
    expect([row.cells.current, row.cells['previous-month'], row.flagged]).toEqual([
      String(withPhrase('2026-11')),
      String(withPhrase('2026-10')),
      true,
    ]);
  });

  test('citizens who wrote again about the same kind within 30 days: counted, with ticket numbers, no contact shown', async () => {
    // Every pair, the slow way: same kind, a shared identifier, at most 30 days apart, the later one in November.
    const repeats = november().filter((t) =>
      tickets.some(
        (e) =>
          e !== t &&
          e.classification.category === t.classification.category &&
          Date.parse(e.receivedAt) < Date.parse(t.receivedAt) &&
          Date.parse(t.receivedAt) - Date.parse(e.receivedAt) <= 30 * 86_400_000 &&
          identities(e).some((id) => identities(t).includes(id)),
      ),
    );
    const citizens = new Set(repeats.map((t) => t.person)).size;
    expect(repeats.length).toBeGreaterThan(3);
    expect(repeats.some((t) => t.channel === 'whatsapp')).toBe(true); // joined to a phone by the wa_id
    const shown = await page.$eval('#warga-berulang', (p) => ({ ...(p as unknown as Dataset).dataset }));
    expect(shown).toEqual({ citizens: String(citizens), repeats: String(repeats.length) });
    const listed = await page.$$eval('#tabel-warga-berulang [data-ticket]', (spans) =>
      spans.map((s) => (s as unknown as Dataset).dataset.ticket),
    );
    expect(listed.sort()).toEqual(repeats.map((t) => t.ticketNumber).sort());
    const text = await page.textContent('body');
    expect(text).not.toMatch(/@contoh\.id|\+62812|psid-|Budi|1211045706890002|081234567890/i);
  });

  test('tickets reopened after resolution, and the kinds that missed their target most', async () => {
    const reopened = november().filter((t) => t.history.some((h) => h.event === 'reopened'));
    expect(reopened.length).toBeGreaterThan(1);
    const shown = await rows('#tabel-dibuka-kembali');
    expect(shown.map((r) => r.ticket).sort()).toEqual(reopened.map((t) => t.ticketNumber).sort());

    const missed = new Map<string, { missed: number; decided: number }>();
    for (const t of november()) {
      const resolved = lastResolved(t);
      const decided = resolved !== undefined || Date.parse(t.dueAt) < NOW.getTime();
      if (!decided) continue;
      const entry = missed.get(t.classification.category) ?? { missed: 0, decided: 0 };
      entry.decided++;
      if (!(resolved && Date.parse(resolved) <= Date.parse(t.dueAt))) entry.missed++;
      missed.set(t.classification.category, entry);
    }
    const worst = [...missed.entries()]
      .filter(([, m]) => m.missed > 0)
      .sort(
        ([ka, a], [kb, b]) =>
          b.missed - a.missed || b.missed / b.decided - a.missed / a.decided || ka.localeCompare(kb),
      )
      .slice(0, 3);
    const table = await rows('#tabel-target-terlewat');
    expect(table.map((r) => [r.kind, r.cells.missed, r.cells.decided])).toEqual(
      worst.map(([kind, m]) => [kind, String(m.missed), String(m.decided)]),
    );
  });

  test('"Rencana tindak lanjut": every flagged problem has a line; the plan written for one; last month\'s with their status', async () => {
    const plans = await rows('#tabel-rencana');
    expect(plans.map((r) => r.problem)).toEqual(report.evaluation.problems.map((p) => p.key));
    const written = plans.find((r) => r.problem === 'rising:nik-consolidation')!;
    expect(written.text).toContain('Kabid Pelayanan Pendaftaran Penduduk');
    expect(written.text).toContain('18 Desember 2026');
    expect(written.text).toContain('berjalan');
    expect(plans.filter((r) => r.text.includes('belum ada rencana'))).toHaveLength(plans.length - 1);

    const carried = await page.$$eval('#tabel-rencana-sebelumnya tbody tr', (trs) =>
      trs.map((tr) => [
        (tr as unknown as Dataset).dataset.problem,
        tr.querySelector('[data-standing]')?.getAttribute('data-standing'),
      ]),
    );
    // Done last month: shown once as done; due 25 Nov and open on 1 Dec: late; due 15 Dec: open.
    expect(carried).toEqual([
      ['repeat:domicile-certificate', 'done'],
      ['missed-target:nik-consolidation', 'late'],
      ['reopened:skpwni-online', 'open'],
    ]);
  });

  test('letterhead with the embedded logo, document number and signature block; nothing fetched from anywhere', async () => {
    const logo = await page.$eval('#kop img', (img) => ({
      src: (img as unknown as Img).src.slice(0, 22),
      loaded: (img as unknown as Img).complete && (img as unknown as Img).naturalWidth > 0,
    }));
    expect(logo).toEqual({ src: 'data:image/png;base64,', loaded: true });
    expect(await page.textContent('#kop')).toContain('Dinas Kependudukan dan Pencatatan Sipil');
    expect(await page.textContent('#nomor-dokumen')).toBe('Nomor: 470/11/REKAP-PENGADUAN/XI/2026');
    const signature = (await page.textContent('#tanda-tangan'))!.replace(/\s+/g, ' ');
    expect(signature).toContain('Sidikalang, 1 Desember 2026');
    expect(signature).toContain('Mengetahui,');
    expect(signature).toContain('Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Dairi');
    expect(signature).toContain('Drs. Contoh Kepala, M.Si.');
    expect(signature).toContain('NIP 19700101 199003 1 001');
    // Only the page itself: no font, image, style sheet or script from the network or disk.
    expect(requests.filter((url) => !url.startsWith('data:'))).toEqual([page.url()]);
  });

  test('screenshots are saved for review, and the print has page numbers and the document number on every page', async () => {
    await page.screenshot({ path: path.join(SHOTS, 'rekap-layar.png'), fullPage: true });
    await page.locator('#masalah-berulang').screenshot({ path: path.join(SHOTS, 'masalah-berulang.png') });
    await page.locator('#rencana-tindak-lanjut').screenshot({ path: path.join(SHOTS, 'rencana-tindak-lanjut.png') });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(SHOTS, 'rekap-cetak.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    const pdf = path.join(SHOTS, 'rekap-2026-11.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfText(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((text, i) => {
      expect(text).toContain(`Halaman ${i + 1} dari ${pages.length}`);
      expect(text).toContain('470/11/REKAP-PENGADUAN/XI/2026');
    });
    expect(pages.at(-1)).toContain('Mengetahui');
    expect(pages.join(' ')).toContain('Rencana tindak lanjut');
    process.stdout.write(`screenshots and PDF: ${SHOTS}\n`);
  });

  test('the CSV and the cover mail carry the same evaluation', () => {
    expect(report.csv).toContain('dokumen,nomor,470/11/REKAP-PENGADUAN/XI/2026');
    expect(report.csv).toMatch(
      /rencana_tindak_lanjut,2026-11,rising:nik-consolidation,.*Kabid Pelayanan Pendaftaran Penduduk,2026-12-18,open/,
    );
    expect(report.csv).toMatch(/rencana_tindak_lanjut,2026-10,missed-target:nik-consolidation,.*,late/);
    expect(report.text).toContain(`Masalah berulang ditandai : ${report.evaluation.problems.length}`);
    expect(report.text).toContain('Tindak lanjut sebelumnya : 1 selesai, 1 berjalan, 1 terlambat');
    expect(report.csv + report.text).not.toMatch(/@contoh\.id|\+62812|psid-|Budi/i);
  });
});
