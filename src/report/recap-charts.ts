import type { ChannelKey } from '../domain/channels';
import type { Recap } from '../domain/recap';
import { escapeHtml as esc, formatNumber, formatShare } from './format';

/**
 * Inline SVG charts for the recap page: drawn here, with no script and no external resource, so the
 * page prints the same on any machine. Colours are the Okabe–Ito palette (told apart by colour-blind
 * readers too); every bar has a <title> with its figure.
 */

export const CHANNEL_COLOURS: Record<ChannelKey, string> = {
  email: '#0072B2',
  messenger: '#56B4E9',
  instagram: '#CC79A7',
  perkebbas: '#009E73',
  'call-center': '#E69F00',
  'suggestion-box': '#D55E00',
  'walk-in': '#6E6E6E',
  whatsapp: '#000000',
  // The last Okabe-Ito colour.
  lapor: '#F0E442',
};

const WIDTH = 720;
const LABEL_WIDTH = 268;
const VALUE_WIDTH = 70;
const ROW = 22;
const BAR = 14;
const FONT = 'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif"';

function truncate(label: string, max = 42): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** A step of 1, 2 or 5 × 10^k giving at most `maxTicks` ticks up to `max`. */
export function niceStep(max: number, maxTicks = 6): number {
  if (max <= 0) return 1;
  const raw = max / maxTicks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return Math.max(1, factor * power);
  return Math.max(1, 10 * power);
}

/** Complaints per kind, each bar stacked by channel. */
export function kindByChannelChart(recap: Recap): string {
  const { kinds, channels, counts, kindTotals } = recap.matrix;
  const labels = new Map(recap.byKind.map((k) => [k.key, k.label]));
  const channelLabels = new Map(recap.byChannel.map((c) => [c.key, c.label]));
  const legendColumns = 4;
  const legendRows = Math.ceil(channels.length / legendColumns);
  const top = 10 + legendRows * 20 + 10;
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const maxTotal = Math.max(0, ...kindTotals);
  const step = niceStep(maxTotal);
  const axisMax = Math.max(step, Math.ceil(maxTotal / step) * step);
  const scale = (n: number) => (n / axisMax) * plotWidth;
  const height = top + kinds.length * ROW + 28;
  const parts: string[] = [];

  channels.forEach((channel, i) => {
    const x = LABEL_WIDTH + (i % legendColumns) * 140 - 150;
    const y = 10 + Math.floor(i / legendColumns) * 20;
    parts.push(
      `<g class="legend-item" data-channel="${esc(channel)}"><rect x="${x}" y="${y}" width="12" height="12" fill="${CHANNEL_COLOURS[channel]}"/>` +
        `<text x="${x + 17}" y="${y + 10}" font-size="11">${esc(channelLabels.get(channel) ?? channel)}</text></g>`,
    );
  });
  for (let tick = 0; tick <= axisMax; tick += step) {
    const x = LABEL_WIDTH + scale(tick);
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${top + kinds.length * ROW}" stroke="#d0d0d0" stroke-width="1"/>`,
    );
    parts.push(
      `<text x="${x.toFixed(1)}" y="${top + kinds.length * ROW + 16}" font-size="10" text-anchor="middle" fill="#444">${formatNumber(tick)}</text>`,
    );
  }
  kinds.forEach((kind, k) => {
    const y = top + k * ROW;
    const label = labels.get(kind) ?? kind;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" font-size="11" text-anchor="end"><title>${esc(label)}</title>${esc(truncate(label))}</text>`,
    );
    let x = LABEL_WIDTH;
    channels.forEach((channel, c) => {
      const n = counts[k]?.[c] ?? 0;
      if (n === 0) return;
      const w = scale(n);
      parts.push(
        `<rect class="bar" data-kind="${esc(kind)}" data-channel="${esc(channel)}" data-value="${n}" x="${x.toFixed(2)}" y="${y + (ROW - BAR) / 2}" width="${w.toFixed(2)}" height="${BAR}" fill="${CHANNEL_COLOURS[channel]}">` +
          `<title>${esc(label)} — ${esc(channelLabels.get(channel) ?? channel)}: ${formatNumber(n)}</title></rect>`,
      );
      x += w;
    });
    parts.push(
      `<text class="value" x="${(x + 5).toFixed(1)}" y="${y + ROW / 2 + 4}" font-size="11" font-weight="bold">${formatNumber(kindTotals[k] ?? 0)}</text>`,
    );
  });
  parts.push(
    `<line x1="${LABEL_WIDTH}" y1="${top - 4}" x2="${LABEL_WIDTH}" y2="${top + kinds.length * ROW}" stroke="#333" stroke-width="1"/>`,
  );

  return svg('chart-jenis-kanal', 'Jumlah pengaduan per jenis, menurut kanal', height, parts);
}

/** Share resolved within target per kind, 0–100 %, with the counts beside each bar. */
export function withinTargetChart(recap: Recap): string {
  const top = 22;
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 40;
  const height = top + recap.byKind.length * ROW + 28;
  const parts: string[] = [];
  for (const tick of [0, 25, 50, 75, 100]) {
    const x = LABEL_WIDTH + (tick / 100) * plotWidth;
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${top + recap.byKind.length * ROW}" stroke="#d0d0d0" stroke-width="1"/>`,
    );
    parts.push(
      `<text x="${x.toFixed(1)}" y="${top + recap.byKind.length * ROW + 16}" font-size="10" text-anchor="middle" fill="#444">${tick}%</text>`,
    );
  }
  parts.push(
    `<text x="${LABEL_WIDTH}" y="12" font-size="11" fill="#444">Persentase selesai tepat waktu (selesai tepat waktu / sudah dapat dinilai)</text>`,
  );
  recap.byKind.forEach((k, i) => {
    const y = top + i * ROW;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" font-size="11" text-anchor="end"><title>${esc(k.label)}</title>${esc(truncate(k.label))}</text>`,
    );
    if (k.withinTargetShare === undefined) {
      parts.push(
        `<text class="value" x="${LABEL_WIDTH + 5}" y="${y + ROW / 2 + 4}" font-size="10" fill="#777" font-style="italic">belum dapat dinilai</text>`,
      );
      return;
    }
    const w = k.withinTargetShare * plotWidth;
    parts.push(
      `<rect class="bar" data-kind="${esc(k.key)}" data-value="${k.withinTargetShare.toFixed(4)}" x="${LABEL_WIDTH}" y="${y + (ROW - BAR) / 2}" width="${w.toFixed(2)}" height="${BAR}" fill="#009E73">` +
        `<title>${esc(k.label)}: ${formatShare(k.withinTargetShare)} (${k.withinTarget} dari ${k.targetDecided})</title></rect>`,
    );
    parts.push(
      `<text class="value" x="${(LABEL_WIDTH + w + 5).toFixed(1)}" y="${y + ROW / 2 + 4}" font-size="11"><tspan font-weight="bold">${formatShare(k.withinTargetShare)}</tspan> (${k.withinTarget}/${k.targetDecided})</text>`,
    );
  });
  parts.push(
    `<line x1="${LABEL_WIDTH}" y1="${top - 4}" x2="${LABEL_WIDTH}" y2="${top + recap.byKind.length * ROW}" stroke="#333" stroke-width="1"/>`,
  );
  return svg('chart-tepat-waktu', 'Persentase pengaduan selesai tepat waktu per jenis', height, parts);
}

function svg(id: string, title: string, height: number, parts: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${id}" role="img" aria-labelledby="${id}-title" ` +
    `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ${FONT} fill="#222">` +
    `<title id="${id}-title">${esc(title)}</title>${parts.join('')}</svg>`
  );
}
