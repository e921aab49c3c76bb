import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { QuarantineRecord } from '../../../src/store/store';
import type { Ticket } from '../../../src/domain/complaint';
import { FIRST_EFFECTS } from '../../../src/pipeline/queues';
import type { RunningService } from '../../../src/main';
import { waitFor, type TestEnv } from '../../support/service-harness';

/**
 * The bad-input corpus (tests/fixtures/hostile): the manifest says, per item, which channel it goes
 * through, what it attacks and what must come of it. Each channel's test feeds its items through the
 * channel's real adapter into the real pipeline and checks the outcome with these helpers.
 */

export const CORPUS_DIR = path.resolve(__dirname, '../../fixtures/hostile');

export type Expectation = 'ticket' | 'quarantine' | 'rejected';

export interface TicketCheck {
  textIncludes?: string[];
  textExcludes?: string[];
  subjectIncludes?: string;
  nameEquals?: string;
  nameMaxLength?: number;
  /** The source's time was absurd: the ticket counts from when the corpus was fed. */
  receivedAtReplaced?: boolean;
  attachments?: number;
  /** The stored (and forwarded) attachment names and types, in order: cleaned, disguised programs renamed. */
  attachmentNames?: string[];
  attachmentTypes?: string[];
  /** Another corpus item with the same source id: both are this one ticket. */
  sameTicketAs?: string;
}

export interface CorpusItem {
  id: string;
  channel: 'email' | 'meta' | 'perkebbas' | 'call-center' | 'walk-in' | 'suggestion-box';
  /** Path under tests/fixtures/hostile; for `generated` items, the name the test writes it under. */
  file: string;
  /** Built by the test (too big to commit): see generated.ts. */
  generated?: string;
  /** Call-center: the row (Excel numbering, header = 1) or JSON line (1-based) within the file. */
  row?: number;
  attacks: string;
  expect: Expectation;
  /** Quarantine and rejection: a substring of the reason. */
  reason?: string;
  check?: TicketCheck;
  /** How the test finds the item's ticket or quarantine record. */
  sourceId?: string;
  /** A record without a usable source id: found by what its quarantined payload contains. */
  payloadIncludes?: string;
}

export function corpus(channel?: CorpusItem['channel'] | Array<CorpusItem['channel']>): CorpusItem[] {
  const items = (JSON.parse(readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8')) as { items: CorpusItem[] })
    .items;
  const wanted = channel === undefined ? undefined : Array.isArray(channel) ? channel : [channel];
  return items.filter((i) => !wanted || wanted.includes(i.channel));
}

/** Waits until every ticket has its first effects done (team mail written, initial response sent or skipped). */
export async function settled(
  service: RunningService,
  tickets: number,
  what: string,
  log?: string[],
  effects: readonly string[] = FIRST_EFFECTS,
): Promise<Ticket[]> {
  let state = '';
  try {
    return await waitFor(
      async () => {
        const all = await service.store.listTickets({});
        const missing = await service.store.listTicketsMissingEffects(
          [...effects],
          new Date(Date.now() + 60_000).toISOString(),
          1000,
        );
        state = `${all.length} tickets, ${missing.length} missing effects: ${JSON.stringify(missing.slice(0, 5))}`;
        return all.length >= tickets && missing.length === 0 ? all : undefined;
      },
      60_000,
      what,
    );
  } catch (error) {
    const problems = (log ?? [])
      .filter((l) => /"level":"(warn|error|fatal)"/.test(l))
      .slice(-15)
      .map((l) => l.slice(0, 600));
    throw new Error(`${(error as Error).message}; ${state}\n${problems.join('\n')}`, { cause: error });
  }
}

/**
 * The item's quarantine record: by source id when the item has one, otherwise by the file name the
 * record's payload names (a message that could not even be parsed has no source id).
 */
export function findQuarantine(
  records: QuarantineRecord[],
  item: CorpusItem,
  sourceId = item.sourceId,
): QuarantineRecord | undefined {
  const mine = (r: QuarantineRecord) =>
    item.payloadIncludes !== undefined
      ? r.payload.includes(item.payloadIncludes)
      : sourceId !== undefined
        ? r.sourceId === sourceId
        : r.payload.includes(path.basename(item.file));
  return records.find((r) => mine(r) && (item.reason === undefined || r.reason.includes(item.reason)));
}

/** What every ticket made from hostile input must satisfy, whatever the item. */
export function expectSaneTicket(ticket: Ticket, item: CorpusItem, window: { from: number; to: number }): void {
  const received = Date.parse(ticket.receivedAt);
  expect(received).toBeGreaterThanOrEqual(Date.parse('2010-01-01T00:00:00Z'));
  expect(received).toBeLessThanOrEqual(window.to + 24 * 3600_000);
  expect(Date.parse(ticket.dueAt)).toBeGreaterThanOrEqual(received);
  expect(ticket.ticketNumber).toMatch(/^ADU-20[1-9]\d-\d{6}$/);
  const check = item.check ?? {};
  for (const part of check.textIncludes ?? []) expect(ticket.text).toContain(part);
  for (const part of check.textExcludes ?? []) expect(ticket.text).not.toContain(part);
  if (check.subjectIncludes !== undefined) expect(ticket.subject).toContain(check.subjectIncludes);
  if (check.nameEquals !== undefined) expect(ticket.complainant.name).toBe(check.nameEquals);
  if (check.nameMaxLength !== undefined)
    expect((ticket.complainant.name ?? '').length).toBeLessThanOrEqual(check.nameMaxLength);
  if (check.attachments !== undefined) expect(ticket.attachments).toHaveLength(check.attachments);
  if (check.attachmentNames) expect(ticket.attachments.map((a) => a.filename)).toEqual(check.attachmentNames);
  if (check.attachmentTypes) expect(ticket.attachments.map((a) => a.contentType)).toEqual(check.attachmentTypes);
  // Stored text is clean whatever came in: no C0/C1 control (but line feed and tab), no lone surrogate.
  for (const field of [ticket.text, ticket.subject ?? '', ticket.complainant.name ?? '']) {
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(field)).toBe(false);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(field)).toBe(false);
  }
  for (const field of [
    ticket.subject ?? '',
    ticket.complainant.name ?? '',
    ...ticket.attachments.map((a) => a.filename),
  ]) {
    expect(/[\u202a-\u202e\u2066-\u2069]/.test(field)).toBe(false);
  }
  if (check.receivedAtReplaced) {
    expect(received).toBeGreaterThanOrEqual(window.from - 1000);
    expect(received).toBeLessThanOrEqual(window.to + 1000);
    expect(ticket.meta.receivedAtClaimed ?? ticket.meta.timestampMissing).toBeDefined();
  }
}

/** Header names our outgoing mail may carry; anything else got there by injection. */
const ALLOWED_HEADERS = new Set([
  'from',
  'to',
  'reply-to',
  'subject',
  'message-id',
  'in-reply-to',
  'references',
  'date',
  'auto-submitted',
  'x-auto-response-suppress',
  'x-aduan-purpose',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);
const ACTIVE_TYPES =
  /^(text\/html|image\/svg\+xml|application\/xhtml\+xml|text\/xml|application\/xml|text\/javascript|application\/(x-)?javascript)/i;

export function outboxMail(env: TestEnv): Array<{ file: string; raw: Buffer }> {
  const dir = env.config.outbound.outboxDir;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((file) => ({ file, raw: readFileSync(path.join(dir, file)) }));
}

/**
 * An outgoing mail: only our own headers, each once; no recipient we did not choose; no HTML part and
 * no attachment a mail program would render (script cannot reach staff through it).
 */
export async function expectCleanMail(
  file: string,
  raw: Buffer,
  recipients: { team: string[]; citizen?: string },
): Promise<void> {
  const text = raw.toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  expect(head).not.toMatch(/[^\r]\n|\r(?!\n)/); // no bare LF or CR: every line break is a real one
  const names = head
    .split('\r\n')
    .filter((l) => !/^[ \t]/.test(l))
    .map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
  for (const name of names)
    expect({ file, header: name, allowed: ALLOWED_HEADERS.has(name) }).toEqual({ file, header: name, allowed: true });
  for (const once of ['from', 'to', 'subject', 'reply-to', 'message-id', 'content-type'])
    expect(names.filter((n) => n === once).length).toBeLessThanOrEqual(1);
  const mail = await simpleParser(raw);
  expect(mail.bcc).toBeUndefined();
  expect(mail.cc).toBeUndefined();
  const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
    a.value.map((v) => v.address),
  );
  const allowed = [...recipients.team, ...(recipients.citizen ? [recipients.citizen] : [])];
  for (const address of to) expect(allowed).toContain(address);
  expect(mail.html).toBeFalsy();
  // NIK/KK in the complaint text, however spelled, reach staff masked (phone numbers may stay).
  const body = (mail.text ?? '')
    .split(/^(?:Isi pengaduan:|Pesan lanjutan)/m)
    .slice(1)
    .join('\n');
  const joined = body.replace(/(\d)(?:[ .\-/]{1,3}|[ ]?\r?\n[ ]?)(?=\d)/g, '$1');
  expect({ file, unmasked: joined.match(/\d{16}/g) ?? [] }).toEqual({ file, unmasked: [] });
  for (const attachment of mail.attachments) {
    expect({
      file,
      attachment: attachment.filename,
      type: attachment.contentType,
      active: ACTIVE_TYPES.test(attachment.contentType),
    }).toMatchObject({ active: false });
    expect(attachment.filename ?? '').not.toMatch(/\.(html?|svg|xhtml|js)$/i);
  }
}

/** Whether the service logged this reason (pino JSON lines: in any field, e.g. reason or err.message). */
export function logged(lines: string[], reason: string): boolean {
  const escaped = JSON.stringify(reason).slice(1, -1);
  return lines.some((line) => line.includes(escaped));
}

/** Every team's addresses from the config (team mail goes to exactly one of them). */
export function teamAddresses(env: TestEnv): string[] {
  return Object.values(env.config.teams).flatMap((t) => t.emails.map((e) => e.toLowerCase()));
}
