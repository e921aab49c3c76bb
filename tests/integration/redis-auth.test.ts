import { tokenTagOf } from '../support/staff-mail';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTicketAnswer } from '../../src/cli/commands/ticket-answer';
import { loadConfig } from '../../src/config/load';
import { verifyRedis } from '../../src/lib/redis-connection';
import type { RunningService } from '../../src/main';
import { freePort } from '../support/dovecot';
import { PrivateRedis } from '../support/redis-server';
import { createTestEnv, REPO_CONFIG_DIR, startTestService, waitFor, type TestEnv } from '../support/service-harness';

const PASSWORD = 'r4hasia:Dairi/2026@#%';

const complaint = {
  channel: 'email',
  sourceId: '<redis-auth-1@mail.gmail.com>',
  receivedAt: '2026-11-30T09:00:00+07:00',
  complainant: { email: 'warga@example.com' },
  text: 'Mohon bantuan, akta kelahiran anak saya belum terbit padahal berkas sudah lengkap.',
};

describe('Redis with a password (requirepass)', () => {
  let redis: PrivateRedis;
  let env: TestEnv | undefined;
  let service: RunningService | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.start({ password: PASSWORD });
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env?.cleanup();
    env = undefined;
  });
  afterAll(() => redis.stop());

  it.each([
    ['redis.password (REDIS_PASSWORD)', () => ({ url: redis.url, password: PASSWORD })],
    [
      'a password in the URL',
      () => ({ url: redis.url.replace('redis://', `redis://:${encodeURIComponent(PASSWORD)}@`) }),
    ],
  ])('the whole pipeline runs with %s', async (_label, settings) => {
    env = createTestEnv((c) => ({ ...c, redis: { ...c.redis, ...settings() } }));
    service = await startTestService(env);
    await service.sink.submit(complaint, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', complaint.sourceId), 10_000, 'ticket');
    await waitFor(
      async () => (await service!.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length >= 2,
      10_000,
      'effects',
    );
    expect(readdirSync(env.config.outbound.outboxDir).sort()).toEqual(
      [`${ticket.ticketNumber}.ack.eml`, `${tokenTagOf(ticket.ticketNumber)}.team.eml`].sort(),
    );
    expect(env.logLines.join('\n')).not.toContain(PASSWORD);
    expect(env.logLines.join('\n')).not.toContain(encodeURIComponent(PASSWORD));
  });

  it('review #14 L8: `ticket answer` queues its relay over the same password-protected connection', async () => {
    env = createTestEnv((c) => ({ ...c, redis: { ...c.redis, url: redis.url, password: PASSWORD } }));
    service = await startTestService(env);
    await service.sink.submit({ ...complaint, sourceId: `${complaint.sourceId}-answer` }, { channel: 'email' });
    const ticket = await waitFor(
      () => service!.store.findBySource('email', `${complaint.sourceId}-answer`),
      10_000,
      'ticket',
    );
    const err: string[] = [];
    const code = await runTicketAnswer(
      env.config,
      ticket.ticketNumber,
      { text: 'Berkas sudah lengkap.', operator: 'petugas' },
      { write: () => true } as unknown as NodeJS.WritableStream,
      { write: (c: string) => err.push(c) } as unknown as NodeJS.WritableStream,
    );
    expect({ code, err: err.join('') }).toEqual({ code: 0, err: '' });
    const outbox = env.config.outbound.outboxDir;
    await waitFor(
      async () =>
        (await service!.store.listEffects(ticket.id)).some((e) => e.kind.startsWith('relay:') && e.state === 'done'),
      10_000,
      'the relay',
    );
    expect(readdirSync(outbox).filter((f) => f.startsWith(`${ticket.ticketNumber}.sol-`))).toHaveLength(1);
    expect((await service.store.getTicket(ticket.id))?.status).toBe('resolved');
  });

  it.each([
    [
      'a wrong password',
      'salah',
      /^Redis at redis:\/\/127\.0\.0\.1:\d+ cannot be used: it refused the password \(WRONGPASS\)/,
    ],
    [
      'no password',
      undefined,
      /^Redis at redis:\/\/127\.0\.0\.1:\d+ cannot be used: it requires a password \(NOAUTH\)/,
    ],
  ])('start-up fails with one clear error on %s', async (_label, password, expected) => {
    env = createTestEnv((c) => ({ ...c, redis: { ...c.redis, url: redis.url, ...(password ? { password } : {}) } }));
    const started = Date.now();
    const error = await startTestService(env).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(expected);
    expect((error as Error).message).not.toContain('salah');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(env.logLines.filter((l) => l.includes('redis connection error'))).toEqual([]);
    // Nothing was started, so there is nothing to clean up in Redis (and no password to do it with).
    rmSync(env.dir, { recursive: true, force: true });
    env = undefined;
  });

  it('reads the password from REDIS_PASSWORD_FILE', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-secret-'));
    try {
      const file = path.join(dir, 'redis-password');
      writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
      const config = loadConfig(REPO_CONFIG_DIR, { REDIS_PASSWORD_FILE: file });
      expect(config.redis.password).toBe(PASSWORD);
      expect(
        loadConfig(REPO_CONFIG_DIR, { REDIS_PASSWORD: 'from-env', REDIS_PASSWORD_FILE: file }).redis.password,
      ).toBe('from-env');
      expect(() => loadConfig(REPO_CONFIG_DIR, { REDIS_PASSWORD_FILE: path.join(dir, 'missing') })).toThrow(
        /redis\.password: REDIS_PASSWORD_FILE names a file that cannot be read \(ENOENT\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A CA and a server certificate for 127.0.0.1, made with openssl for this test run. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=aduan test CA',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('san.ext'),
  );
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

describe('Redis over TLS (rediss://) with a password', () => {
  let dir: string;
  let server: ChildProcess;
  let port: number;
  let env: TestEnv | undefined;
  let service: RunningService | undefined;
  let ca: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-redis-tls-'));
    const certs = makeCertificates(dir);
    ca = certs.ca;
    port = await freePort();
    server = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--tls-cert-file',
        certs.cert,
        '--tls-key-file',
        certs.key,
        '--tls-ca-cert-file',
        certs.ca,
        '--tls-auth-clients',
        'no',
        '--requirepass',
        PASSWORD,
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    const settings = { url: `rediss://127.0.0.1:${port}`, password: PASSWORD, tlsCaFile: ca };
    await waitFor(
      () =>
        verifyRedis(settings, 500).then(
          () => true,
          () => false,
        ),
      10_000,
      'redis-server with TLS',
    );
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env?.cleanup();
    env = undefined;
  });
  afterAll(async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the pipeline over rediss:// with the private CA', async () => {
    env = createTestEnv((c) => ({
      ...c,
      redis: { ...c.redis, url: `rediss://127.0.0.1:${port}`, password: PASSWORD, tlsCaFile: ca },
    }));
    service = await startTestService(env);
    await service.sink.submit(complaint, { channel: 'email' });
    const ticket = await waitFor(() => service!.store.findBySource('email', complaint.sourceId), 10_000, 'ticket');
    await waitFor(
      async () => (await service!.store.listEffects(ticket.id)).filter((e) => e.state === 'done').length >= 2,
      10_000,
      'effects',
    );
  });

  it('refuses a server certificate it cannot verify, with one clear error', async () => {
    const error = await verifyRedis({ url: `rediss://127.0.0.1:${port}`, password: PASSWORD }).catch(
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /^Redis at rediss:\/\/127\.0\.0\.1:\d+ cannot be used: .*(self[- ]signed|unable to verify|local issuer)/i,
    );
  });
});
