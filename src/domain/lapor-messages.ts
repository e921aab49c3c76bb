import type { ForwardTarget, Ticket } from './complaint';
import type { LaporClock } from './lapor-clock';
import { laporIdentityWithheld } from './lapor-report';
import { formatJakartaTime, sanitizeInline } from './messages';
import { maskIdentityNumbers } from './personal-data';
import { statusLabel } from './ticket-life';

/**
 * The SP4N-LAPOR! texts, in Bahasa Indonesia: the ready-to-paste follow-up for the Admin Penghubung, the
 * reminders and escalation on LAPOR!'s clock, the lines a team mail adds for a LAPOR! report, and what a
 * citizen is told when their complaint is sent on to another agency. No reporter identity appears in any
 * of them: the follow-up is pasted into LAPOR!, which knows its reporter.
 */

interface LaporText {
  ticket: Ticket;
  timeZone: string;
  clock: LaporClock | undefined;
  reportUrl: string;
}

const BASIS_LABEL = { forwarded: 'diteruskan LAPOR!', disposed: 'didisposisikan ke kantor' } as const;

function trackingId(ticket: Ticket): string {
  return ticket.meta.laporTrackingId ?? ticket.sourceId;
}

function deadlineLine(input: LaporText): string {
  const { clock } = input;
  if (!clock) return 'Batas tindak lanjut LAPOR!: tidak diketahui (tanggal penerusan dan disposisi tidak tercatat)';
  return (
    `Batas tindak lanjut LAPOR!: ${formatJakartaTime(clock.followUpDueAt, input.timeZone)} WIB ` +
    `(5 hari kerja sejak ${BASIS_LABEL[clock.basis]} ${formatJakartaTime(clock.startAt, input.timeZone)} WIB)`
  );
}

/** What a team mail adds for a LAPOR! report (after the times), and a note when the identity is withheld. */
export function laporTeamMailLines(input: LaporText): string[] {
  return [
    `Tracking ID   : #${trackingId(input.ticket)} (${input.reportUrl})`,
    deadlineLine(input),
    ...(laporIdentityWithheld(input.ticket)
      ? ['Identitas pelapor dirahasiakan (laporan rahasia/anonim di LAPOR!): tidak disimpan oleh aduan.']
      : []),
    'Jawaban tim dikirim kepada Admin Penghubung untuk diunggah ke LAPOR! (pelapor tidak dibalas langsung).',
  ];
}

/**
 * The follow-up ready to paste into LAPOR!: the Admin Penghubung copies the block between the markers into
 * the report's tanggapan, then confirms with `aduan lapor posted`.
 */
export function composeLaporHandoff(input: LaporText & { answer: string; by?: string | undefined }): {
  subject: string;
  text: string;
} {
  const { ticket } = input;
  const id = trackingId(ticket);
  return {
    subject: `[${ticket.ticketNumber}] Tindak lanjut siap diunggah ke LAPOR! #${id}`,
    text: [
      `Jawaban atas laporan SP4N-LAPOR! #${id} (tiket ${ticket.ticketNumber}) sudah disiapkan${input.by ? ` oleh ${sanitizeInline(input.by, 200)}` : ''}.`,
      'aduan tidak dapat mengunggahnya sendiri (API LAPOR! belum tersedia bagi kantor). Mohon Admin Penghubung:',
      '',
      `1. Buka laporan: ${input.reportUrl}`,
      '   (atau cari Tracking ID di dasbor admin LAPOR!).',
      '2. Salin teks di antara tanda di bawah ini sebagai tanggapan/tindak lanjut.',
      `3. Setelah terunggah, catat dengan: aduan lapor posted ${id}`,
      '',
      deadlineLine(input),
      '',
      '----- TINDAK LANJUT (salin mulai baris berikut) -----',
      maskIdentityNumbers(input.answer.trim()),
      '----- AKHIR TINDAK LANJUT -----',
      '',
      `Status tiket: ${statusLabel('lapor-ready')}.`,
    ].join('\n'),
  };
}

export function composeLaporReminder(input: LaporText & { days: number; teamName: string; answered: boolean }): {
  subject: string;
  text: string;
} {
  const { ticket, clock } = input;
  const id = trackingId(ticket);
  const due = clock ? formatJakartaTime(clock.followUpDueAt, input.timeZone) : '-';
  return {
    subject: `[${ticket.ticketNumber}] Pengingat LAPOR! #${id}: ${input.days} hari kerja berlalu — batas ${due} WIB`,
    text: [
      `Laporan SP4N-LAPOR! #${id} (tiket ${ticket.ticketNumber}, ${input.teamName}) belum ditindaklanjuti di LAPOR!.`,
      `${input.days} hari kerja telah berlalu. ${deadlineLine(input)}.`,
      `Status tiket: ${statusLabel(ticket.status)}.`,
      '',
      input.answered
        ? 'Jawaban sudah disiapkan tim: Admin Penghubung mohon mengunggahnya ke LAPOR! lalu menjalankan `aduan lapor posted`.'
        : 'Tim mohon membalas email tiket dengan jawaban; aduan meneruskannya kepada Admin Penghubung untuk diunggah.',
      `Laporan: ${input.reportUrl}`,
    ].join('\n'),
  };
}

export function composeLaporEscalation(input: LaporText & { teamName: string; now: string }): {
  subject: string;
  text: string;
} {
  const { ticket } = input;
  const id = trackingId(ticket);
  return {
    subject: `[${ticket.ticketNumber}] Melewati batas LAPOR! #${id}`,
    text: [
      `Laporan SP4N-LAPOR! #${id} (tiket ${ticket.ticketNumber}) yang ditangani ${input.teamName} melewati batas`,
      `tindak lanjut LAPOR! tanpa tindak lanjut yang diunggah (dicek ${formatJakartaTime(input.now, input.timeZone)} WIB).`,
      deadlineLine(input),
      `Status tiket: ${statusLabel(ticket.status)}.`,
      '',
      'Kinerja tindak lanjut SP4N-LAPOR! dipantau secara nasional. Mohon koordinasikan dengan tim dan Admin Penghubung.',
      `Laporan: ${input.reportUrl}`,
    ].join('\n'),
  };
}

/** No wrong door: the citizen is told which agency their complaint went to, how and why (relayed as an answer). */
export function composeForwardNotice(ticketNumber: string, target: ForwardTarget): string {
  const via =
    target.via === 'lapor' ? 'melalui SP4N-LAPOR! (lapor.go.id)' : `melalui ${sanitizeInline(target.via, 100)}`;
  return [
    `Pengaduan Anda nomor ${ticketNumber} bukan kewenangan Disdukcapil Kabupaten Dairi.`,
    `Sesuai prinsip "no wrong door", pengaduan ini telah kami teruskan kepada ${sanitizeInline(target.to, 200)} ${via}.`,
    `Alasan: ${sanitizeInline(target.reason, 500)}.`,
    'Tindak lanjut selanjutnya akan disampaikan oleh instansi tersebut.',
  ].join('\n');
}
