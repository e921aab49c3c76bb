import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ComplaintInputDraft, Ticket } from '../../../src/domain/complaint';
import type { RunningService } from '../../../src/main';
import { CLI, writeConfigDir } from '../../support/config-dir';
import { createTestEnv, REDIS_URL, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { SmtpSink } from '../../support/smtp-sink';

/**
 * `aduan ticket answer --ask` through the real CLI (bin/aduan.js, its own process, the same store and Redis
 * as the running service, a real SMTP sink): the question is relayed once and the ticket waits on the
 * citizen, `ticket show` says so; the citizen's reply ends the wait; a later answer (`#tanya`-free)
 * resolves the ticket.
 */

jest.setTimeout(90_000);

const run = promisify(execFile);

let sink: SmtpSink;
let env: TestEnv;
let service: RunningService;
let configDir: string;

beforeAll(async () => {
  sink = await SmtpSink.start();
  env = createTestEnv((c) => ({
    ...c,
    outbound: { ...c.outbound, mode: 'live', smtp: { host: '127.0.0.1', port: sink.port, secure: false } },
  }));
  service = await startTestService(env, { transports: undefined });
  // What an operator on the server uses: the shipped config with the service's store and Redis.
  configDir = writeConfigDir(env.dir, {
    service: { dataDir: env.config.service.dataDir },
    redis: { url: REDIS_URL, prefix: env.config.redis.prefix },
  });
});
afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
  await sink?.stop();
});

async function aduan(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--config', configDir], {
      env: { ...process.env, REDIS_URL },
      timeout: 60_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

test('ticket answer --ask relays a question and the ticket waits; the reply resumes it; an answer resolves it', async () => {
  const complaint: ComplaintInputDraft = {
    channel: 'email',
    sourceId: '<tanya-cli@mail.gmail.com>',
    receivedAt: new Date().toISOString(),
    complainant: { name: 'Rosmawati', email: 'rosmawati@gmail.com' },
    subject: 'Akta kelahiran anak',
    text: 'Akta kelahiran anak saya salah tanggal lahir. Mohon dibantu perbaikannya.',
  };
  await service.sink.submit(complaint, { channel: 'email' });
  const ticket = await waitFor(() => service.store.findBySource('email', complaint.sourceId), 10_000, 'the ticket');
  await waitFor(
    async () => (await service.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length === 2,
    10_000,
    'first effects',
  );
  const statusIs = (status: Ticket['status'], what: string) =>
    waitFor(async () => (await service.store.getTicket(ticket.id))?.status === status, 15_000, what);

  const asked = await aduan(
    'ticket',
    'answer',
    ticket.ticketNumber,
    '--ask',
    '--text',
    'Mohon kirimkan foto akta lama.',
  );
  expect(asked.stderr).toBe('');
  expect(asked.code).toBe(0);
  expect(asked.stdout).toContain(`pertanyaan untuk tiket ${ticket.ticketNumber} dicatat atas nama`);
  expect(asked.stdout).toContain('tiket menunggu tanggapan warga');
  const question = await sink.waitFor((m) => m.header('x-aduan-purpose') === 'solution', 15_000, 'the question');
  expect(question.envelope.to).toEqual(['rosmawati@gmail.com']);
  expect(question.mail.text).toContain('Mohon kirimkan foto akta lama.');
  await statusIs('waiting-citizen', 'waiting on the citizen');
  const shown = await aduan('ticket', 'show', ticket.ticketNumber);
  expect(shown.stdout).toContain(`Tiket      : ${ticket.ticketNumber} (menunggu warga)`);
  expect(shown.stdout).toMatch(/Menunggu {3}: tanggapan warga sejak .+ WIB \(batas waktu berhenti\)/);
  expect(shown.stdout).toMatch(/jawaban petugas \(pertanyaan\)( oleh \S+)? — Mohon kirimkan foto akta lama\./);
  expect(shown.stdout).toMatch(/menunggu warga — pertanyaan oleh operator:\S+ dikirim kepada pelapor lewat email/);

  // The citizen replies to the question: the ticket is with the team again.
  await service.sink.submit(
    {
      channel: 'email',
      sourceId: '<tanya-cli-balas@mail.gmail.com>',
      references: ['<tanya-cli@mail.gmail.com>'],
      receivedAt: new Date().toISOString(),
      complainant: { name: 'Rosmawati', email: 'rosmawati@gmail.com' },
      subject: 'Re: Akta kelahiran anak',
      text: 'Foto akta lama sudah saya kirim ke loket online.',
    },
    { channel: 'email' },
  );
  await statusIs('routed', 'back with the team');

  // A plain answer (a first line #tanya would ask again) resolves it.
  const answered = await aduan('ticket', 'answer', ticket.ticketNumber, '--text', 'Akta sudah diperbaiki.');
  expect(answered.code).toBe(0);
  expect(answered.stdout).toContain(`jawaban untuk tiket ${ticket.ticketNumber}`);
  await statusIs('resolved', 'resolved');
  const after = await aduan('ticket', 'show', ticket.ticketNumber);
  expect(after.stdout).toContain(`Tiket      : ${ticket.ticketNumber} (selesai)`);
  expect(after.stdout).toMatch(/jawaban warga — Foto akta lama/);
  expect(sink.withPurpose('solution')).toHaveLength(2);
});
