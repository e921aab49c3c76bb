import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CallCenterLogIntake } from '../../../src/channels/callcenter/log-watcher';
import { PoisonGuard } from '../../../src/channels/poison-guard';
import type { RunningService } from '../../../src/main';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { callCenterConfig, callRow, HEADER, logFolder } from '../callcenter/callcenter-test-env';

/**
 * The call-center watcher (real adapter, real pipeline) with an entry whose reading overruns the
 * budget: the guard's clock is scripted so that the first entry reads slow three times (a reading
 * slow for any reason; the parsers themselves are linear). The entry is set aside with its bytes,
 * the checkpoint moves past it, and the next row becomes a ticket.
 */

jest.setTimeout(60_000);

let env: TestEnv;
let service: RunningService | undefined;
let watcher: CallCenterLogIntake | undefined;

beforeEach(() => {
  env = createTestEnv();
});

afterEach(async () => {
  await watcher?.stop();
  await service?.stop();
  await env.cleanup();
});

it('sets aside an entry that reads over the budget three times, then takes the next row', async () => {
  const folder = logFolder(env);
  writeFileSync(
    path.join(folder, 'agen.csv'),
    HEADER +
      callRow(1, 'Baris yang lambat dibaca: KK hilang') +
      callRow(2, 'Baris berikutnya: akta kelahiran belum terbit'),
  );
  service = await startTestService(env);
  let calls = 0;
  // now() is read before and after each reading: readings 1–3 take 5 s, later ones nothing.
  const clock = () => ((calls += 1) % 2 === 0 && calls <= 6 ? 5000 : 0);
  const poison = new PoisonGuard(
    service.store,
    service.alerts,
    env.log,
    { maxAttempts: 3, budgetMs: 1000, rawFolder: path.join(env.config.service.dataDir, 'quarantine') },
    clock,
  );
  watcher = new CallCenterLogIntake({
    config: callCenterConfig(folder),
    store: service.store,
    alerts: service.alerts,
    log: env.log,
    timeZone: 'Asia/Jakarta',
    poison,
  });
  await watcher.start(service.sink);

  const [ticket] = await waitFor(
    async () => {
      const tickets = await service!.store.listTickets({});
      return tickets.length > 0 ? tickets : undefined;
    },
    20_000,
    'the ticket of the second row',
  );
  expect(ticket!.text).toBe('Baris berikutnya: akta kelahiran belum terbit');
  const record = (await service.store.listQuarantine(10)).find((r) => r.reason.startsWith('poison message'));
  expect(record).toMatchObject({
    channel: 'call-center',
    reason: expect.stringContaining('over the budget of 1000 ms; 3 attempt(s)'),
  });
  const payload = JSON.parse(record!.payload) as { rawFile: string; origin: string };
  expect(payload.origin).toBe('agen.csv row 2');
  expect(readFileSync(payload.rawFile, 'utf8')).toContain('Baris yang lambat dibaca: KK hilang');
  expect(env.logLines.filter((l) => l.includes('"admin alert"') && l.includes('poison-call-center'))).toHaveLength(1);
  await waitFor(async () => watcher!.completedScans > 5, 10_000, 'more passes');
  expect(await service.store.listTickets({})).toHaveLength(1);
});
