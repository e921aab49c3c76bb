import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { EmlFolderIntake } from '../../../src/channels/email/eml-folder-intake';
import type { RunningService } from '../../../src/main';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import {
  CORPUS_DIR,
  corpus,
  expectCleanMail,
  expectSaneTicket,
  findQuarantine,
  outboxMail,
  settled,
  teamAddresses,
} from './corpus';
import { writeGenerated } from './generated';
import { tokenTagOf } from '../../support/staff-mail';

/** The email items of the bad-input corpus, as .eml files read by the real EML folder intake (the IMAP path's parser and normalizer). */

jest.setTimeout(180_000);

const items = corpus('email');
let env: TestEnv;
let service: RunningService;
const window = { from: 0, to: 0 };

beforeAll(async () => {
  env = createTestEnv();
  service = await startTestService(env);
  const folder = path.join(env.dir, 'eml');
  mkdirSync(folder, { recursive: true });
  for (const item of items) {
    if (item.generated) writeGenerated(item.generated, folder, item.file);
    else copyFileSync(path.join(CORPUS_DIR, item.file), path.join(folder, path.basename(item.file)));
  }
  window.from = Date.now();
  const intake = EmlFolderIntake.fromConfig(folder, env.config, service.store, env.log);
  await intake.start(service.sink);
  await intake.drained();
  expect(intake.health().state).toBe('ok');
  const distinctTickets = new Set(items.filter((i) => i.expect === 'ticket').map((i) => i.sourceId)).size;
  await settled(service, distinctTickets, `${distinctTickets} email tickets with their effects`, env.logLines);
  window.to = Date.now();
});

afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

it('has every email item in the manifest, each with a file', () => {
  expect(items.length).toBeGreaterThanOrEqual(20);
  for (const item of items) expect(item.expect === 'quarantine' || item.sourceId !== undefined).toBe(true);
});

describe.each(items.map((i) => [i.id, i] as const))('%s', (_id, item) => {
  it(`${item.attacks} → ${item.expect}`, async () => {
    const ticket = item.sourceId ? await service.store.findBySource('email', item.sourceId) : undefined;
    if (item.expect === 'quarantine') {
      expect(ticket).toBeUndefined();
      const record = findQuarantine(await service.store.listQuarantine(1000), item);
      expect(record).toMatchObject({ channel: 'email', reason: expect.stringContaining(item.reason!) });
      return;
    }
    expect(ticket).toBeDefined();
    expectSaneTicket(ticket!, item, window);
    if (item.check?.sameTicketAs) {
      const other = items.find((i) => i.id === item.check!.sameTicketAs)!;
      expect((await service.store.findBySource('email', other.sourceId!))!.id).toBe(ticket!.id);
    }
  });
});

it('writes no header a citizen controls into any outgoing mail, and no HTML or active attachment', async () => {
  const mails = outboxMail(env);
  const tickets = await service.store.listTickets({});
  expect(mails.filter((m) => m.file.endsWith('.team.eml'))).toHaveLength(tickets.length);
  expect(mails.filter((m) => m.file.endsWith('.ack.eml')).length).toBeGreaterThan(10);
  const team = teamAddresses(env);
  for (const { file, raw } of mails) {
    const ticket = tickets.find((t) => file.startsWith(t.ticketNumber));
    await expectCleanMail(file, raw, {
      team,
      ...(ticket?.complainant.email ? { citizen: ticket.complainant.email } : {}),
    });
  }
});

it('the CR/LF names and subject reach the ack and team mail as one header each, with the text inline', async () => {
  const ticket = (await service.store.findBySource('email', '<hostile-e07@example.net>'))!;
  const ack = await simpleParser(outboxMail(env).find((m) => m.file === `${ticket.ticketNumber}.ack.eml`)!.raw);
  expect(ack.subject).toBe(`Re: Aduan KTP Bcc: subject@evil.test Content-Type: text/html [${ticket.ticketNumber}]`);
  // The Reply-To is not authenticated, so the reply goes to From (no backscatter to a third party).
  expect(ack.to).toMatchObject({ value: [{ address: 'budi.santoso@example.net' }] });
  expect(ack.headers.has('bcc')).toBe(false);
  expect(ack.headers.has('x-injected')).toBe(false);
  expect(ack.text).toContain('Budi Santoso Bcc: attacker@evil.test X-Injected: from-name');
  const teamMail = await simpleParser(
    outboxMail(env).find((m) => m.file === `${tokenTagOf(ticket.ticketNumber)}.team.eml`)!.raw,
  );
  expect(teamMail.text).toMatch(/Nama {8}: Budi Santoso Bcc: attacker@evil\.test X-Injected: from-name\n/);
});

it('HTML with script reaches staff as plain text only: the HTML, SVG and XHTML attachments go as .txt', async () => {
  const ticket = (await service.store.findBySource('email', '<hostile-e08@example.net>'))!;
  const raw = outboxMail(env).find((m) => m.file === `${tokenTagOf(ticket.ticketNumber)}.team.eml`)!.raw;
  const mail = await simpleParser(raw);
  expect(mail.html).toBeFalsy();
  expect(mail.text).not.toMatch(/javascript:|<script|onerror=|<iframe/i);
  expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
    ['formulir.html.txt', 'text/plain'],
    ['bukti.svg.txt', 'text/plain'],
    ['surat.xhtml.txt', 'text/plain'],
  ]);
});

it('a right-to-left override cannot disguise an attachment name in the team mail, and the program is renamed and marked', async () => {
  const ticket = (await service.store.findBySource('email', '<hostile-e11@example.net>'))!;
  expect(ticket.attachments[0]).toMatchObject({
    filename: 'buktifdp_exe.bin',
    contentType: 'application/octet-stream',
    warning: expect.stringContaining('buktifdp.exe'),
  });
  const mail = await simpleParser(
    outboxMail(env).find((m) => m.file === `${tokenTagOf(ticket.ticketNumber)}.team.eml`)!.raw,
  );
  expect(mail.attachments[0]!.filename).toBe('buktifdp_exe.bin');
  expect(mail.text).toContain('PERHATIAN: nama asli "buktifdp.exe"');
  expect(mail.text).not.toMatch(/Nama {8}: .*\u202e/);
  const ack = await simpleParser(outboxMail(env).find((m) => m.file === `${ticket.ticketNumber}.ack.eml`)!.raw);
  expect(ack.subject).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
});

it('a disguised script reaches staff renamed, as bytes, with a warning in the team mail', async () => {
  const ticket = (await service.store.findBySource('email', '<hostile-e23@example.net>'))!;
  const mail = await simpleParser(
    outboxMail(env).find((m) => m.file === `${tokenTagOf(ticket.ticketNumber)}.team.eml`)!.raw,
  );
  expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
    ['foto KTP_jpg_php.bin', 'application/octet-stream'],
    ['suratpengantar.pdf', 'application/pdf'],
    ['scan KK_pdf.bin', 'application/octet-stream'],
  ]);
  expect(mail.text).toContain('ekstensi ganda menyembunyikan program/skrip');
});

it('NIK/KK in any spelling reach the team masked, the last four digits kept; the phone number stays', async () => {
  const ticket = (await service.store.findBySource('email', '<hostile-e22@example.net>'))!;
  const mail = await simpleParser(
    outboxMail(env).find((m) => m.file === `${tokenTagOf(ticket.ticketNumber)}.team.eml`)!.raw,
  );
  for (const last of ['0003', '0004', '0005', '0006']) expect(mail.text).toContain(`************${last}`);
  expect(mail.text).not.toMatch(/1211[ .-]?0255|121102 550690/);
  expect(mail.text).toContain('0812-3456-7890');
});

it('absurd Date headers give tickets of this year with a due time after receipt', async () => {
  for (const id of ['<hostile-e12@example.net>', '<hostile-e13@example.net>']) {
    const ticket = (await service.store.findBySource('email', id))!;
    expect(ticket.ticketNumber.slice(4, 8)).toBe(String(new Date().getFullYear()));
    expect(ticket.meta.receivedAtClaimed).toMatch(/^(1900|9999)-/);
  }
});

it('the service is healthy afterwards: a normal complaint still becomes a ticket with its mail', async () => {
  const health = await service.health();
  expect(health.redis.ok && health.store.ok).toBe(true);
  const folder = path.join(env.dir, 'after');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'normal.eml'),
    'From: Rosmawati <rosma@example.com>\r\nTo: pengaduan@disdukcapil.dairikab.go.id\r\nSubject: Surat keterangan belum menikah\r\nMessage-ID: <normal-after-corpus@example.com>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0700\r\n\r\nSaya mohon dibuatkan surat keterangan belum menikah untuk melamar kerja.\r\n',
  );
  const intake = EmlFolderIntake.fromConfig(folder, env.config, service.store, env.log);
  await intake.start(service.sink);
  await intake.drained();
  const ticket = await waitFor(
    async () => service.store.findBySource('email', '<normal-after-corpus@example.com>'),
    15_000,
    'the normal ticket',
  );
  await waitFor(
    async () => outboxMail(env).some((m) => m.file === `${ticket.ticketNumber}.ack.eml`),
    15_000,
    'its ack',
  );
  expect(env.logLines.filter((l) => /"level":"(error|fatal)"/.test(l))).toEqual([]);
});
