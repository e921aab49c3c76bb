import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteKeysWithPrefix } from '../../../src/lib/redis-keys';
import { freePort } from '../../support/dovecot';
import { parseDockerfile } from '../../support/dockerfile';
import { REDIS_URL, waitFor } from '../../support/service-harness';

/**
 * The image's exact start command (ENTRYPOINT + CMD, with its ENV) run from a folder laid out as the
 * runtime stage lays out /app: what it copies from the build context, and dist/ and node_modules/ of this
 * checkout for what it copies from the build stage (so `npm run build` must have run). Then the image's
 * HEALTHCHECK command, on a health port that is not the default, and SIGTERM.
 */
const ROOT = path.resolve(__dirname, '../../..');
const stages = parseDockerfile(path.join(ROOT, 'Dockerfile'));
const runtime = stages[stages.length - 1]!;
const build = stages.find((s) => s.name === 'build')!;

jest.setTimeout(60_000);

describe('the image start command, from a folder laid out as the image', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-image-'));
  const prefix = `aduan-test-image-${process.pid}`;
  let child: ChildProcess | undefined;
  const output: string[] = [];
  // The image's paths (/app/…) in the folder.
  const local = (imagePath: string) => path.join(root, path.posix.relative(runtime.workdir, imagePath));
  const env = () => ({
    PATH: process.env.PATH ?? '',
    REDIS_URL,
    ...Object.fromEntries(
      Object.entries(runtime.env)
        .filter(([k]) => k !== 'image')
        .map(([k, v]) => [k, v.startsWith(runtime.workdir) ? local(v) : v]),
    ),
  });
  // `node` of the image is the node running these tests.
  const command = (words: string[]) => words.map((w) => (w === 'node' ? process.execPath : w));

  beforeAll(() => {
    expect(existsSync(path.join(ROOT, 'dist/src/cli/main.js'))).toBe(true); // npm run build first
    for (const copy of runtime.copies) {
      for (const source of copy.sources) {
        const target = copy.intoFolder ? path.join(local(copy.dest), path.basename(source)) : local(copy.dest);
        mkdirSync(path.dirname(target), { recursive: true });
        if (copy.from) symlinkSync(path.join(ROOT, path.posix.relative(build.workdir, source)), target);
        else cpSync(path.join(ROOT, source), target, { recursive: true });
      }
    }
    for (const run of runtime.runs) {
      for (const [, dirs] of run.matchAll(/mkdir -p ([^&]+)/g))
        for (const dir of dirs!.trim().split(/\s+/)) mkdirSync(local(dir), { recursive: true });
    }
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    await deleteKeysWithPrefix(REDIS_URL, prefix);
  });

  it('starts, answers the HEALTHCHECK on the configured port, writes its state in the data folder and stops on SIGTERM', async () => {
    const port = await freePort();
    // An admin's override, as config/local.yaml in the config volume would hold it.
    writeFileSync(
      path.join(local(runtime.env.ADUAN_CONFIG_DIR!), 'local.yaml'),
      `service:\n  healthPort: ${port}\nredis:\n  prefix: ${prefix}\n`,
    );
    const [program, ...args] = command([...runtime.entrypoint, ...runtime.cmd]);
    child = spawn(program!, args, { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));

    const [check, ...checkArgs] = command(runtime.healthcheck!);
    const healthy = () => spawnSync(check!, checkArgs, { cwd: root, env: env(), encoding: 'utf8' });
    await waitFor(
      async () => healthy().status === 0,
      30_000,
      `healthcheck on port ${port}; service said: ${output.join('').slice(-2000)}`,
    );
    expect(healthy().stdout).toContain(`:${port}/healthz answered 200`);
    expect(readdirSync(local(path.posix.join(runtime.workdir, 'data/runtime')))).toContain('aduan.sqlite');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('')).toContain('shut down cleanly');
    // Stopped: the same check now fails.
    expect(healthy().status).toBe(1);
  });
});
