import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OUR_APP_ID, postWebhook } from '../../support/fake-graph-server';
import { waitFor } from '../../support/service-harness';
import { tokenTagOf } from '../../support/staff-mail';
import { APP_SECRET, BUDI, RINA, startMetaHarness, type MetaHarness } from './meta-test-env';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20), Buffer.from('\n%%EOF\n')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7), Buffer.from([0xff, 0xd9])]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Citizens' photos and documents are downloaded while Meta's links are valid, kept, and forwarded to the team. */
describe('Meta attachments kept', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });
  const start = () => startMetaHarness({ webhook: true, polling: { intervalMs: 60_000 }, meta: { appId: OUR_APP_ID } });
  const post = async (payload: Record<string, unknown>) =>
    expect((await postWebhook(h!.webhookUrl(), payload, APP_SECRET)).status).toBe(200);

  it('a photo and a PDF are stored by sha256 with the type read from the bytes, and go to the team', async () => {
    h = await start();
    const photo = h.fake.hostFile(JPEG);
    // Sent as a "file", named nothing: what it is comes from the bytes.
    const pdf = h.fake.hostFile(PDF, { failures: 2 });
    await post(
      h.fake.citizenNotification('messenger', BUDI, {
        message: {
          text: 'Akta kelahiran anak saya salah nama ayah, ini fotonya dan surat keterangan dari desa',
          attachments: [
            { type: 'image', payload: { url: photo } },
            { type: 'file', payload: { url: pdf } },
          ],
        },
      }).payload,
    );
    const ticket = await waitFor(async () => (await h!.tickets())[0], 15_000, 'the ticket');
    expect(ticket.attachments).toEqual([
      expect.objectContaining({ contentType: 'image/jpeg', size: JPEG.length, sha256: sha(JPEG) }),
      expect.objectContaining({ contentType: 'application/pdf', size: PDF.length, sha256: sha(PDF) }),
    ]);
    expect(ticket.attachments.map((a) => a.skippedReason)).toEqual([undefined, undefined]);
    expect(readFileSync(ticket.attachments[0]!.storedAt!)).toEqual(JPEG);
    expect(readFileSync(ticket.attachments[1]!.storedAt!)).toEqual(PDF);
    expect(ticket.attachments[1]!.storedAt).toMatch(
      new RegExp(`attachments/meta/${sha(PDF).slice(0, 2)}/${sha(PDF)}$`),
    );
    // The 503s were retried (by whichever of webhook and polling took the message in first); no link is kept.
    const pdfId = new URL(pdf).pathname.split('/').pop();
    expect(
      h.fake.cdnRequests
        .filter((r) => r.id === pdfId)
        .map((r) => r.status)
        .slice(0, 3),
    ).toEqual([503, 503, 200]);
    expect(JSON.stringify(ticket)).not.toContain('/cdn/');

    const teamMail = await waitFor(
      async () => h!.outbox().find((f) => f.startsWith(`${tokenTagOf(ticket.ticketNumber)}.team`)),
      10_000,
      'the team mail',
    );
    const raw = h.outboxText(teamMail);
    expect(raw).toContain(ticket.attachments[0]!.filename);
    expect(raw).toContain(ticket.attachments[1]!.filename);
  });

  it('an expired link is recorded on the file and the message still becomes a ticket', async () => {
    h = await start();
    const expired = h.fake.hostFile(JPEG, { ttlMs: -1 });
    await post(
      h.fake.citizenNotification('instagram', RINA, {
        message: {
          text: 'KTP saya rusak, mau cetak ulang',
          attachments: [{ type: 'image', payload: { url: expired } }],
        },
      }).payload,
    );
    const ticket = await waitFor(async () => (await h!.tickets())[0], 15_000, 'the ticket');
    expect(ticket.attachments).toEqual([
      expect.objectContaining({ skippedReason: expect.stringMatching(/tautan Meta sudah tidak berlaku \(HTTP 403\)/) }),
    ]);
    expect(ticket.attachments[0]!.storedAt).toBeUndefined();
    // Not retried: an expired signature does not come back (webhook and polling may each have tried once).
    const statuses = h.fake.cdnRequests.map((r) => r.status);
    expect(new Set(statuses)).toEqual(new Set([403]));
    expect(statuses.length).toBeLessThanOrEqual(2);
  });
});
