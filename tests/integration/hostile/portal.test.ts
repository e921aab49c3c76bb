import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { PortalWebhookIntake, type PortalConfig } from '../../../src/channels/portal';
import { PortalPollingIntake } from '../../../src/channels/portal/polling-intake';
import { signBody } from '../../../src/channels/portal/webhook-signature';
import type { RunningService } from '../../../src/main';
import { FakePortalServer, type PortalRecord } from '../../support/fake-portal-server';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { portalConfig } from '../portal/portal-test-env';
import {
  CORPUS_DIR,
  corpus,
  expectCleanMail,
  expectSaneTicket,
  findQuarantine,
  logged,
  outboxMail,
  settled,
  teamAddresses,
  type CorpusItem,
} from './corpus';
import { writeGenerated } from './generated';
import { tokenTagOf } from '../../support/staff-mail';

/**
 * The Perkebbas items of the bad-input corpus: records pushed (signed) to the real push endpoint, the
 * oversized one and a portal answering HTML read by the real poller.
 */

jest.setTimeout(120_000);

const SECRET = 'perkebbas-webhook-secret-hostile-0001';
const items = corpus('perkebbas');
const polledIds = new Set(['r14', 'r20']);
let env: TestEnv;
let fake: FakePortalServer;
let portal: PortalConfig;
let service: RunningService;
let webhook: PortalWebhookIntake;
let htmlServer: Server;
const statuses = new Map<string, number>();
const window = { from: 0, to: 0 };

const post = async (url: string, body: Buffer) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-perkebbas-signature': `sha256=${signBody(body, SECRET)}` },
    body,
  });
  await response.text();
  return response.status;
};

beforeAll(async () => {
  env = createTestEnv();
  fake = await FakePortalServer.start();
  portal = portalConfig(fake, {
    webhook: { enabled: true, port: 0, secret: SECRET, signatureHeader: 'X-Perkebbas-Signature' },
  });
  service = await startTestService(env);
  webhook = new PortalWebhookIntake({
    portal,
    store: service.store,
    log: env.log.child({ channel: 'perkebbas-webhook' }),
    timeZone: 'Asia/Jakarta',
  });
  await webhook.start(service.sink);
  window.from = Date.now();
  for (const item of items.filter((i) => !polledIds.has(i.id)))
    statuses.set(item.id, await post(webhook.url(), readFileSync(path.join(CORPUS_DIR, item.file))));

  // The 1 MB subject is over the push limit (1 MB): a portal that polls gives it to us.
  const r14 = items.find((i) => i.id === 'r14')!;
  const oversized = readFileSync(writeGenerated(r14.generated!, env.dir, r14.file));
  statuses.set('r14-push', await post(webhook.url(), oversized));
  fake.records.push(JSON.parse(oversized.toString('utf8')) as PortalRecord);
  const poller = new PortalPollingIntake({
    portal,
    poll: portal.poll!,
    store: service.store,
    alerts: service.alerts,
    log: env.log.child({ channel: 'perkebbas' }),
    timeZone: 'Asia/Jakarta',
  });
  await poller.start(service.sink);
  await waitFor(async () => service.store.findBySource('perkebbas', 'PKB-H14'), 20_000, 'the polled 1 MB subject');
  await poller.stop();

  const distinct = new Set(items.filter((i) => i.expect === 'ticket').map((i) => i.sourceId)).size;
  await settled(service, distinct, `${distinct} portal tickets`, env.logLines, ['route']);
  window.to = Date.now();
});

afterAll(async () => {
  await webhook?.stop();
  await service?.stop();
  await fake?.close();
  await new Promise((r) => (htmlServer ? htmlServer.close(r) : r(undefined)));
  await env?.cleanup();
});

describe.each(items.filter((i) => i.id !== 'r20').map((i) => [i.id, i] as const))('%s', (_id, item: CorpusItem) => {
  it(`${item.attacks} → ${item.expect}`, async () => {
    const ticket = item.sourceId ? await service.store.findBySource('perkebbas', item.sourceId) : undefined;
    if (item.expect === 'rejected') {
      expect(statuses.get(item.id)).toBe(Number(item.reason));
      expect(logged(env.logLines, 'not JSON')).toBe(true);
      return;
    }
    if (!polledIds.has(item.id)) expect(statuses.get(item.id)).toBe(200);
    if (item.expect === 'quarantine') {
      expect(ticket).toBeUndefined();
      expect(findQuarantine(await service.store.listQuarantine(1000), item)).toMatchObject({
        channel: 'perkebbas',
        reason: expect.stringContaining(item.reason!),
      });
      return;
    }
    expect(ticket).toBeDefined();
    expectSaneTicket(ticket!, item, window);
  });
});

it('r18: every garbage record of the push is quarantined with its own reason', async () => {
  const reasons = (await service.store.listQuarantine(1000))
    .map((q) => q.reason)
    .filter((r) => /^perkebbas: record is/.test(r));
  expect(reasons.sort()).toEqual([
    'perkebbas: record is a number, not an object',
    'perkebbas: record is a string, not an object',
    'perkebbas: record is an array, not an object',
    'perkebbas: record is null, not an object',
  ]);
});

it('r14: pushed, the 1 MB record is refused with 413 and a warning, not dropped unseen', () => {
  expect(statuses.get('r14-push')).toBe(413);
  expect(logged(env.logLines, 'portal webhook body over the size limit; refused (413)')).toBe(true);
});

it('r17: two records with one id are one ticket with the first text', async () => {
  const tickets = (await service.store.listTickets({})).filter((t) => t.sourceId === 'PKB-H17');
  expect(tickets).toHaveLength(1);
});

it('pollutes no prototype', () => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isi).toBeUndefined();
  expect(({} as Record<string, unknown>).nama).toBeUndefined();
});

it('team mail carries the portal names only inline, as plain text', async () => {
  const mails = outboxMail(env);
  for (const { file, raw } of mails) await expectCleanMail(file, raw, { team: teamAddresses(env) });
  const r01 = (await service.store.findBySource('perkebbas', 'PKB-H01'))!;
  const team = await simpleParser(mails.find((m) => m.file === `${tokenTagOf(r01.ticketNumber)}.team.eml`)!.raw);
  expect(team.text).toContain('Nama        : Budi Bcc: portal@evil.test Subject: palsu\n');
  expect(team.subject).not.toContain('palsu');
});

it('r20: a portal answering an HTML page leaves the poller degraded with the reason, then it recovers', async () => {
  let html = true;
  htmlServer = createServer((req, res) => {
    if (html)
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(readFileSync(path.join(CORPUS_DIR, 'portal/r20-poll-html-response.html')));
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        data: [
          {
            id: 'PKB-AFTER',
            dibuat_pada: '2026-11-30T11:00:00+07:00',
            diperbarui_pada: '2026-11-30T11:00:00+07:00',
            isi: 'Setelah halaman HTML: KTP-el saya hilang, mohon dicetak ulang.',
            pelapor: { nama: 'Warga Biasa' },
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => htmlServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}/api/pengaduan`;
  const htmlPortal = portalConfig(fake, {}, { url, pagination: { kind: 'none' } });
  const poller = new PortalPollingIntake({
    portal: htmlPortal,
    poll: htmlPortal.poll!,
    store: service.store,
    alerts: service.alerts,
    log: env.log.child({ channel: 'perkebbas' }),
    timeZone: 'Asia/Jakarta',
  });
  await poller.start(service.sink);
  try {
    const item = items.find((i) => i.id === 'r20')!;
    const health = await waitFor(
      async () => (poller.health().lastError?.includes(item.reason!) ? poller.health() : undefined),
      15_000,
      'the poller to report the HTML answer',
    );
    expect(health.state).not.toBe('ok');
    expect(logged(env.logLines, item.reason!)).toBe(true);
    // The service is healthy afterwards: once the portal answers JSON again, a normal record becomes a ticket.
    html = false;
    await waitFor(
      async () => service.store.findBySource('perkebbas', 'PKB-AFTER'),
      20_000,
      'the normal record after the HTML answers',
    );
    await waitFor(async () => (poller.health().state === 'ok' ? true : undefined), 10_000, 'the poller to recover');
  } finally {
    await poller.stop();
  }
  const after = await post(
    webhook.url(),
    Buffer.from(
      JSON.stringify({
        id: 'PKB-AFTER-PUSH',
        dibuat_pada: '2026-11-30T11:05:00+07:00',
        isi: 'Akta kematian ibu saya belum terbit.',
        pelapor: { nama: 'Warga' },
      }),
    ),
  );
  expect(after).toBe(200);
  await waitFor(
    async () => service.store.findBySource('perkebbas', 'PKB-AFTER-PUSH'),
    15_000,
    'the normal pushed record',
  );
  const report = await service.health();
  expect(report.redis.ok && report.store.ok).toBe(true);
});
