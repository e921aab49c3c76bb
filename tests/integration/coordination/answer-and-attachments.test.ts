import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTicketAnswer } from '../../../src/cli/commands/ticket-answer';
import type { ComplaintInputDraft, Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { effectJobId } from '../../../src/pipeline/queues';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { SmtpSink } from '../../support/smtp-sink';

/**
 * `aduan ticket answer` relays once, with its files where the channel carries them; and outgoing mail
 * reads files only from the service's attachment folder, whatever a job's `storedAt` says. Real pipeline,
 * real Redis, real SMTP (nodemailer would read a path or fetch a URL given to it).
 */

jest.setTimeout(60_000);

let sink: SmtpSink;
let env: TestEnv;
let service: RunningService;

beforeAll(async () => {
  sink = await SmtpSink.start();
});
afterAll(() => sink.stop());
beforeEach(async () => {
  sink.clear();
  env = createTestEnv((c) => ({
    ...c,
    outbound: { ...c.outbound, mode: 'live', smtp: { host: '127.0.0.1', port: sink.port, secure: false } },
  }));
  service = await startTestService(env, { transports: undefined });
});
afterEach(async () => {
  await service.stop();
  await env.cleanup();
});

let seq = 0;
const TEXT = 'Saya mau tanya syarat membuat akta kelahiran anak, apa saja berkasnya?';

async function ticketFrom(
  draft: Partial<ComplaintInputDraft> & Pick<ComplaintInputDraft, 'channel' | 'complainant'>,
): Promise<Ticket> {
  const full = {
    sourceId: `src-${Date.now().toString(36)}-${++seq}`,
    receivedAt: new Date().toISOString(),
    text: TEXT,
    ...draft,
  } as ComplaintInputDraft;
  await service.sink.submit(full, { channel: full.channel });
  const ticket = await waitFor(() => service.store.findBySource(full.channel, full.sourceId), 10_000, 'ticket');
  await waitFor(
    async () => (await service.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length === 2,
    10_000,
    'first effects',
  );
  return ticket;
}

const capture = () => {
  const chunks: string[] = [];
  return {
    stream: { write: (c: string) => chunks.push(c) } as unknown as NodeJS.WritableStream,
    text: () => chunks.join(''),
  };
};

describe('aduan ticket answer', () => {
  test('records the answer by the operator and relays it once, with the file attached, resolving the ticket', async () => {
    const ticket = await ticketFrom({
      channel: 'email',
      sourceId: '<asal-cli@mail.gmail.com>',
      complainant: { name: 'Rosmawati', email: 'rosmawati@gmail.com' },
    });
    const pdf = path.join(env.dir, 'akta-lahir.pdf');
    writeFileSync(pdf, '%PDF-1.4 akta kelahiran\n%%EOF\n');
    const out = capture();
    const code = await runTicketAnswer(
      env.config,
      ticket.ticketNumber,
      { text: 'Akta kelahiran terlampir.', attach: [pdf], operator: 'petugas1' },
      out.stream,
      capture().stream,
    );
    expect(code).toBe(0);
    expect(out.text()).toContain(`jawaban untuk tiket ${ticket.ticketNumber} dicatat atas nama petugas1`);

    const solution = await sink.waitFor((m) => m.header('x-aduan-purpose') === 'solution', 15_000, 'the solution');
    expect(solution.envelope.to).toEqual(['rosmawati@gmail.com']);
    expect(solution.mail.inReplyTo).toBe('<asal-cli@mail.gmail.com>');
    expect(solution.mail.text).toContain('Akta kelahiran terlampir.');
    expect(solution.mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ['akta-lahir.pdf', 'application/pdf', '%PDF-1.4 akta kelahiran\n%%EOF\n'],
    ]);
    const stored = await waitFor(
      async () => {
        const t = await service.store.getTicket(ticket.id);
        return t?.status === 'resolved' ? t : undefined;
      },
      10_000,
      'resolved',
    );
    const reply = stored.history.find((h) => h.event === 'staff-reply')!;
    expect(reply).toMatchObject({ by: 'operator:petugas1', note: 'Akta kelahiran terlampir.' });

    // The same relay job again (a replayed or duplicated job): nothing more is sent.
    const job = { ticketId: ticket.id, effects: ['relay' as const], ref: reply.ref! };
    await service.queues.effects.add('relay', job, { jobId: `${effectJobId(job)}-again` });
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.withPurpose('solution')).toHaveLength(1);
  });

  test('walk-in: the call-back task carries the file and what to tell the citizen about it, in Indonesian', async () => {
    const ticket = await ticketFrom({
      channel: 'walk-in',
      queueNumber: 'A012',
      complainant: { name: 'Maruli', phone: '+6281234567890' },
    });
    const pdf = path.join(env.dir, 'kk.pdf');
    writeFileSync(pdf, '%PDF-1.4 kk\n');
    expect(
      await runTicketAnswer(
        env.config,
        ticket.ticketNumber,
        { text: 'KK sudah dicetak.', attach: [pdf], operator: 'petugas2' },
        capture().stream,
        capture().stream,
      ),
    ).toBe(0);
    // Walk-in has no reply path: the team gets the call-back task with the file and what to tell the citizen.
    const task = await sink.waitFor(
      (m) => (m.mail.subject ?? '').includes('Tugas: sampaikan solusi'),
      15_000,
      'the call-back task',
    );
    expect(task.mail.text).toContain('KK sudah dicetak.');
    expect(task.mail.text).toContain('Tanggapan ini disertai 1 lampiran (kk.pdf) yang tidak dapat dikirim lewat');
    expect(task.mail.attachments.map((a) => a.filename)).toEqual(['kk.pdf']);
  });

  test('refuses an empty answer, both --text and --file, and a file over the size cap', async () => {
    const ticket = await ticketFrom({ channel: 'email', complainant: { email: 'x@gmail.com' } });
    const big = path.join(env.dir, 'besar.pdf');
    writeFileSync(big, Buffer.alloc(env.config.channels.email!.attachments.maxBytes + 1));
    const err = capture();
    expect(await runTicketAnswer(env.config, ticket.ticketNumber, { text: '  ' }, capture().stream, err.stream)).toBe(
      2,
    );
    expect(
      await runTicketAnswer(env.config, ticket.ticketNumber, { text: 'a', file: big }, capture().stream, err.stream),
    ).toBe(2);
    expect(
      await runTicketAnswer(
        env.config,
        ticket.ticketNumber,
        { text: 'a', attach: [big] },
        capture().stream,
        err.stream,
      ),
    ).toBe(2);
    expect(err.text()).toContain('melebihi batas');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.withPurpose('solution')).toHaveLength(0);
    expect((await service.store.getTicket(ticket.id))!.history.some((h) => h.event === 'staff-reply')).toBe(false);
  });
});

describe('outgoing mail reads files only from the attachment folder', () => {
  test('a job whose storedAt points elsewhere sends nothing from it; the ticket says so', async () => {
    const folder = path.resolve(env.config.service.dataDir, 'attachments', 'email', 'ab');
    mkdirSync(folder, { recursive: true });
    const good = path.join(folder, 'ab'.padEnd(64, '0'));
    writeFileSync(good, 'foto KTP');
    const outside = path.join(env.dir, 'rahasia.txt');
    writeFileSync(outside, 'ADUAN_REPLY_SECRET=bocor');
    const link = path.join(folder, 'ab'.padEnd(64, '1'));
    symlinkSync(outside, link);
    const at = (filename: string, storedAt: string) => ({ filename, contentType: 'text/plain', size: 10, storedAt });
    const ticket = await ticketFrom({
      channel: 'email',
      complainant: { email: 'warga@gmail.com' },
      attachments: [
        at('ktp.jpg', good),
        at('environ.txt', '/proc/self/environ'),
        at('naik.txt', `${folder}/../../../../rahasia.txt`),
        at('relatif.txt', '../rahasia.txt'),
        at('url.txt', 'http://127.0.0.1:1/bocor'),
        at('tautan.txt', link),
      ],
    });
    const team = sink.withPurpose('team-ticket')[0]!;
    expect(team.mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['ktp.jpg', 'foto KTP']]);
    expect(team.raw.toString()).not.toContain('bocor');
    const routed = (await service.store.getTicket(ticket.id))!.history.find((h) => h.event === 'routed')!;
    expect(routed.note).toContain(
      'lampiran tidak dikirim (berkas di luar folder lampiran layanan): environ.txt, naik.txt, relatif.txt, url.txt, tautan.txt',
    );
    expect(env.logLines.some((l) => l.includes('attachment outside the attachment folder not sent'))).toBe(true);
  });
});
