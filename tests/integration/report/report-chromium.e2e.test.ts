import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../../src/config/load';
import { computeRecap, type Recap } from '../../../src/domain/recap';
import { officeCalendar } from '../../../src/main';
import { renderRecapHtml } from '../../../src/report/recap-html';
import { REPO_CONFIG_DIR } from '../../support/service-harness';
import { planOctoberTickets, plannedAsTickets } from '../../support/recap-tickets';

/**
 * The printable recap opened in a real browser (Debian's chromium, headless): the charts are in the
 * DOM, are laid out with bars of the right proportions, and the page prints to a PDF. CI installs
 * chromium (.ci/run); without it the suite is skipped under a name that says so.
 */

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => !!p && existsSync(p),
);

function chromium(args: string[], profile: string) {
  const result = spawnSync(
    CHROMIUM!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`chromium exited ${result.status}: ${result.stderr.slice(-2000)}`);
  return result;
}

/** Appended to a copy of the page: measures what the browser laid out and writes it into the DOM. */
const PROBE = `<script>
const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
const charts = [...document.querySelectorAll('svg.chart')].map((svg) => ({
  id: svg.id,
  box: box(svg),
  bars: [...svg.querySelectorAll('rect.bar')].map((r) => ({ kind: r.dataset.kind, channel: r.dataset.channel || null, value: Number(r.dataset.value), fill: getComputedStyle(r).fill, ...box(r) })),
  labels: [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent, ...box(t) })),
}));
const out = document.createElement('pre');
out.id = 'probe';
out.textContent = JSON.stringify({ charts, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth });
document.body.appendChild(out);
</script>`;

interface Probe {
  charts: Array<{
    id: string;
    box: Box;
    bars: Array<Box & { kind: string; channel: string | null; value: number; fill: string }>;
    labels: Array<Box & { text: string }>;
  }>;
  scrollWidth: number;
  innerWidth: number;
}
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

(CHROMIUM ? describe : describe.skip)(
  CHROMIUM
    ? 'recap HTML in headless Chromium'
    : 'recap HTML in headless Chromium — SKIPPED: chromium is not installed (apt-get install chromium)',
  () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-report-chromium-'));
    const profile = path.join(dir, 'profile');
    const page = path.join(dir, 'rekap.html');
    let recap: Recap;

    beforeAll(() => {
      const config = loadConfig(REPO_CONFIG_DIR, { ...process.env, MONGODB_URL: '' });
      const calendar = officeCalendar(config);
      const tickets = plannedAsTickets(planOctoberTickets(config.categories, calendar, 90));
      recap = computeRecap({
        tickets,
        categories: config.categories,
        teams: config.teams,
        calendar,
        period: { from: '2026-10-01', to: '2026-10-31' },
        now: new Date('2026-11-02T00:00:00Z'),
      });
      writeFileSync(page, renderRecapHtml(recap));
    });
    afterAll(() => {
      if (process.env.KEEP_REPORT_SCREENSHOT) return;
      rmSync(dir, { recursive: true, force: true });
    });

    const nonZeroCells = () => recap.matrix.counts.flat().filter((n) => n > 0).length;
    const judgedKinds = () => recap.byKind.filter((k) => k.withinTargetShare !== undefined).length;

    test('the dumped DOM holds both charts with their bars', () => {
      const dom = chromium(['--dump-dom', pathToFileURL(page).href], profile).stdout;
      expect(dom).toContain('<h1>Rekapitulasi Pengaduan</h1>');
      const charts = [...dom.matchAll(/<svg[^>]*class="chart"[^>]*id="([^"]+)"[\s\S]*?<\/svg>/g)];
      expect(charts.map((m) => m[1])).toEqual(['chart-jenis-kanal', 'chart-tepat-waktu']);
      expect((charts[0]![0].match(/<rect class="bar"/g) ?? []).length).toBe(nonZeroCells());
      expect((charts[1]![0].match(/<rect class="bar"/g) ?? []).length).toBe(judgedKinds());
    });

    test('the bars are laid out, inside their chart, in proportion to the figures', () => {
      const probed = path.join(dir, 'probe.html');
      writeFileSync(probed, readFileSync(page, 'utf8').replace('</body>', `${PROBE}</body>`));
      const dom = chromium(['--window-size=1000,1400', '--dump-dom', pathToFileURL(probed).href], profile).stdout;
      const json = /<pre id="probe">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
      expect(json).toBeDefined();
      const probe = JSON.parse(
        json!
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&'),
      ) as Probe;
      expect(probe.scrollWidth).toBeLessThanOrEqual(probe.innerWidth); // nothing sticks out sideways

      const [stacked, share] = probe.charts;
      expect(stacked!.box.w).toBeGreaterThan(500);
      expect(stacked!.bars).toHaveLength(nonZeroCells());
      const inside = (b: Box, c: Box) =>
        b.x >= c.x - 0.5 && b.y >= c.y - 0.5 && b.x + b.w <= c.x + c.w + 0.5 && b.y + b.h <= c.y + c.h + 0.5;
      for (const chart of probe.charts) {
        for (const bar of chart.bars) {
          // A share of 0 % is a bar of no length.
          if (bar.value > 0) expect(bar.w).toBeGreaterThan(0);
          else expect(bar.w).toBe(0);
          expect(bar.h).toBeGreaterThan(5);
          expect(inside(bar, chart.box)).toBe(true);
        }
        // Every label is drawn and none is cut off at the chart's edge.
        for (const label of chart.labels) {
          expect(label.w).toBeGreaterThan(0);
          expect(inside(label, chart.box)).toBe(true);
        }
      }
      // Stacked: pixels per complaint are the same for every bar; each channel has its own colour.
      const perComplaint = stacked!.bars.map((b) => b.w / b.value);
      for (const ratio of perComplaint) expect(Math.abs(ratio / perComplaint[0]! - 1)).toBeLessThan(0.01);
      const fills = new Map<string, Set<string>>();
      for (const bar of stacked!.bars) fills.set(bar.channel!, (fills.get(bar.channel!) ?? new Set()).add(bar.fill));
      expect([...fills.values()].every((set) => set.size === 1)).toBe(true);
      expect(new Set([...fills.values()].map((set) => [...set][0])).size).toBe(fills.size);
      // Within target: bar length ∝ share.
      expect(share!.bars).toHaveLength(judgedKinds());
      const measurable = share!.bars.filter((b) => b.value > 0.05);
      expect(measurable.length).toBeGreaterThan(2);
      const full = measurable[0]!.w / measurable[0]!.value;
      for (const bar of measurable) expect(Math.abs(bar.w / bar.value / full - 1)).toBeLessThan(0.01);
    });

    test('a screenshot is taken (look at it with KEEP_REPORT_SCREENSHOT=1) and the page prints to a multi-page PDF', () => {
      const png = path.join(dir, 'rekap.png');
      chromium(['--window-size=1050,2600', `--screenshot=${png}`, pathToFileURL(page).href], profile);
      expect(readFileSync(png).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(statSync(png).size).toBeGreaterThan(50_000);

      const pdf = path.join(dir, 'rekap.pdf');
      chromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, pathToFileURL(page).href], profile);
      const bytes = readFileSync(pdf);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(20_000);
      const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(2);
      if (process.env.KEEP_REPORT_SCREENSHOT) process.stdout.write(`screenshot: ${png}\npdf: ${pdf}\n`);
    });
  },
);
