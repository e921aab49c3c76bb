import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keepAttachments } from '../../../src/channels/meta/attachment-download';
import type { ComplaintInputDraft } from '../../../src/domain/complaint';
import { createLogger } from '../../../src/lib/logger';
import { FakeGraphServer } from '../../support/fake-graph-server';

/**
 * Each attachment link is its own origin under the outbound policy, and a configured URL that names
 * loopback earns loopback's exemptions (even plain http). A file link naming this machine must not
 * reach the office's own services (Redis, the health port, an admin page) unless the Graph API itself is
 * configured on loopback (a test or a local fake).
 */

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 1)]);
const log = createLogger({ level: 'silent' });
let fake: FakeGraphServer;
let folder: string;

const complaint: ComplaintInputDraft = {
  channel: 'messenger',
  sourceId: 'm_1',
  receivedAt: '2026-08-01T03:00:00.000Z',
  complainant: { platformUserId: '7001' },
  text: 'foto KK',
  attachments: [{ filename: 'image-1', contentType: 'image/*', size: 0, skippedReason: 'belum diunduh' }],
};

beforeEach(async () => {
  fake = await FakeGraphServer.start({ pageId: '1', igAccountId: '2', accessToken: 't' });
  folder = mkdtempSync(path.join(tmpdir(), 'aduan-dl-loopback-'));
});
afterEach(async () => {
  await fake.close();
  rmSync(folder, { recursive: true, force: true });
});

test('a link to this machine is refused when the Graph API is not on loopback', async () => {
  const url = fake.hostFile(PNG);
  const result = await keepAttachments(complaint, [{ index: 0, url }], {
    folder,
    log,
    retryBaseMs: 1,
    loopbackAllowed: false,
  });
  expect(fake.cdnRequests).toHaveLength(0);
  expect(result.attachments![0]).toMatchObject({ skippedReason: expect.stringMatching(/tautan ditolak/) });
  expect(result.attachments![0]!.storedAt).toBeUndefined();
});

test('with the Graph API on loopback (a fake), loopback links are downloaded', async () => {
  const url = fake.hostFile(PNG);
  const result = await keepAttachments(complaint, [{ index: 0, url }], {
    folder,
    log,
    retryBaseMs: 1,
    loopbackAllowed: true,
  });
  expect(result.attachments![0]!.storedAt).toContain(folder);
});
