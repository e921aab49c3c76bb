import type { Ticket } from './complaint';
import { CHANNEL_LABELS } from './channels';
import { formatJakartaTime, sanitizeInline } from './messages';
import { maskIdentityNumbers } from './personal-data';
import { statusLabel } from './ticket-life';

/**
 * Texts of the coordination loop, in Bahasa Indonesia: the solution relayed to the citizen, the
 * call-back task for channels without a reply path, the reminder to the team and the escalation.
 */

interface TicketText {
  ticket: Ticket;
  timeZone: string;
}

/**
 * Step 4: the team's answer, as the office's message to the citizen. `ask`: the answer asks the citizen
 * for something (#tanya), so the closing line invites their reply instead of offering more help.
 */
export function composeSolution(input: TicketText & { solution: string; ask?: boolean }): {
  subject: string;
  text: string;
} {
  const { ticket } = input;
  const name = sanitizeInline(ticket.complainant.name ?? '') || 'Bapak/Ibu';
  const original = sanitizeInline(ticket.subject ?? '', 150).replace(/^(re|bls|balas|fwd?)\s*:\s*/i, '');
  return {
    subject: original
      ? `Re: ${original} [${ticket.ticketNumber}]`
      : `Tanggapan atas pengaduan Anda [${ticket.ticketNumber}]`,
    text: [
      `Yth. ${name},`,
      '',
      `Berikut tanggapan atas pengaduan Anda nomor ${ticket.ticketNumber}:`,
      '',
      input.solution.trim(),
      '',
      input.ask
        ? 'Mohon balas pesan ini dengan keterangan yang kami minta agar pengaduan Anda dapat kami selesaikan.'
        : 'Bila masih ada kendala, balas pesan ini dengan menyebutkan nomor pengaduan di atas.',
      '',
      'Salam,',
      'Layanan Pengaduan Disdukcapil Kabupaten Dairi',
    ].join('\n'),
  };
}

/**
 * A staff answer came with files but the citizen's channel cannot carry them: tell them how to get them.
 * Appended to the solution (or to the call-back task, for the team to pass on).
 */
export function describeUndeliveredAttachments(ticketNumber: string, names: string[], channelLabel: string): string {
  const listed = names.map((f) => sanitizeInline(f, 100)).join(', ');
  return [
    `Tanggapan ini disertai ${names.length} lampiran (${listed}) yang tidak dapat dikirim lewat ${channelLabel}.`,
    `Lampiran dapat diambil di kantor Disdukcapil Kabupaten Dairi, atau dikirim lewat email bila Anda membalas dengan`,
    `alamat email Anda; sebutkan nomor pengaduan ${ticketNumber}.`,
  ].join('\n');
}

/**
 * Some of a staff answer's files could not go out on the citizen's channel (too large, or a type the channel
 * cannot carry): each is named with why, and the citizen is told how to get it.
 */
export function describeUnsentAttachments(
  ticketNumber: string,
  files: Array<{ name: string; reason: string }>,
  channelLabel: string,
): string {
  const listed = files.map((f) => `- ${sanitizeInline(f.name, 100)} (${f.reason})`);
  return [
    `Lampiran berikut tidak dapat dikirim lewat ${channelLabel}:`,
    ...listed,
    `Lampiran tersebut dapat diambil di kantor Disdukcapil Kabupaten Dairi, atau dikirim lewat email bila Anda`,
    `membalas dengan alamat email Anda; sebutkan nomor pengaduan ${ticketNumber}.`,
  ].join('\n');
}

/** Call-center, walk-in and suggestion-box complaints have no reply path: the team calls back. */
export function composeCallBackTask(
  input: TicketText & { solution: string; teamName: string; reason: string; ask?: boolean },
): {
  subject: string;
  text: string;
} {
  const { ticket } = input;
  const c = ticket.complainant;
  const what = input.ask ? 'Pertanyaan' : 'Solusi';
  return {
    subject: `[${ticket.ticketNumber}] Tugas: sampaikan ${what.toLowerCase()} kepada pelapor`,
    text: [
      `${what} untuk tiket ${ticket.ticketNumber} (${CHANNEL_LABELS[ticket.channel] ?? ticket.channel}) tidak dapat dikirim otomatis: ${input.reason}.`,
      `Mohon ${input.teamName} menyampaikannya langsung kepada pelapor.`,
      '',
      `Nama     : ${sanitizeInline(c.name ?? '-')}`,
      ...(c.phone ? [`Telepon  : ${c.phone}`] : []),
      ...(ticket.queueNumber ? [`Antrian  : ${ticket.queueNumber}`] : []),
      `Diterima : ${formatJakartaTime(ticket.receivedAt, input.timeZone)} WIB`,
      '',
      `${what} yang disampaikan:`,
      maskIdentityNumbers(input.solution.trim()),
      ...(input.ask
        ? [
            '',
            'Tiket menunggu tanggapan warga; batas waktu dihentikan sementara. Setelah warga menjawab,',
            'sampaikan solusinya dengan membalas email ini atau dengan `aduan ticket answer`.',
          ]
        : []),
    ].join('\n'),
  };
}

export function composeReminder(input: TicketText & { label: string; teamName: string; sharePercent: number }): {
  subject: string;
  text: string;
} {
  const { ticket } = input;
  const due = formatJakartaTime(ticket.dueAt, input.timeZone);
  return {
    subject: `[${ticket.ticketNumber}] Pengingat: ${input.sharePercent}% waktu target terpakai — batas ${due} WIB`,
    text: [
      `Tiket ${ticket.ticketNumber} (${input.label}) untuk ${input.teamName} belum selesai.`,
      `${input.sharePercent}% waktu target telah berlalu; batas penyelesaian ${due} WIB.`,
      '',
      'Balas email tiket untuk menyampaikan solusi kepada pelapor, atau gunakan `aduan ticket resolve`.',
    ].join('\n'),
  };
}

export function composeEscalation(input: TicketText & { label: string; teamName: string; now: string }): {
  subject: string;
  text: string;
} {
  const { ticket } = input;
  const due = formatJakartaTime(ticket.dueAt, input.timeZone);
  return {
    subject: `[${ticket.ticketNumber}] Melewati batas waktu: ${input.label}`,
    text: [
      `Tiket ${ticket.ticketNumber} (${input.label}) yang ditangani ${input.teamName} melewati batas waktu ${due} WIB`,
      `dan belum diselesaikan (dicek ${formatJakartaTime(input.now, input.timeZone)} WIB).`,
      '',
      `Kanal    : ${CHANNEL_LABELS[ticket.channel] ?? ticket.channel}`,
      `Diterima : ${formatJakartaTime(ticket.receivedAt, input.timeZone)} WIB`,
      `Status   : ${statusLabel(ticket.status)}`,
      '',
      'Mohon koordinasikan penyelesaiannya dengan tim terkait.',
    ].join('\n'),
  };
}

/**
 * The joined notice to a sender tied to the open ticket only by a NIK they wrote (anyone can copy a NIK off a
 * KTP): it joined, but no number, kind, date or target of the existing ticket — nothing to learn about whoever
 * holds that NIK. Staff call them back after checking who they are.
 */
export function composeUnnamedJoinedNotice(): { subject: string; text: string } {
  return {
    subject: 'Pengaduan Anda sudah kami terima',
    text: [
      'Yth. Bapak/Ibu,',
      '',
      'Pengaduan Anda sudah kami terima dan kami gabungkan dengan pengaduan yang sama yang sudah ada;',
      'petugas akan menghubungi Anda.',
      '',
      'Salam,',
      'Layanan Pengaduan Disdukcapil Kabupaten Dairi',
    ].join('\n'),
  };
}

/**
 * A new complaint of the same kind from the same citizen while their ticket is open: it joined that ticket
 * (one clock, no second number). Told on the channel they wrote from.
 */
export function composeJoinedNotice(input: TicketText & { label: string }): { subject: string; text: string } {
  const { ticket } = input;
  const due = formatJakartaTime(ticket.dueAt, input.timeZone);
  return {
    subject: `Pengaduan Anda sudah tercatat [${ticket.ticketNumber}]`,
    text: [
      'Yth. Bapak/Ibu,',
      '',
      `Pesan Anda kami terima. Pengaduan yang sama (${input.label}) sudah tercatat dengan nomor ${ticket.ticketNumber}`,
      `sejak ${formatJakartaTime(ticket.receivedAt, input.timeZone)} WIB dan sedang kami tangani; pesan ini kami`,
      `tambahkan ke pengaduan tersebut, tidak dibuat nomor baru. Target penyelesaian: ${due} WIB.`,
      '',
      `Sebutkan nomor ${ticket.ticketNumber} bila menanyakan perkembangannya.`,
      '',
      'Salam,',
      'Layanan Pengaduan Disdukcapil Kabupaten Dairi',
    ].join('\n'),
  };
}
