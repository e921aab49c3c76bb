import { domainToASCII } from 'node:url';
import { z } from 'zod';
import type { ComplaintInput, ComplaintInputDraft } from '../../domain/complaint';
import { sanitizeLine as cleanLine, sanitizeText } from '../../domain/text-sanitizer';
import { findTicketNumber } from '../../domain/ticket-number';
import { describeAttachments, type FileToStore } from './attachments';
import { forwardedAttachments, forwardedText } from './forwarded-messages';
import { readDeliveryReport, type DeliveryReport } from './delivery-report';
import { classifyAutomatedMail, type NoiseKind } from './automated-mail';
import { assessAutomation, canonicalAddress, type Automation } from './loop-guard';
import { parseOwnMessageId, replyTagOf } from '../../domain/office-mail-ids';
import { fallbackMessageId, normalizeMessageId, parseMessageIds } from './message-ids';
import type { ParsedMail } from './parse';
import { splitReply, trimBlock } from './reply-split';
import { assessSender, type SenderTrust } from './sender-auth';
import { spamVerdict, type SpamRule } from './spam-flag';

/**
 * The email channel's pure `normalize`: one parsed mail → the complaint record, or the decision
 * that it is not a complaint (our own mail, or noise about our own mail that must not loop).
 */

export interface NormalizeContext {
  /** Our addresses in canonical form (see canonicalAddress): fromAddress, team and admin addresses. */
  ownAddresses: ReadonlySet<string>;
  /** Domain of our Message-IDs (outbound.fromAddress). */
  ownDomain: string;
  attachments: { folder: string; maxBytes: number };
  /** When our server received it (IMAP INTERNALDATE); otherwise the Date header, otherwise `now`. */
  receivedAt?: Date | undefined;
  now: Date;
  /** Where it was read (account/mailbox#uid, file name); kept in meta for staff. */
  origin: string;
  /** Whose Authentication-Results the account believes; absent: none (nothing is authenticated). */
  trust?: SenderTrust | undefined;
  spam?: SpamRule | undefined;
  /** Canonical addresses complaints are sent to (not staff): mail From them without our ids is forged. */
  intakeAddresses?: ReadonlySet<string> | undefined;
  /** Senders whose machine-written mail is a complaint all the same (`channels.email.acceptAutomatedFrom`). */
  acceptAutomatedFrom?: readonly string[] | undefined;
  /** Bytes of the raw message (for the noise record). */
  size?: number | undefined;
}

const NO_TRUST: SenderTrust = { authservIds: [], maxHeaders: 1, alignedSpf: false, trustUnauthenticatedFrom: false };

/** The record with the fields email always fills made non-optional (the processor may still adjust them). */
export type EmailComplaint = ComplaintInputDraft &
  Pick<ComplaintInput, 'references' | 'attachments' | 'autoReplyAllowed' | 'meta'>;

export type EmailDecision =
  | {
      kind: 'complaint';
      complaint: EmailComplaint;
      files: FileToStore[];
      automation: Automation;
      /** Neither a reply nor naming a ticket: if it becomes a ticket it gets an automatic reply. */
      looksNew: boolean;
      /** Canonical address an automatic reply would go to. */
      replyAddress?: string;
    }
  | { kind: 'own-mail'; sourceId: string; reason: string }
  /** Automatic mail about our staff/alert mail, or a bounce of mail we never sent: recorded, not processed. */
  | NoiseDecision;

/** Mail a machine wrote (see automated-mail.ts): recorded as noise, never a ticket. */
export interface NoiseDecision {
  kind: 'noise';
  sourceId: string;
  noiseKind: NoiseKind;
  /** Why, for staff (Indonesian). */
  reason: string;
  /** About our team or alert mail (a bounce of it alerts the admins). */
  aboutStaffMail: boolean;
  report?: DeliveryReport;
  sender?: string;
  subject?: string;
  /** Bytes of the raw message. */
  size: number;
  /** In-Reply-To/References (and, for a bounce, the returned mail's id): how it finds its ticket. */
  references: string[];
  replyTag?: string;
  /** The start of its text, for the internal note on a ticket it concerns. */
  excerpt: string;
}

const MAX_TEXT = 200_000;
const NOISE_EXCERPT = 2000;
const MAX_QUOTED = 1_000_000;
const MAX_SIGNATURE = 10_000;
const MAX_REFERENCES = 200;
/** What is read of a body at most: the text and the quote the complaint can hold, and some slack. */
const MAX_BODY = MAX_TEXT + MAX_QUOTED + 50_000;
const isEmail = z.email();

export function normalizeEmail(mail: ParsedMail, ctx: NormalizeContext): EmailDecision {
  const headers = headerMap(mail);
  const body = cleanText(mail.text ?? '');
  const sourceId =
    normalizeMessageId(headers.get('message-id')) ??
    fallbackMessageId({
      headers: ['from', 'to', 'cc', 'date', 'subject'].map((h) => `${h}:${headers.get(h) ?? ''}`),
      body,
    });
  const sender = firstAddress(mail.from);
  const subject = mail.subject ? sanitizeLine(mail.subject, 998) : undefined;
  const contentType = mail.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  const isDeliveryReport =
    /^multipart\/report$/i.test(contentType?.value ?? '') &&
    /delivery-status/i.test(contentType?.params?.['report-type'] ?? '');

  const senderIsOwn = sender !== undefined && ctx.ownAddresses.has(canonicalAddress(sender));
  if (senderIsOwn && parseOwnMessageId(sourceId, ctx.ownDomain)) {
    return { kind: 'own-mail', sourceId, reason: 'our own outgoing mail (a copy in the intake mailbox)' };
  }

  const facts = { headers, sender, subject, isDeliveryReport };
  const automation = assessAutomation(facts, ctx.ownAddresses);
  // Our own addresses send machine mail too (a team inbox's out-of-office): that must neither loop nor
  // pass for a staff member's answer.
  const machine = automation.kind === 'own' ? assessAutomation(facts, new Set()) : automation;
  let references = [...parseMessageIds(mail.references), ...parseMessageIds(mail.inReplyTo)];
  let report: DeliveryReport | undefined;
  if (machine.kind === 'bounce') {
    report = readDeliveryReport({
      text: body,
      parts: mail.attachments.map((a) => ({ contentType: a.contentType, content: a.content })),
    });
    references = [...report.originalMessageIds, ...references];
  }
  references = [...new Set(references)].filter((id) => id !== sourceId);

  const tag = replyTag(mail, headers, ctx.ownAddresses);
  const automated = classifyAutomatedMail(
    { headers, sender, subject, sourceId, references, replyTag: tag },
    {
      intakeAddresses: ctx.intakeAddresses ?? new Set(),
      ownDomain: ctx.ownDomain,
      acceptFrom: ctx.acceptAutomatedFrom,
    },
  );
  // Anyone writes References: store lookups see the first id and the newest ones only.
  const keptReferences =
    references.length > MAX_REFERENCES ? [references[0]!, ...references.slice(-(MAX_REFERENCES - 1))] : references;
  const noise = (kind: NoiseKind, reason: string, aboutStaffMail: boolean): EmailDecision => ({
    kind: 'noise',
    sourceId,
    noiseKind: kind,
    reason,
    aboutStaffMail,
    ...(report ? { report } : {}),
    ...(sender ? { sender } : {}),
    ...(subject ? { subject } : {}),
    size: ctx.size ?? 0,
    references: keptReferences,
    ...(tag ? { replyTag: tag } : {}),
    excerpt: truncate(report ? describeBounce(report) : body, NOISE_EXCERPT),
  });
  const ours = references.map((id) => parseOwnMessageId(id, ctx.ownDomain)).filter((o) => o !== undefined);
  if (machine.kind === 'bounce' || machine.kind === 'auto-reply') {
    if (ours.some((o) => o.purpose !== 'acknowledgement')) {
      const kind = automated?.kind ?? (machine.kind === 'bounce' ? 'delivery-report' : 'auto-reply');
      const reason = `${automated?.reason ?? machine.reason}; tentang email kantor untuk tim/admin, tidak diproses agar tidak berputar`;
      return noise(kind, reason, true);
    }
    if (machine.kind === 'bounce' && ours.length === 0)
      return noise(
        'delivery-report',
        'laporan pengiriman tentang email yang tidak pernah dikirim kantor (backscatter)',
        false,
      );
  }
  // A bounce of our reply to a citizen stays a follow-up (delivery-report.ts): the team must learn that
  // the citizen cannot be reached by mail. Every other automated mail is noise.
  const bounceOfOurReply = machine.kind === 'bounce' && ours.length > 0;
  if (automated && !bounceOfOurReply) return noise(automated.kind, automated.reason, false);

  // Reply-To is anyone's to write: it counts only when the From domain is authenticated (or it is the
  // From mailbox itself). Otherwise a forged message could make us send our reply to a third party.
  // An unreadable From ("a b"@x, an IDN) still has a domain the server judged: its dmarc=fail must count.
  const fromDomain = sender ? sender.slice(sender.lastIndexOf('@') + 1) : rawFromDomain(headers.get('from'));
  const auth = assessSender(mail.headerLines, fromDomain, ctx.trust ?? NO_TRUST);
  const replyTo = firstAddress(mail.replyTo);
  const useReplyTo =
    replyTo !== undefined &&
    sender !== undefined &&
    (auth.verdict === 'pass' || canonicalAddress(replyTo) === canonicalAddress(sender));
  const complainantMail = useReplyTo ? replyTo : sender;
  const shownName = (useReplyTo ? mail.replyTo?.value[0]?.name : undefined) || mail.from?.value[0]?.name;
  const name = sanitizeLine(shownName ?? '', 200);
  const split = report ? { text: describeBounce(report), quotedText: trimBlock(body) } : splitReply(body);
  const forwarded = report ? [] : (mail.forwarded ?? []);
  const { attachments, files } = report
    ? { attachments: [], files: [] }
    : describeAttachments([...mail.attachments, ...forwardedAttachments(forwarded)], ctx.attachments);
  // Below the cover note (after the reply split: the marker would read as the start of a quote).
  const forwardedBlock = forwarded.length ? cleanText(forwardedText(forwarded)) : '';
  const text = [split.text, forwardedBlock].filter(Boolean).join('\n\n');
  const receivedAt = ctx.receivedAt ?? (mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : ctx.now);

  const meta: Record<string, string> = {
    origin: ctx.origin.slice(0, 2000),
    senderAuth: auth.verdict,
    senderAuthNote: auth.how.slice(0, 500),
  };
  const spam = ctx.spam ? spamVerdict(headers, ctx.spam) : undefined;
  // Two From headers or a list: the server may have judged one mailbox while we would answer another.
  const fromProblem = ambiguousFrom(mail);
  if (fromProblem) meta.fromProblem = fromProblem;
  const blocked =
    automation.kind !== 'human'
      ? automation.reason
      : auth.verdict === 'fail'
        ? `pengirim gagal autentikasi (${auth.how}); alamat mungkin dipalsukan, tidak dibalas otomatis`
        : spam
          ? `ditandai spam oleh server email (${spam}); tidak dibalas otomatis`
          : fromProblem && sender
            ? `pengirim tidak jelas (${fromProblem}); tidak dibalas otomatis`
            : undefined;
  if (automation.kind !== 'human') meta.automated = machine.kind !== 'human' ? machine.kind : automation.kind;
  if (blocked) meta.autoReplyBlocked = blocked;
  if (tag) meta.replyTag = tag;
  // `from` is set whenever the mailbox we answer (Reply-To) is not the one that sent the mail: anyone
  // can write any Reply-To, so such mail never counts as sent by staff.
  if (complainantMail && (!sender || canonicalAddress(sender) !== canonicalAddress(complainantMail)))
    meta.from = (sender ?? '').slice(0, 2000);
  // A Reply-To we do not answer stays visible to staff (and makes a claimed staff answer suspect).
  if (replyTo && !useReplyTo) meta.replyTo = replyTo.slice(0, 2000);
  if (report?.recipient) meta.bounceRecipient = report.recipient;
  if (report?.status) meta.bounceStatus = report.status;
  const forwardedFrom = forwarded.find((f) => f.fromAddress)?.fromAddress;
  if (forwardedFrom) meta.forwardedFrom = forwardedFrom.slice(0, 500);
  if (mail.textConversionError) meta.htmlConversion = 'HTML tidak dapat diubah menjadi teks; lihat email asli';

  const complaint = {
    channel: 'email' as const,
    sourceId,
    references: keptReferences,
    receivedAt: receivedAt.toISOString(),
    complainant: {
      ...(name ? { name } : {}),
      ...(complainantMail ? { email: complainantMail } : {}),
    },
    ...(subject ? { subject } : {}),
    text: truncate(text, MAX_TEXT),
    ...(split.quotedText ? { quotedText: truncate(split.quotedText, MAX_QUOTED) } : {}),
    ...('signature' in split && split.signature ? { signature: truncate(split.signature, MAX_SIGNATURE) } : {}),
    attachments,
    autoReplyAllowed: blocked === undefined,
    meta,
  };
  const looksNew = references.length === 0 && !findTicketNumber(subject);
  return {
    kind: 'complaint',
    complaint,
    files,
    automation,
    looksNew,
    ...(complainantMail ? { replyAddress: canonicalAddress(complainantMail) } : {}),
  };
}

/**
 * The ticket named by the address the mail was sent to: our reply addresses carry it as a +tag
 * (pengaduan+ADU-2026-000123@…, with a token on staff mail), kept as written: the intake stage checks
 * the token.
 */
function replyTag(
  mail: ParsedMail,
  headers: ReadonlyMap<string, string>,
  own: ReadonlySet<string>,
): string | undefined {
  const listed = [mail.to, mail.cc]
    .flatMap((h) => (Array.isArray(h) ? h : h ? [h] : []))
    .flatMap((h) => h.value.map((v) => v.address ?? ''));
  for (const address of [...listed, headers.get('delivered-to') ?? '', headers.get('x-original-to') ?? '']) {
    const tag = replyTagOf(address);
    if (tag && own.has(canonicalAddress(address.replace(/^<|>$/g, '')))) return tag;
  }
  return undefined;
}

/** What staff read for a bounce, in Indonesian; the server's own wording follows as quoted text. */
function describeBounce(report: DeliveryReport): string {
  const who = report.recipient ? `kepada ${report.recipient}` : 'kepada pelapor';
  const why = [report.status ? `status ${report.status}` : '', report.diagnostic ?? ''].filter(Boolean).join(': ');
  return `Laporan server email: balasan otomatis ${who} tidak dapat dikirim${why ? ` (${why})` : ''}. Hubungi pelapor melalui kanal lain bila perlu.`;
}

/** First value of each header from the raw lines, folding undone. Encoded words stay encoded. */
function headerMap(mail: ParsedMail): Map<string, string> {
  const map = new Map<string, string>();
  for (const { key, line } of mail.headerLines) {
    if (map.has(key)) continue;
    const colon = line.indexOf(':');
    map.set(key, (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return map;
}

/** The first syntactically valid address of an address header, in lower case. */
function firstAddress(header: ParsedMail['from']): string | undefined {
  for (const entry of header?.value ?? []) {
    for (const candidate of [entry, ...(entry.group ?? [])]) {
      const address = candidate.address?.trim().toLowerCase();
      if (address && isEmail.safeParse(address).success) return address;
    }
  }
  return undefined;
}

/**
 * The domain after the last `@` of the raw From header, in ASCII (punycode), for headers no mailbox
 * could be read from; undefined when there is none.
 */
function rawFromDomain(raw: string | undefined): string | undefined {
  const at = raw?.lastIndexOf('@') ?? -1;
  const domain = at >= 0 ? /^[^\s<>()[\],;:"']+/.exec(raw!.slice(at + 1))?.[0] : undefined;
  return domain ? domainToASCII(domain.toLowerCase()) || undefined : undefined;
}

/**
 * Why the From header cannot name one sender (Bahasa Indonesia, for staff), if so: a second From header
 * or a list of mailboxes lets the server authenticate one address while we read another.
 */
function ambiguousFrom(mail: ParsedMail): string | undefined {
  const headers = mail.headerLines.filter((h) => h.key === 'from').length;
  if (headers > 1) return `${headers} header From`;
  const mailboxes = (mail.from?.value ?? []).flatMap((entry) => (entry.group ? entry.group : [entry]));
  const valid = mailboxes.filter((m) => isEmail.safeParse(m.address?.trim().toLowerCase() ?? '').success);
  if (mailboxes.length !== 1 || valid.length !== 1) {
    return `header From berisi ${mailboxes.length} alamat, bukan tepat satu alamat sah`;
  }
  return undefined;
}

/** Control characters, replacement characters from broken 8-bit headers and line breaks removed. */
function sanitizeLine(value: string, max: number): string {
  const line = cleanLine(value.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\ufffd+/g, ' '));
  return cleanLine(line.length > 1 && line.startsWith('"') && line.endsWith('"') ? line.slice(1, -1) : line, max);
}

/** Normalized line ends, no zero-width (except joiners inside emoji) or control characters, non-breaking spaces as spaces. */
function cleanText(text: string): string {
  // Cut before any per-line work: a 50 MB body must cost no more than the part that can be kept.
  const cut = text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}${TRUNCATED}` : text;
  const cleaned = sanitizeText(cut)
    .replace(/[\u200b\u200c\u2060\ufeff]/g, '')
    // A zero-width joiner between emoji is part of one emoji (👨‍👩‍👧 is a family, not three people).
    .replace(/(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f])\u200d|\u200d(?!\p{Extended_Pictographic})/gu, '')
    .replace(/\u00a0/g, ' ');
  return trimBlock(cleaned);
}

const TRUNCATED = '\n[… teks dipotong karena terlalu panjang]';

/** At most `max` characters, the note included (the complaint schema refuses one character more). */
function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - TRUNCATED.length)}${TRUNCATED}`;
}
