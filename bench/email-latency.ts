/**
 * Email channel latency: APPENDs N complaints (default 200) to a real Dovecot mailbox, one every
 * `intervalMs` (default 100), with the service reading it over IMAP IDLE and answering through a
 * real SMTP server on loopback. Prints p50/p95/max of APPEND → initial response accepted by SMTP.
 *   npm run build && node dist/bench/email-latency.js [N] [intervalMs]
 * Needs root (Dovecot), /usr/sbin/dovecot (apt-get install dovecot-imapd) and Redis (REDIS_URL).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { emailChannelSchema } from '../src/channels/email/config-schema';
import { loadConfig } from '../src/config/load';
import type { AppConfig } from '../src/config/schema';
import { createLogger } from '../src/lib/logger';
import { startService } from '../src/main';
import { Dovecot } from '../tests/support/dovecot';
import { SmtpSink } from '../tests/support/smtp-sink';
import { deleteKeysWithPrefix } from '../src/lib/redis-keys';
import { percentile } from './percentile';

const N = Number(process.argv[2] ?? 200);
const INTERVAL_MS = Number(process.argv[3] ?? 100);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function mail(i: number): string {
  return [
    `From: Warga ${i} <warga${i}@example.com>`,
    'To: pengaduan@disdukcapil.dairikab.go.id',
    `Subject: Konsolidasi NIK untuk BPJS (${i})`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <bench-${i}-${process.pid}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="UTF-8"',
    '',
    'Selamat siang, NIK saya ditolak waktu daftar BPJS Kesehatan karena data tidak padan. Mohon dibantu konsolidasi. Saya tinggal di Sidikalang.',
    '',
    'Dikirim dari Yahoo Mail di Android',
    '',
  ].join('\r\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-bench-email-'));
  const [dovecot, sink] = await Promise.all([Dovecot.start(), SmtpSink.start()]);
  const user = dovecot.addUser('bench');
  const base = loadConfig(path.resolve(__dirname, '../../config'), { ...process.env, REDIS_URL, MONGODB_URL: '' });
  const prefix = `bench-email-${process.pid}`;
  const config: AppConfig = {
    ...base,
    service: { ...base.service, dataDir: path.join(dir, 'data'), healthPort: 0 },
    redis: { url: REDIS_URL, prefix },
    store: { ...base.store, url: undefined },
    outbound: { ...base.outbound, mode: 'live', smtp: { host: '127.0.0.1', port: sink.port, secure: false } },
    // Live mode needs the reply-token secret; a bench run makes up its own.
    staff: { ...base.staff, replySecret: base.staff.replySecret || randomBytes(32).toString('hex') },
    channels: {
      ...base.channels,
      email: emailChannelSchema.parse({
        enabled: true,
        accounts: [
          {
            name: 'bench',
            host: dovecot.host,
            port: dovecot.port,
            security: 'plain',
            user: user.user,
            password: user.password,
          },
        ],
        // IDLE does the work; the poll is only the safety net.
        pollIntervalMs: 60_000,
      }),
    },
  };
  const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
  const service = await startService({ config, configDir: path.resolve(__dirname, '../../config'), log });
  const appendedAt = new Map<string, number>();
  const latencies: number[] = [];
  const started = Date.now();
  try {
    const client = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: user.user, pass: user.password },
      logger: false,
    });
    await client.connect();
    for (let i = 0; i < N; i++) {
      const next = started + i * INTERVAL_MS;
      if (next > Date.now()) await new Promise((r) => setTimeout(r, next - Date.now()));
      appendedAt.set(`<bench-${i}-${process.pid}@example.com>`, Date.now());
      await client.append('INBOX', mail(i));
    }
    await client.logout();
    const deadline = Date.now() + 120_000;
    while (sink.withPurpose('acknowledgement').length < N && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    for (const ack of sink.withPurpose('acknowledgement')) {
      const sentAt = appendedAt.get(ack.mail.inReplyTo ?? '');
      if (sentAt !== undefined) latencies.push(ack.at - sentAt);
    }
  } finally {
    await service.stop();
    await Promise.all([dovecot.destroy(), sink.stop(), deleteKeysWithPrefix(REDIS_URL, prefix)]);
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = latencies.sort((a, b) => a - b);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `email latency: ${N} messages appended every ${INTERVAL_MS} ms over IMAP IDLE, ${sorted.length} initial responses accepted by SMTP in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `APPEND → initial response accepted: p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, max ${sorted[sorted.length - 1] ?? NaN} ms`,
  );
  if (sorted.length < N) {
    console.log(`MISSING: ${N - sorted.length} message(s) got no initial response within 120 s`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
