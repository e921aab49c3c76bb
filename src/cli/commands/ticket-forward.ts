import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { AppConfig } from '../../config/schema';
import type { ForwardTarget } from '../../domain/complaint';
import { composeForwardNotice } from '../../domain/lapor-messages';
import { sanitizeLine } from '../../domain/text-sanitizer';
import { queueEffect, withTicket } from './ticket';

/**
 * `aduan ticket forward TICKET --to "<instansi>" --via lapor --reason …` (no wrong door): a complaint that
 * belongs to another agency is recorded as sent there, and the citizen is told where it went by the same
 * `relay` effect as any staff answer (once; a call-back task where the channel has no reply path). The
 * relay closes the ticket as `forwarded`; the recap counts it apart. Sending it on (in LAPOR!, by letter)
 * is the operator's own step: aduan records it.
 */
export interface ForwardOptions {
  to?: string;
  via?: string;
  reason?: string;
  operator?: string;
}

export async function runTicketForward(
  config: AppConfig,
  ticketNumber: string,
  options: ForwardOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const target: ForwardTarget = {
    to: sanitizeLine(options.to ?? '', 200),
    via: sanitizeLine(options.via ?? 'lapor', 60) || 'lapor',
    reason: sanitizeLine(options.reason ?? '', 500),
  };
  if (!target.to) return usage(err, '--to (instansi tujuan) wajib diisi');
  if (!target.reason) return usage(err, '--reason (alasan diteruskan) wajib diisi');
  const operator = options.operator?.trim() || os.userInfo().username;
  return withTicket(config, ticketNumber, err, async (store, ticket) => {
    if (ticket.status === 'forwarded') {
      const earlier = ticket.history.find((h) => h.forward);
      out.write(`tiket ${ticket.ticketNumber} sudah diteruskan ke ${earlier?.forward?.to ?? '-'}; tidak diubah\n`);
      return 0;
    }
    if (ticket.status === 'resolved') {
      err.write(`tiket ${ticket.ticketNumber} sudah selesai; tidak diteruskan\n`);
      return 1;
    }
    const ref = `cli-forward-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    await store.appendHistory(ticket.id, {
      at: new Date().toISOString(),
      event: 'staff-reply',
      ref,
      note: composeForwardNotice(ticket.ticketNumber, target),
      by: `operator:${operator}`,
      forward: target,
    });
    try {
      await queueEffect(config, { ticketId: ticket.id, effects: ['relay'], ref });
    } catch (error) {
      err.write(
        `penerusan tercatat (${ref}), tetapi pemberitahuannya belum dapat dijadwalkan ` +
          `(${(error as Error).message}); hubungi admin\n`,
      );
      return 1;
    }
    out.write(
      `tiket ${ticket.ticketNumber} dicatat diteruskan ke ${target.to} lewat ${target.via} oleh ${operator}; ` +
        'pelapor diberi tahu (sekali) dan tiket ditutup sebagai diteruskan\n',
    );
    return 0;
  });
}

function usage(err: NodeJS.WritableStream, message: string): number {
  err.write(`${message}\n`);
  return 2;
}
