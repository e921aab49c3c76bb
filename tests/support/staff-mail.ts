import type { ComplaintInputDraft, Ticket } from '../../src/domain/complaint';
import { staffReplyAddress, staffMailId, tokenTag } from '../../src/domain/office-mail-ids';
import { TEST_REPLY_SECRET } from './service-harness';

/**
 * What a real staff answer carries, for tests: the ticket's token (from the team mail they answer) and the
 * Authentication-Results header the receiving server (here "mx.google.com") writes on top of the mail.
 */

export const TEST_SECRETS = { current: TEST_REPLY_SECRET, previous: [] as string[] };
export const TRUSTED_AUTHSERV_ID = 'mx.google.com';
const DOMAIN = 'disdukcapil.dairikab.go.id';

/** `ADU-2026-000123-<token>`, as in the team mail's reply address. */
export function tokenTagOf(ticketNumber: string): string {
  return tokenTag(ticketNumber, TEST_SECRETS);
}

/** pengaduan+ADU-2026-000123-<token>@…: the team mail's Reply-To. */
export function teamReplyAddress(ticketNumber: string): string {
  return staffReplyAddress(`pengaduan@${DOMAIN}`, ticketNumber, TEST_SECRETS);
}

/** <ADU-2026-000123-<token>.team@…>: the team mail's Message-ID. */
export function teamMessageId(ticketNumber: string, suffix = 'team'): string {
  return `<${staffMailId(ticketNumber, suffix, TEST_SECRETS)}@${DOMAIN}>`;
}

/** The receiving server's verdict, as Gmail writes it. */
export function authResults(
  fromDomain: string,
  dmarc: 'pass' | 'fail' | 'none' = 'pass',
  authservId = TRUSTED_AUTHSERV_ID,
): string {
  const dkim =
    dmarc === 'pass' ? `dkim=pass header.i=@${fromDomain} header.s=google header.b=AbCdEfGh;\r\n       ` : '';
  return `${authservId};\r\n       ${dkim}spf=${dmarc === 'pass' ? 'pass' : 'softfail'} (google.com: domain of sender) smtp.mailfrom=${fromDomain};\r\n       dmarc=${dmarc} (p=QUARANTINE sp=QUARANTINE dis=${dmarc === 'fail' ? 'QUARANTINE' : 'NONE'}) header.from=${fromDomain}`;
}

let answerSeq = 0;

/**
 * The team's authenticated reply to the team mail, as the email channel hands it over to the pipeline (with
 * stored files, if any): for tests of a channel's answer relay that do not go through a mailbox.
 */
export function staffAnswer(
  h: { env: { config: { teams: Record<string, { emails: string[] }> } } },
  ticket: Ticket,
  text: string,
  attachments: ComplaintInputDraft['attachments'] = [],
): ComplaintInputDraft {
  return {
    references: [],
    channel: 'email',
    sourceId: `<jawab-${Date.now().toString(36)}-${++answerSeq}@${DOMAIN}>`,
    receivedAt: new Date().toISOString(),
    complainant: { name: 'Petugas', email: h.env.config.teams[ticket.team]!.emails[0]! },
    subject: `RE: [${ticket.ticketNumber}] Tiket baru`,
    text,
    autoReplyAllowed: false,
    attachments,
    meta: {
      automated: 'own',
      replyTag: tokenTagOf(ticket.ticketNumber),
      senderAuth: 'pass',
      senderAuthNote: `dmarc=pass (${TRUSTED_AUTHSERV_ID})`,
    },
  };
}
