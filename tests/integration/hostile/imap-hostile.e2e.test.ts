import { existsSync, statSync } from 'node:fs';
import { freePort } from '../../support/dovecot';
import { startTestService, waitFor } from '../../support/service-harness';
import { append, citizenMail, mailTestEnv, startWithEmail, ticketsOf, useMailServers } from '../email/mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/**
 * The IMAP channel (real Dovecot, real SMTP, the real service in this process) under hostile mail:
 * the health endpoint keeps answering while it is read, the complaint behind it is answered within
 * seconds, and a message that cannot be read within the budget is set aside after three attempts
 * (raw bytes kept, one admin alert) while the mailbox behind it flows on.
 */

jest.setTimeout(180_000);

const servers = useMailServers();

const lines400 = (bytes: number) => `${'7'.repeat(400)}\r\n`.repeat(Math.ceil(bytes / 402));

it('keeps /healthz answering while hostile mail is read, and answers the complaint behind it within seconds', async () => {
  const user = servers.dovecot.addUser();
  const port = await freePort();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink, {}, (c) => ({
    ...c,
    service: { ...c.service, healthPort: port },
  }));
  servers.service = await startTestService(servers.env, { channels: undefined, health: true });

  const latencies: number[] = [];
  const failures: string[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const started = Date.now();
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
        await response.text();
      } catch (error) {
        failures.push((error as Error).message);
      }
      latencies.push(Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  await append(
    servers.dovecot,
    user,
    // One sender each: a sender's repeat of an open ticket's kind would join it (same problem, one ticket).
    // 200 KB of spaces and one letter on a line: 48 s in the old trimBlock.
    citizenMail({
      subject: 'Spasi',
      from: 'Warga Spasi <warga.spasi@example.net>',
      messageId: '<hostile-spaces@example.net>',
      text: `${' '.repeat(200_000)}x\nKTP-el saya belum dicetak.`,
    }),
    // 6 MB of 400-digit lines (the reply splitter's bounded repetitions).
    citizenMail({
      subject: 'Angka',
      from: 'Warga Angka <warga.angka@example.net>',
      messageId: '<hostile-digits@example.net>',
      text: `Akta kelahiran anak saya belum selesai.\n${lines400(6_000_000)}`,
    }),
    // 1 MB of unclosed script links, nested quote markers and almost-NIKs.
    citizenMail({
      subject: 'Campur',
      from: 'Warga Campur <warga.campur@example.net>',
      messageId: '<hostile-mixed@example.net>',
      text: `Surat pindah belum terbit.\n${'[javascript:'.repeat(40_000)}\n${'> '.repeat(100_000)}x\n${'1211 0255 0690 000 '.repeat(20_000)}`,
    }),
  );
  const appendedNormalAt = Date.now();
  // Another sender: the per-sender cap on automatic replies must not be what is measured.
  await append(
    servers.dovecot,
    user,
    citizenMail({
      from: 'Budi Situmorang <budi.situmorang@gmail.com>',
      messageId: '<normal-after-hostile@mail.gmail.com>',
    }),
  );
  const ack = await servers.sink.waitFor(
    (m) =>
      m.header('x-aduan-purpose') === 'acknowledgement' && m.mail.inReplyTo === '<normal-after-hostile@mail.gmail.com>',
    60_000,
    'the acknowledgement of the normal complaint',
  );
  const answeredAfterMs = Date.now() - appendedNormalAt;
  polling = false;
  await poller;

  expect(ack).toBeDefined();
  expect(answeredAfterMs).toBeLessThan(15_000);
  expect(failures).toEqual([]);
  expect(latencies.length).toBeGreaterThan(5);
  expect(Math.max(...latencies)).toBeLessThan(2000);
  const tickets = await ticketsOf(servers.service);
  expect(tickets.map((t) => t.subject).sort()).toEqual([
    'Angka',
    'Campur',
    'Permohonan surat keterangan belum menikah',
    'Spasi',
  ]);
  const spaces = tickets.find((t) => t.subject === 'Spasi')!;
  expect(spaces.text.length).toBeLessThanOrEqual(200_000);
  expect(spaces.text.endsWith('[… teks dipotong karena terlalu panjang]')).toBe(true);

  console.log(
    `healthz: ${latencies.length} answers, slowest ${Math.max(...latencies)} ms; normal complaint answered ${answeredAfterMs} ms after it was appended`,
  );
});

it('sets aside a message that overruns the reading budget three times; the mailbox behind it flows on', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(
    servers.dovecot,
    user,
    servers.sink,
    { reconnect: { initialDelayMs: 100, maxDelayMs: 300 } },
    (c) => ({
      ...c,
      pipeline: { ...c.pipeline, poison: { maxAttempts: 3, budgetMs: 100 } },
    }),
  );
  servers.service = await startWithEmail(servers.env);
  const big = citizenMail({
    subject: 'Besar',
    messageId: '<hostile-20mb@example.net>',
    text: `KK saya hilang.\n${'Mohon dibantu segera. '.repeat(1_000_000)}`,
  });
  await append(servers.dovecot, user, big, citizenMail({ messageId: '<normal-after-poison@mail.gmail.com>' }));

  const ack = await servers.sink.waitFor(
    (m) =>
      m.header('x-aduan-purpose') === 'acknowledgement' && m.mail.inReplyTo === '<normal-after-poison@mail.gmail.com>',
    90_000,
    'the acknowledgement behind the poison message',
  );
  expect(ack).toBeDefined();
  const record = await waitFor(
    async () => (await servers.service!.store.listQuarantine(10)).find((r) => r.reason.includes('poison message')),
    30_000,
    'the quarantine record',
  );
  expect(record.reason).toMatch(/over the budget of 100 ms; 3 attempt\(s\)/);
  const payload = JSON.parse(record.payload) as { rawFile: string; rawBytes: number; origin: string };
  expect(payload.origin).toMatch(/^uji\/INBOX#\d+$/);
  expect(existsSync(payload.rawFile)).toBe(true);
  expect(statSync(payload.rawFile).size).toBe(payload.rawBytes);
  expect(payload.rawBytes).toBeGreaterThan(20_000_000);
  const alert = await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'alert', 15_000, 'the admin alert');
  expect(alert.mail.subject).toContain('pesan bermasalah disisihkan');
  expect(servers.sink.received.filter((m) => m.header('x-aduan-purpose') === 'alert')).toHaveLength(1);
  expect((await ticketsOf(servers.service)).map((t) => t.subject)).toEqual([
    'Permohonan surat keterangan belum menikah',
  ]);
});
