/**
 * Decides whether a received mail may get an automatic reply (RFC 3834 and the habits of real
 * mail systems). Mail that fails still becomes a ticket or follow-up; it only gets no answer. Reasons
 * are shown to staff in the ticket history, so they are in Bahasa Indonesia.
 */

export type Automation =
  { kind: 'human' } | { kind: 'own' | 'bounce' | 'auto-reply' | 'bulk' | 'robot'; reason: string };

export interface MailFacts {
  /** First value of each header, keys in lower case, folding undone. */
  headers: ReadonlyMap<string, string>;
  /** The From address, if any. */
  sender: string | undefined;
  subject: string | undefined;
  /** A multipart/report with report-type=delivery-status (RFC 3464). */
  isDeliveryReport: boolean;
}

const ROBOT_LOCAL_PART =
  /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply|notifications?)([+._-].*)?$/i;
const BOUNCE_LOCAL_PART = /^(mailer-daemon|postmaster)$/i;
const AUTO_REPLY_SUBJECT =
  /^\s*(automatic reply|auto(matic)?[ -]?reply|autoreply|auto-response|out of (the )?office|balasan otomatis|jawaban otomatis|sedang cuti|di luar kantor)\b/i;

export function assessAutomation(mail: MailFacts, ownAddresses: ReadonlySet<string>): Automation {
  const header = (name: string) => mail.headers.get(name)?.trim();
  const sender = mail.sender ? canonicalAddress(mail.sender) : undefined;
  const localPart = sender?.split('@')[0] ?? '';

  if (sender && ownAddresses.has(sender))
    return {
      kind: 'own',
      reason: 'dikirim dari alamat kantor sendiri; tidak dibalas otomatis agar email tidak berputar',
    };

  if (mail.isDeliveryReport || header('x-failed-recipients') || BOUNCE_LOCAL_PART.test(localPart)) {
    return { kind: 'bounce', reason: 'laporan gagal kirim (bounce) dari server email; tidak dibalas' };
  }

  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) {
    const kind = /^auto-replied/i.test(autoSubmitted) ? 'auto-reply' : 'robot';
    return { kind, reason: `pesan otomatis (Auto-Submitted: ${autoSubmitted.split(';')[0]}); tidak dibalas` };
  }
  for (const name of ['x-autoreply', 'x-autorespond']) {
    if (mail.headers.has(name))
      return { kind: 'auto-reply', reason: `balasan otomatis (${displayName(name)}); tidak dibalas` };
  }
  const precedence = header('precedence')?.toLowerCase();
  if (precedence === 'auto_reply')
    return { kind: 'auto-reply', reason: 'balasan otomatis (Precedence: auto_reply); tidak dibalas' };
  if (mail.subject && AUTO_REPLY_SUBJECT.test(mail.subject))
    return { kind: 'auto-reply', reason: 'balasan otomatis (subjek pesan di luar kantor); tidak dibalas' };
  if (mail.headers.has('x-auto-response-suppress'))
    return {
      kind: 'robot',
      reason: 'pengirim meminta tanpa balasan otomatis (X-Auto-Response-Suppress); tidak dibalas',
    };

  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk')
    return { kind: 'bulk', reason: `email massal (Precedence: ${precedence}); tidak dibalas` };
  for (const name of ['list-id', 'list-unsubscribe']) {
    if (mail.headers.has(name))
      return { kind: 'bulk', reason: `email milis/massal (${displayName(name)}); tidak dibalas` };
  }

  if (ROBOT_LOCAL_PART.test(localPart))
    return { kind: 'robot', reason: `dikirim dari alamat sistem (${localPart}); tidak dibalas` };
  const returnPath = header('return-path');
  if (returnPath !== undefined && /^<\s*>$|^$/.test(returnPath))
    return { kind: 'robot', reason: 'alamat pengembalian kosong (Return-Path: <>); tidak dibalas' };
  return { kind: 'human' };
}

/** Lower case, without a +tag: pengaduan+ADU-2026-000001@x and Pengaduan@X are the same mailbox. */
export function canonicalAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  return `${lower.slice(0, at).split('+')[0]}${lower.slice(at)}`;
}

function displayName(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
