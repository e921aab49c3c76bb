import type { Recap } from '../domain/recap';
import type { Milestone, MilestoneCounts } from '../domain/recap-lapor';
import { escapeHtml as esc, formatNumber, officeLocalTime } from './format';

/**
 * The printed recap's SP4N-LAPOR! sections: LAPOR!-origin complaints with their 3/5/10-working-day
 * milestones, and the complaints forwarded to another agency. Cells carry data-* attributes like the
 * rest of the page. No personal data (ticket and Tracking IDs, agencies, times).
 */

const MILESTONE_WORDS: Record<Milestone, string> = {
  met: 'tercapai',
  missed: 'terlewat',
  pending: 'berjalan',
  unknown: '-',
};

function countsCells(c: MilestoneCounts, field: string): string {
  return (['met', 'missed', 'pending', 'unknown'] as const)
    .map((m) => `<td data-field="${field}-${m}">${formatNumber(c[m])}</td>`)
    .join('');
}

function cell(m: Milestone, field: string): string {
  return `<td class="text${m === 'missed' ? ' late' : ''}" data-field="${field}" data-milestone="${m}">${MILESTONE_WORDS[m]}</td>`;
}

function laporSection(recap: Recap): string {
  const lapor = recap.lapor;
  if (!lapor) return '';
  const tz = recap.timeZone;
  const summary =
    '<table id="tabel-lapor-ringkas"><thead><tr><th>Tonggak</th><th>Tercapai</th><th>Terlewat</th><th>Berjalan</th><th>Tidak diketahui</th></tr></thead><tbody>' +
    `<tr data-milestone-row="3"><th scope="row">3 hari kerja: diteruskan LAPOR! sejak dilaporkan</th>${countsCells(lapor.verification, 'verification')}</tr>` +
    `<tr data-milestone-row="5"><th scope="row">5 hari kerja: tindak lanjut diunggah sejak diteruskan</th>${countsCells(lapor.followUp, 'follow-up')}</tr>` +
    `<tr data-milestone-row="10"><th scope="row">10 hari kerja: laporan selesai sejak tindak lanjut</th>${countsCells(lapor.closure, 'closure')}</tr>` +
    '</tbody></table>';
  const rows = lapor.items
    .map(
      (i) =>
        `<tr data-ticket="${esc(i.ticketNumber)}"><td class="text ticket">${esc(i.ticketNumber)}</td><td class="text">#${esc(i.trackingId)}</td>` +
        `<td class="text">${i.followUpDueAt ? esc(officeLocalTime(i.followUpDueAt, tz)) : '-'}</td>` +
        `<td class="text">${i.postedAt ? esc(officeLocalTime(i.postedAt, tz)) : '-'}</td>` +
        `${cell(i.verification, 'verification')}${cell(i.followUp, 'follow-up')}${cell(i.closure, 'closure')}</tr>`,
    )
    .join('');
  const list = lapor.items.length
    ? '<table id="tabel-lapor"><thead><tr><th>Nomor tiket</th><th>Tracking ID</th><th>Batas tindak lanjut</th><th>Diunggah</th><th>3 HK</th><th>5 HK</th><th>10 HK</th></tr></thead>' +
      `<tbody>${rows}</tbody></table>`
    : '<p class="none" id="tabel-lapor">Tidak ada laporan SP4N-LAPOR! pada periode ini.</p>';
  return `<section id="lapor">
<h2>Laporan SP4N-LAPOR! (${formatNumber(lapor.count)})</h2>
${summary}
${list}
</section>`;
}

function forwardedSection(recap: Recap): string {
  const forwarded = recap.forwarded;
  if (!forwarded) return '';
  const body = forwarded.length
    ? '<table id="tabel-diteruskan"><thead><tr><th>Nomor tiket</th><th>Kanal</th><th>Diteruskan ke</th><th>Lewat</th><th>Waktu</th></tr></thead><tbody>' +
      forwarded
        .map(
          (f) =>
            `<tr data-ticket="${esc(f.ticketNumber)}"><td class="text ticket">${esc(f.ticketNumber)}</td><td class="text">${esc(f.channelLabel)}</td>` +
            `<td class="text">${esc(f.to)}</td><td class="text">${esc(f.via)}</td><td class="text">${esc(officeLocalTime(f.at, recap.timeZone))}</td></tr>`,
        )
        .join('') +
      '</tbody></table>'
    : '<p class="none" id="tabel-diteruskan">Tidak ada pengaduan yang diteruskan ke instansi lain.</p>';
  return `<section id="diteruskan">
<h2>Pengaduan diteruskan ke instansi lain (${formatNumber(forwarded.length)})</h2>
${body}
</section>`;
}

export function laporRecapSections(recap: Recap): string {
  return [laporSection(recap), forwardedSection(recap)].filter(Boolean).join('\n');
}
