import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { runIntake, type IntakeOptions } from '../../../src/cli/commands/intake';
import type { Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { createTestEnv, startTestService, type TestEnv } from '../../support/service-harness';
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
import { tokenTagOf } from '../../support/staff-mail';

/** The walk-in and suggestion-box items of the bad-input corpus, entered with the real `aduan intake` command. */

jest.setTimeout(180_000);

const items = corpus(['walk-in', 'suggestion-box']);
let env: TestEnv;
let service: RunningService;
const runs = new Map<string, { code: number; out: string; err: string }>();
const window = { from: 0, to: 0 };

function capture() {
  let text = '';
  return {
    stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

async function intake(options: IntakeOptions): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await runIntake(env.config, env.configDir, options, env.log, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

beforeAll(async () => {
  env = createTestEnv();
  window.from = Date.now();
  for (const item of items.filter((i) => i.channel === 'walk-in')) {
    runs.set(
      item.id,
      await intake(JSON.parse(readFileSync(path.join(CORPUS_DIR, item.file), 'utf8')) as IntakeOptions),
    );
  }
  const slips = path.join(env.dir, 'o06-slips.jsonl');
  copyFileSync(path.join(CORPUS_DIR, 'offline/o06-slips.jsonl'), slips);
  runs.set('o06', await intake({ file: slips }));
  // The command stops its service once the receipts are printed; the team mail is sent by the running service.
  service = await startTestService(env);
  const tickets = items.filter((i) => i.expect === 'ticket').length;
  await settled(service, tickets, `${tickets} offline tickets`, env.logLines);
  window.to = Date.now();
});

afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

function runOf(item: CorpusItem) {
  return runs.get(item.channel === 'suggestion-box' ? 'o06' : item.id)!;
}

async function ticketOf(item: CorpusItem): Promise<Ticket | undefined> {
  const all = await service.store.listTickets({});
  if (item.channel === 'walk-in') {
    const form = JSON.parse(readFileSync(path.join(CORPUS_DIR, item.file), 'utf8')) as { queue: string };
    return all.find((t) => t.queueNumber === form.queue);
  }
  return all.find((t) => item.check?.textIncludes?.every((part) => t.text.includes(part)));
}

describe.each(items.map((i) => [i.id, i] as const))('%s', (_id, item) => {
  it(`${item.attacks} → ${item.expect}`, async () => {
    const run = runOf(item);
    const ticket = await ticketOf(item);
    if (item.expect === 'rejected') {
      expect(ticket).toBeUndefined();
      expect(run.code).not.toBe(0);
      expect(run.err).toContain(item.reason);
      return;
    }
    if (item.expect === 'quarantine') {
      expect(ticket).toBeUndefined();
      expect(run.err).toContain('tidak dapat dicatat');
      expect(findQuarantine(await service.store.listQuarantine(100), item, undefined)).toBeDefined();
      return;
    }
    expect(ticket).toBeDefined();
    expectSaneTicket(ticket!, item, window);
    expect(run.out).toContain(ticket!.ticketNumber);
  });
});

it('the slips file: every bad line reported with its number, every good one a receipt; two blank slip numbers are two tickets', () => {
  const run = runs.get('o06')!;
  expect(run.code).toBe(1);
  expect(run.out.match(/TANDA TERIMA PENGADUAN/g)).toHaveLength(4);
  expect(run.out).not.toContain('sudah tercatat sebelumnya');
  expect(run.err.trim().split('\n')).toHaveLength(5);
});

it('a name with a line break is printed and mailed on one line', async () => {
  expect(runs.get('o01')!.out).toContain('Nama          : Hotman Bcc: walkin@evil.test\n');
  const ticket = (await ticketOf(items.find((i) => i.id === 'o01')!))!;
  const mails = outboxMail(env);
  for (const { file, raw } of mails) await expectCleanMail(file, raw, { team: teamAddresses(env) });
  const team = await simpleParser(mails.find((m) => m.file === `${tokenTagOf(ticket.ticketNumber)}.team.eml`)!.raw);
  expect(team.text).toContain('Nama        : Hotman Bcc: walkin@evil.test\n');
});

it('stays healthy: a normal walk-in afterwards gets its receipt', async () => {
  await service.stop();
  const run = await intake({
    channel: 'walk-in',
    queue: 'A099',
    name: 'Warga Biasa',
    text: 'Mau mengurus akta kelahiran anak kedua.',
  });
  service = await startTestService(env);
  expect(run.code).toBe(0);
  expect(run.out).toContain('TANDA TERIMA PENGADUAN');
});
