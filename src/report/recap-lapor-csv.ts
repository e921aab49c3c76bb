import type { Recap } from '../domain/recap';
import type { MilestoneCounts } from '../domain/recap-lapor';
import { officeLocalTime } from './format';

/**
 * The recap CSV's SP4N-LAPOR! sections (see recap-csv.ts for the layout):
 *
 *   bagian=lapor_tonggak  one row per milestone (3, 5, 10 working days): met, missed, pending, unknown
 *   bagian=lapor          one row per LAPOR! report: ticket, Tracking ID, deadline, posted, milestones
 *   bagian=diteruskan     one row per complaint forwarded to another agency
 */

type Cell = string | number | undefined;

export interface CsvSection {
  name: string;
  header: Cell[];
  body: Cell[][];
}

const counts = (c: MilestoneCounts): Cell[] => [c.met, c.missed, c.pending, c.unknown];

export function laporCsvSections(recap: Recap): CsvSection[] {
  const tz = recap.timeZone;
  const sections: CsvSection[] = [];
  if (recap.lapor) {
    const l = recap.lapor;
    sections.push(
      {
        name: 'lapor_tonggak',
        header: ['tonggak_hari_kerja', 'tercapai', 'terlewat', 'berjalan', 'tidak_diketahui'],
        body: [
          [3, ...counts(l.verification)],
          [5, ...counts(l.followUp)],
          [10, ...counts(l.closure)],
        ],
      },
      {
        name: 'lapor',
        header: ['nomor_tiket', 'tracking_id', 'dasar_waktu', 'batas_tindak_lanjut', 'diunggah', 'hk3', 'hk5', 'hk10'],
        body: l.items.map((i) => [
          i.ticketNumber,
          i.trackingId,
          i.basis,
          i.followUpDueAt ? officeLocalTime(i.followUpDueAt, tz) : undefined,
          i.postedAt ? officeLocalTime(i.postedAt, tz) : undefined,
          i.verification,
          i.followUp,
          i.closure,
        ]),
      },
    );
  }
  if (recap.forwarded)
    sections.push({
      name: 'diteruskan',
      header: ['nomor_tiket', 'kode_kanal', 'kanal', 'diteruskan_ke', 'lewat', 'waktu'],
      body: recap.forwarded.map((f) => [
        f.ticketNumber,
        f.channel,
        f.channelLabel,
        f.to,
        f.via,
        officeLocalTime(f.at, tz),
      ]),
    });
  return sections;
}
