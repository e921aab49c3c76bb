import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Ticket } from '../../../src/domain/complaint';
import { effectJobId } from '../../../src/pipeline/queues';
import { waitFor } from '../../support/service-harness';
import { staffAnswer } from '../../support/staff-mail';
import { BUDI, RINA, startMetaHarness, type MetaHarness } from './meta-test-env';

/**
 * A verified staff answer by mail, with a PDF and a JPEG, reaches a Messenger or Instagram citizen as the text
 * and two uploaded files: real pipeline (Redis, SQLite, BullMQ), the real Send API transport, the fake Graph
 * server. Each file is sent once, also when the relay job runs twice or fails halfway and is retried.
 */

jest.setTimeout(60_000);

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n'),
  Buffer.alloc(4000, 0x20),
  Buffer.from('%%EOF\n'),
]);
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.alloc(3000, 9),
  Buffer.from([0xff, 0xd9]),
]);

let seq = 0;

describe('a verified answer carries its files on Messenger and Instagram', () => {
  let h: MetaHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  /** The ticket of the citizen's message, once the first response and the team mail are done. */
  async function ticketOf(harness: MetaHarness, citizenId: string): Promise<Ticket> {
    const ticket = await waitFor(
      async () => {
        const all = await harness.tickets();
        return all.find((t) => t.complainant.platformUserId === citizenId);
      },
      15_000,
      'the ticket',
    );
    await waitFor(
      async () => (await harness.service.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length >= 2,
      15_000,
      'first effects',
    );
    return ticket;
  }

  /** A file stored as the email channel stores an attachment: under the service's attachment folder. */
  function stored(harness: MetaHarness, name: string, bytes: Buffer, contentType: string) {
    const storedAt = path.resolve(
      harness.env.config.service.dataDir,
      'attachments',
      'email',
      'ab',
      `${name}-${++seq}`.padEnd(64, '0'),
    );
    mkdirSync(path.dirname(storedAt), { recursive: true });
    writeFileSync(storedAt, bytes);
    return { filename: name, contentType, size: bytes.length, storedAt };
  }

  /** The two files the team attaches to its answer. */
  const twoFiles = (harness: MetaHarness) => [
    stored(harness, 'akta-kelahiran.pdf', PDF, 'application/pdf'),
    stored(harness, 'foto-kk.jpg', JPEG, 'image/jpeg'),
  ];

  const shapes = (harness: MetaHarness, citizenId: string) =>
    harness.fake
      .sentTo(citizenId)
      .map((m) => m.attachments?.map((a) => `${a.kind}:${a.name}:${a.mime_type}`).join() ?? 'text');

  async function resolved(harness: MetaHarness, ticket: Ticket): Promise<Ticket> {
    return waitFor(
      async () => {
        const t = await harness.service.store.getTicket(ticket.id);
        return t?.status === 'resolved' ? t : undefined;
      },
      20_000,
      'the ticket resolved',
    );
  }

  it('Messenger: text + PDF + JPEG, once, even when the relay job runs twice', async () => {
    h = await startMetaHarness({
      before: (fake) => fake.addInbound('messenger', BUDI, 'Pak, akta kelahiran anak saya sudah jadi?'),
    });
    const ticket = await ticketOf(h, BUDI.id);
    await h.service.sink.submit(
      staffAnswer(h, ticket, 'Akta kelahiran sudah terbit, kami lampirkan salinannya.', twoFiles(h)),
      {
        channel: 'email',
      },
    );
    const done = await resolved(h, ticket);
    expect(shapes(h, BUDI.id)).toEqual([
      'text',
      'text',
      'file:akta-kelahiran.pdf:application/pdf',
      'image:foto-kk.jpg:image/jpeg',
    ]);
    const sent = h.fake.sentTo(BUDI.id);
    expect(sent[1]!.text).toContain('Akta kelahiran sudah terbit, kami lampirkan salinannya.');
    expect(sent[1]!.text).not.toContain('tidak dapat dikirim');
    expect(h.fake.uploadedBytes(sent[2]!.attachments![0]!.id)).toEqual(PDF);
    expect(h.fake.uploadedBytes(sent[3]!.attachments![0]!.id)).toEqual(JPEG);

    // The same relay job again (a replayed or duplicated job): nothing more is sent.
    const reply = done.history.find((e) => e.event === 'staff-reply')!;
    const job = { ticketId: ticket.id, effects: ['relay' as const], ref: reply.ref! };
    await h.service.queues.effects.add('relay', job, { jobId: `${effectJobId(job)}-again` });
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.fake.sentTo(BUDI.id)).toHaveLength(4);
  });

  it('Messenger: a relay that fails after the PDF went out is retried and sends only the JPEG', async () => {
    h = await startMetaHarness({ before: (fake) => fake.addInbound('messenger', BUDI, 'Pak, KK saya sudah dicetak?') });
    const ticket = await ticketOf(h, BUDI.id);
    const fake = h.fake;
    // Every attempt the Graph client makes at the JPEG's upload fails the first time round (code 2, transient).
    fake.failNext({ code: 2, times: 3, match: (c) => c.method === 'POST' && fake.sentTo(BUDI.id).length === 3 });
    await h.service.sink.submit(staffAnswer(h, ticket, 'KK sudah dicetak, salinannya terlampir.', twoFiles(h)), {
      channel: 'email',
    });
    await resolved(h, ticket);
    expect(shapes(h, BUDI.id)).toEqual([
      'text',
      'text',
      'file:akta-kelahiran.pdf:application/pdf',
      'image:foto-kk.jpg:image/jpeg',
    ]);
    const failed = fake.sendCalls().filter((c) => c.errorCode === 2);
    expect(failed).toHaveLength(3);
    const effects = await h.service.store.listEffects(ticket.id);
    expect(effects.filter((e) => /^relay:[^/]+\/file-/.test(e.kind)).map((e) => e.state)).toEqual(['done', 'done']);
  });

  it('Instagram: text + PDF + JPEG (Instagram takes PDF files) once; a Word file is named, and noted on the ticket', async () => {
    h = await startMetaHarness({
      before: (fake) => fake.addInbound('instagram', RINA, 'min, aktanya sudah bisa diambil?'),
    });
    const ticket = await ticketOf(h, RINA.id);
    const answer = staffAnswer(h, ticket, 'Akta sudah terbit; salinan digital terlampir.', twoFiles(h));
    const docx = Buffer.from('PK\u0003\u0004....[Content_Types].xml word/document.xml', 'latin1');
    answer.attachments!.push(stored(h, 'surat-pengantar.docx', docx, 'application/pdf'));
    await h.service.sink.submit(answer, { channel: 'email' });
    const done = await resolved(h, ticket);
    expect(shapes(h, RINA.id)).toEqual([
      'text',
      'text',
      'file:akta-kelahiran.pdf:application/pdf',
      'image:foto-kk.jpg:image/jpeg',
    ]);
    expect(h.fake.sentTo(RINA.id)[1]!.text).toContain(
      '- surat-pengantar.docx (jenis berkas ini tidak dapat dikirim lewat Instagram)',
    );
    expect(h.fake.sendCalls().filter((c) => c.body?.filedata !== undefined)).toHaveLength(2);
    expect(done.history.find((e) => e.event === 'resolved')?.note).toContain(
      'lampiran tidak dapat dikirim lewat Instagram dan disebutkan dalam pesan: surat-pengantar.docx',
    );
    const relay = (await h.service.store.listEffects(ticket.id)).find((e) => /^relay:[^/]+$/.test(e.kind));
    expect(relay?.detail).toMatch(/announced instead of sent: surat-pengantar\.docx$/);
  });
});
