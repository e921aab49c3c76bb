import { copyFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { CallCenterLogIntake } from '../../../src/channels/callcenter';
import type { Ticket } from '../../../src/domain/complaint';
import { toCsv } from '../../../src/lib/csv';
import type { RunningService } from '../../../src/main';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { callCenterConfig, callRow, HEADER, logFolder } from '../callcenter/callcenter-test-env';
import {
  CORPUS_DIR,
  corpus,
  expectCleanMail,
  expectSaneTicket,
  findQuarantine,
  outboxMail,
  settled,
  teamAddresses,
  type CorpusItem,
} from './corpus';
import { writeGenerated } from './generated';
import { tokenTagOf } from '../../support/staff-mail';

/** The call-center items of the bad-input corpus: agents' CSV and JSON-lines logs read by the real folder watcher. */

jest.setTimeout(120_000);

const items = corpus('call-center');
let env: TestEnv;
let service: RunningService;
let watcher: CallCenterLogIntake;
let folder: string;
const window = { from: 0, to: 0 };

beforeAll(async () => {
  env = createTestEnv();
  folder = logFolder(env);
  const past = new Date(Date.now() - 3_600_000);
  for (const file of new Set(items.map((i) => i.file))) {
    const item = items.find((i) => i.file === file)!;
    const target = item.generated
      ? writeGenerated(item.generated, folder, file)
      : path.join(folder, path.basename(file));
    if (!item.generated) copyFileSync(path.join(CORPUS_DIR, file), target);
    utimesSync(target, past, past); // finished files: a last line without a line break is read too
  }
  service = await startTestService(env);
  watcher = new CallCenterLogIntake({
    config: callCenterConfig(folder),
    store: service.store,
    alerts: service.alerts,
    log: env.log.child({ channel: 'call-center' }),
    timeZone: 'Asia/Jakarta',
  });
  window.from = Date.now();
  await watcher.start(service.sink);
  await watcher.scanNow();
  const tickets = items.filter((i) => i.expect === 'ticket').length;
  await settled(service, tickets, `${tickets} call-center tickets`, env.logLines);
  window.to = Date.now();
});

afterAll(async () => {
  await watcher?.stop();
  await service?.stop();
  await env?.cleanup();
});

async function ticketOf(item: CorpusItem): Promise<Ticket[]> {
  return (await service.store.listTickets({})).filter(
    (t) => t.meta.file?.endsWith(path.basename(item.file)) && t.meta.row === String(item.row),
  );
}

it('every row is a ticket or quarantined: nothing left over, nothing dropped', () => {
  const stats = watcher.stats();
  expect(stats).toMatchObject({
    queued: items.filter((i) => i.expect === 'ticket').length,
    duplicate: 0,
    quarantined: items.filter((i) => i.expect === 'quarantine').length,
  });
});

describe.each(items.map((i) => [i.id, i] as const))('%s', (_id, item) => {
  it(`${item.attacks} → ${item.expect}`, async () => {
    const tickets = await ticketOf(item);
    if (item.expect === 'quarantine') {
      expect(tickets).toEqual([]);
      const records = await service.store.listQuarantine(1000);
      const record = records.find((r) => r.sourceId?.endsWith(`${path.basename(item.file)}#${item.row}`));
      expect(record).toMatchObject({ channel: 'call-center', reason: expect.stringContaining(item.reason!) });
      expect(findQuarantine(records, item, record!.sourceId)).toBeDefined();
      return;
    }
    expect(tickets).toHaveLength(1);
    expectSaneTicket(tickets[0]!, item, window);
  });
});

it('formula text is kept as the agent wrote it, and neutralized in a CSV export', async () => {
  const formulas = items.filter((i) => i.id.startsWith('c01-'));
  const tickets = (await Promise.all(formulas.map(ticketOf))).map((t) => t[0]!);
  expect(tickets.map((t) => t.text[0])).toEqual(['=', '+', '@', '-', 'M']);
  const csv = toCsv([['Tiket', 'Nama', 'Isi'], ...tickets.map((t) => [t.ticketNumber, t.complainant.name, t.text])]);
  for (const line of csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .slice(1, -1)) {
    for (const cell of line.split(/[,;]/)) expect(cell.replace(/^"/, '')).not.toMatch(/^[ \u00a0]*[=+\-@\t]/);
  }
});

it('names with line breaks reach team mail only inline, as plain text', async () => {
  const mails = outboxMail(env);
  expect(mails.filter((m) => m.file.endsWith('.team.eml'))).toHaveLength(
    items.filter((i) => i.expect === 'ticket').length,
  );
  for (const { file, raw } of mails) await expectCleanMail(file, raw, { team: teamAddresses(env) });
  const [crlf] = await ticketOf(items.find((i) => i.id === 'c07-2')!);
  const team = await simpleParser(mails.find((m) => m.file === `${tokenTagOf(crlf!.ticketNumber)}.team.eml`)!.raw);
  expect(team.text).toContain('Nama        : Budi Bcc: csv@evil.test Subject: palsu\n');
});

it('stays healthy: a normal call logged afterwards becomes a ticket', async () => {
  const file = path.join(folder, 'after.csv');
  writeFileSync(file, HEADER + callRow(400, 'Penelepon menanyakan syarat akta kelahiran anak yang lahir di rumah.'));
  await watcher.scanNow();
  await waitFor(
    async () => (await service.store.listTickets({})).find((t) => t.meta.file?.endsWith('after.csv')),
    15_000,
    'the normal call',
  );
  expect(watcher.health().state).toBe('ok');
  const health = await service.health();
  expect(health.redis.ok && health.store.ok).toBe(true);
});
