import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Ticket } from '../../../src/domain/complaint';
import { hubSignature, type Platform } from '../../support/fake-graph-server';
import { waitFor } from '../../support/service-harness';
import { APP_SECRET, startMetaHarness, type MetaHarness } from '../meta/meta-test-env';
import {
  CORPUS_DIR,
  corpus,
  expectCleanMail,
  logged,
  expectSaneTicket,
  findQuarantine,
  outboxMail,
  settled,
  teamAddresses,
  type CorpusItem,
} from './corpus';
import { writeGenerated } from './generated';
import { tokenTagOf } from '../../support/staff-mail';

/**
 * The Messenger/Instagram items of the bad-input corpus: webhook notifications POSTed signed to the
 * real receiver, and Graph messages the real poller reads from the loopback fake Graph API.
 */

jest.setTimeout(180_000);

const items = corpus('meta');
const polled = items.filter((i) => path.basename(i.file).startsWith('p'));
const pushed = items.filter((i) => !polled.includes(i));
let h: MetaHarness;
const window = { from: 0, to: 0 };
const statuses = new Map<string, number>();
/** Polled items: the message id the fake Graph API gave each. */
const polledIds = new Map<string, string>();

interface PolledFixture {
  platform: Platform;
  citizen: { id: string; name?: string; username?: string };
  text: string;
  at?: string;
}

async function post(url: string, body: Buffer): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body, APP_SECRET) },
    body,
  });
  await response.text();
  return response.status;
}

function bodyOf(item: CorpusItem): Buffer {
  if (!item.generated) return readFileSync(path.join(CORPUS_DIR, item.file));
  return readFileSync(writeGenerated(item.generated, h.env.dir, item.file));
}

beforeAll(async () => {
  window.from = Date.now();
  h = await startMetaHarness({
    webhook: true,
    polling: { intervalMs: 200 },
    before: (fake) => {
      for (const item of polled) {
        const fixture = JSON.parse(readFileSync(path.join(CORPUS_DIR, item.file), 'utf8')) as PolledFixture;
        const { messageId } = fake.addInbound(
          fixture.platform,
          fixture.citizen,
          fixture.text,
          fixture.at ? { at: new Date(fixture.at) } : {},
        );
        polledIds.set(item.id, messageId);
      }
    },
  });
  for (const item of pushed) {
    const body = bodyOf(item);
    statuses.set(item.id, await post(h.webhookUrl(), body));
    if (item.id === 'm11') statuses.set('m11-again', await post(h.webhookUrl(), body));
  }
  const distinct = new Set(items.filter((i) => i.expect === 'ticket').map((i) => i.sourceId ?? i.id)).size;
  // Team mail for every ticket; the replies to senders the fake does not know fail, as Meta would.
  await settled(h.service, distinct, `${distinct} Messenger/Instagram tickets routed`, h.env.logLines, ['route']);
  window.to = Date.now();
});

afterAll(async () => {
  await h?.stop();
});

async function ticketOf(item: CorpusItem): Promise<Ticket | undefined> {
  const sourceId = item.sourceId ?? polledIds.get(item.id);
  if (!sourceId) return undefined;
  for (const channel of ['messenger', 'instagram'] as const) {
    const ticket = await h.service.store.findBySource(channel, sourceId);
    if (ticket) return ticket;
  }
  return undefined;
}

describe.each(items.map((i) => [i.id, i] as const))('%s', (_id, item) => {
  it(`${item.attacks} → ${item.expect}`, async () => {
    if (statuses.has(item.id)) expect([200, 413]).toContain(statuses.get(item.id));
    const ticket = await ticketOf(item);
    if (item.expect === 'rejected') {
      expect(ticket).toBeUndefined();
      if (item.reason === '413') {
        expect(statuses.get(item.id)).toBe(413);
        expect(logged(h.env.logLines, 'webhook body over the size limit; refused (413)')).toBe(true);
      } else expect(logged(h.env.logLines, item.reason!)).toBe(true);
      return;
    }
    if (item.expect === 'quarantine') {
      expect(ticket).toBeUndefined();
      expect(
        findQuarantine(await h.service.store.listQuarantine(1000), item, item.sourceId ?? undefined),
      ).toMatchObject({ reason: expect.stringContaining(item.reason!) });
      return;
    }
    expect(ticket).toBeDefined();
    expectSaneTicket(ticket!, item, window);
  });
});

it('answers every signed notification 200 (Meta does not redeliver), whatever its shape; the oversized one 413', () => {
  for (const item of pushed)
    expect({ id: item.id, status: statuses.get(item.id) }).toEqual({
      id: item.id,
      status: item.reason === '413' ? 413 : 200,
    });
  expect(statuses.get('m11-again')).toBe(200);
});

it('pollutes no prototype', () => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as unknown as Record<string, unknown>).is_echo).toBeUndefined();
});

it('team mail carries hostile names and texts only inline, as plain text', async () => {
  const mails = outboxMail(h.env);
  expect(mails.length).toBeGreaterThanOrEqual(items.filter((i) => i.expect === 'ticket').length - 1);
  for (const { file, raw } of mails) await expectCleanMail(file, raw, { team: teamAddresses(h.env) });
  const p01 = (await ticketOf(polled.find((i) => i.id === 'p01')!))!;
  const teamMail = await simpleParser(mails.find((m) => m.file === `${tokenTagOf(p01.ticketNumber)}.team.eml`)!.raw);
  expect(teamMail.text).toContain('Nama        : Budi Bcc: graph@evil.test X-Injected: yes\n');
});

it('stays healthy: a normal message after the corpus becomes a ticket through polling (the 9999 conversation did not become the watermark) and through the webhook', async () => {
  await h.passes(2);
  const { messageId } = h.fake.addInbound(
    'messenger',
    { id: '7200000000000001', name: 'Warga Biasa' },
    'Selamat siang, KTP-el saya hilang, bagaimana cara mencetak ulang?',
  );
  const polledTicket = await waitFor(
    async () => h.service.store.findBySource('messenger', messageId),
    20_000,
    'the normal polled message',
  );
  expect(polledTicket.text).toContain('KTP-el saya hilang');
  const now = Date.now();
  const normal = {
    object: 'page',
    entry: [
      {
        id: '104000000000001',
        time: now,
        messaging: [
          {
            sender: { id: '8100000000000001' },
            recipient: { id: '104000000000001' },
            timestamp: now,
            message: { mid: 'm_normal_after', text: 'Akta kelahiran anak saya salah nama, mohon diperbaiki.' },
          },
        ],
      },
    ],
  };
  expect(await post(h.webhookUrl(), Buffer.from(JSON.stringify(normal)))).toBe(200);
  await waitFor(
    async () => h.service.store.findBySource('messenger', 'm_normal_after'),
    15_000,
    'the normal webhook message',
  );
  const health = await h.service.health();
  expect(health.redis.ok && health.store.ok).toBe(true);
  expect(health.channels.find((c) => c.name === 'meta-webhook')?.state).toBe('ok');
  expect(health.channels.find((c) => c.name === 'messenger')?.state).toBe('ok');
});
