import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keepAttachments } from '../../../src/channels/meta/attachment-download';
import type { ComplaintInputDraft } from '../../../src/domain/complaint';
import { createLogger } from '../../../src/lib/logger';
import { FakeGraphServer } from '../../support/fake-graph-server';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(5000, 1)]);

describe('keepAttachments against the fake CDN', () => {
  let fake: FakeGraphServer;
  let folder: string;
  const log = createLogger({ level: 'silent' });
  const complaint = (count: number): ComplaintInputDraft => ({
    channel: 'messenger',
    sourceId: 'm_1',
    receivedAt: '2026-08-01T03:00:00.000Z',
    complainant: { platformUserId: '7001' },
    text: 'foto KK',
    attachments: Array.from({ length: count }, (_, i) => ({
      filename: `image-${i + 1}`,
      contentType: 'image/*',
      size: 0,
      skippedReason: 'belum diunduh',
    })),
  });
  beforeEach(async () => {
    fake = await FakeGraphServer.start({ pageId: '1', igAccountId: '2', accessToken: 't' });
    folder = mkdtempSync(path.join(tmpdir(), 'aduan-meta-dl-'));
  });
  afterEach(async () => {
    await fake.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('a file over the size cap is recorded, not stored; one within it is stored as its bytes say', async () => {
    const big = fake.hostFile(PNG);
    const result = await keepAttachments(
      complaint(2),
      [
        { index: 0, url: big },
        { index: 1, url: fake.hostFile(PNG.subarray(0, 1000)) },
      ],
      { folder, maxBytes: 2000, log, retryBaseMs: 1, loopbackAllowed: true },
    );
    expect(result.attachments![0]).toMatchObject({ skippedReason: expect.stringMatching(/melebihi batas/) });
    expect(result.attachments![0]!.storedAt).toBeUndefined();
    expect(result.attachments![1]).toMatchObject({ contentType: 'image/png', size: 1000, filename: 'lampiran-2.png' });
    expect(result.attachments![1]!.storedAt).toContain(folder);
  });

  it('gives up after the attempts on a failing CDN, and refuses plain http to a host that is not loopback', async () => {
    const flaky = fake.hostFile(PNG, { failures: 5 });
    const result = await keepAttachments(
      complaint(2),
      [
        { index: 0, url: flaky },
        { index: 1, url: 'http://cdn.example.net/v/a.jpg' },
      ],
      { folder, attempts: 3, log, retryBaseMs: 1, loopbackAllowed: true },
    );
    expect(result.attachments![0]).toMatchObject({ skippedReason: expect.stringMatching(/HTTP 503/) });
    expect(fake.cdnRequests.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(result.attachments![1]).toMatchObject({ skippedReason: expect.stringMatching(/tautan ditolak/) });
  });
});
