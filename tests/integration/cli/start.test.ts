import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteKeysWithPrefix } from '../../../src/lib/redis-keys';
import { CLI, writeConfigDir } from '../../support/config-dir';
import { freePort } from '../../support/dovecot';
import { REDIS_URL, waitFor } from '../../support/service-harness';

jest.setTimeout(90_000);

const VERSION = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

/** `aduan start` as the real binary, from a folder that is not the repository. */
describe('aduan start', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-start-'));
  const prefix = `aduan-test-start-${process.pid}`;
  let child: ChildProcess | undefined;
  let output = '';
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
    output = '';
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(REDIS_URL, prefix);
    rmSync(root, { recursive: true, force: true });
  });

  async function start(redisUrl: string, logFormat = 'json') {
    const port = await freePort();
    const configDir = writeConfigDir(path.join(root, `etc-${port}`), {
      service: { dataDir: path.join(root, `data-${port}`), healthPort: port },
      redis: { prefix },
      outbound: { mode: 'outbox', outboxDir: path.join(root, 'outbox') },
    });
    const started = Date.now();
    child = spawn(process.execPath, [CLI, 'start', '--config', configDir], {
      cwd: root,
      env: { ...process.env, REDIS_URL: redisUrl, ADUAN_LOG_FORMAT: logFormat },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    return { base: `http://127.0.0.1:${port}`, started, exited };
  }

  const get = (url: string, method = 'GET') => fetch(url, { method }).catch(() => undefined);

  test('with Redis down: /healthz answers at once, /readyz says why it is not ready, and it says so in the log', async () => {
    // Run as at a terminal (ADUAN_LOG_FORMAT=pretty stands in for a TTY): readable lines, not JSON.
    const { base, started } = await start('redis://127.0.0.1:1', 'pretty');
    const alive = await waitFor(async () => (await get(`${base}/healthz`))?.status === 200, 20_000, '/healthz');
    expect(alive).toBe(true);
    // Node's start and loading the config; nothing waits for Redis.
    expect(Date.now() - started).toBeLessThan(10_000);
    const liveness = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
    expect(liveness).toEqual({ status: 'alive', version: VERSION, uptimeSeconds: expect.any(Number) });
    expect((await fetch(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'down',
      redis: { ok: false, error: expect.stringContaining('ECONNREFUSED') },
      store: { ok: false },
      version: VERSION,
    });
    await waitFor(async () => output.includes('waiting for it'), 10_000, 'the log saying it waits for Redis');
    expect(output).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}Redis at redis:\/\/127\.0\.0\.1:1 cannot be used: connect ECONNREFUSED .*; waiting for it/m,
    );
    expect(output).not.toContain('"level"');
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });

  test('with Redis up and no channel enabled: ready, with a warning in /readyz and the log; stops on SIGTERM', async () => {
    const { base, exited } = await start(REDIS_URL);
    await waitFor(async () => (await get(`${base}/readyz`))?.status === 200, 30_000, `/readyz 200; said: ${output}`);
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { warnings?: string[]; status: string };
    expect(ready.status).toBe('ok');
    expect(ready.warnings).toEqual([expect.stringContaining('no channel is enabled')]);
    expect(output).toMatch(/"level":"warn".*no channel is enabled/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toContain('aduan_queue_jobs{queue="intake",state="waiting"} 0');

    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('shut down cleanly');
  });
});
