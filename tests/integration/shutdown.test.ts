import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store';
import { CLI, writeConfigDir } from '../support/config-dir';
import { deleteKeys, REDIS_URL, waitFor } from '../support/service-harness';

const COUNT = 400;

/** `aduan start` as a child process, as it runs in production. */
const children: ChildProcess[] = [];

function startChild(configDir: string, logs: string[]): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'start', '--config', configDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('graceful shutdown of `aduan start`', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-shutdown-'));
  const prefix = `aduan-test-shutdown-${process.pid}`;
  const samples = path.join(root, 'samples');
  const dataDir = path.join(root, 'state');
  const outbox = path.join(root, 'outbox');

  beforeAll(() => {
    mkdirSync(samples);
    const lines = Array.from({ length: COUNT }, (_, i) =>
      JSON.stringify({
        channel: i % 2 ? 'email' : 'call-center',
        sourceId: `load-${i}`,
        receivedAt: '2026-11-30T09:00:00+07:00',
        complainant:
          i % 2
            ? { name: `Warga ${i}`, email: `warga${i}@example.com` }
            : { name: `Penelepon ${i}`, phone: '+6281200000' + String(i).padStart(3, '0') },
        text:
          i % 3
            ? 'Mohon info syarat membuat akta kelahiran anak'
            : 'NIK saya ditolak saat daftar BPJS, mohon konsolidasi',
      }),
    );
    writeFileSync(path.join(samples, 'load.jsonl'), lines.join('\n') + '\n');
  });

  afterAll(async () => {
    // A failed assertion must not leave a service running (it would keep jest from exiting).
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await deleteKeys(REDIS_URL, prefix);
    rmSync(root, { recursive: true, force: true });
  });

  test('SIGTERM mid-run exits cleanly within 10 s; a restart finishes the rest; nothing lost or doubled', async () => {
    const configDir = writeConfigDir(root, {
      service: { dataDir, healthPort: 0, logLevel: 'info' },
      redis: { url: REDIS_URL, prefix },
      pipeline: { intakeConcurrency: 4, effectsConcurrency: 4 },
      outbound: { mode: 'outbox', outboxDir: outbox },
      channels: { samples: { enabled: true, folder: samples } },
      sla: { timers: false }, // the samples carry past dates; their escalations are not what this test counts
    });
    const logs: string[] = [];
    const store = new SqliteStore(path.join(dataDir, 'aduan.sqlite'));

    const first = startChild(configDir, logs);
    await waitFor(
      async () => {
        try {
          readdirSync(outbox);
          return true;
        } catch {
          return false;
        }
      },
      20_000,
      'first outgoing message',
    );
    const signalledAt = Date.now();
    first.kill('SIGTERM');
    expect(await exited(first)).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(logs.join('')).toContain('shut down cleanly');

    await store.init();
    const before = await store.countTickets();
    await store.close();
    expect(before).toBeLessThan(COUNT); // it really was stopped mid-run

    const second = startChild(configDir, logs);
    await store.init();
    await waitFor(
      async () =>
        (await store.listTicketsMissingEffects(['respond', 'route'], new Date(Date.now() + 60_000).toISOString(), 1))
          .length === 0 && (await store.countTickets()) === COUNT,
      60_000,
      'all complaints done',
    );
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);

    const tickets = await store.listTickets({});
    expect(tickets).toHaveLength(COUNT);
    expect(new Set(tickets.map((t) => t.sourceId)).size).toBe(COUNT);
    const files = readdirSync(outbox);
    expect(files.filter((f) => f.endsWith('.team.eml'))).toHaveLength(COUNT);
    expect(files.filter((f) => f.endsWith('.ack.eml'))).toHaveLength(COUNT / 2); // email only; call-center answered by the agent
    // No side effect was attempted twice: a repeat would have found its outbox file already written.
    for (const ticket of tickets) {
      const effects = await store.listEffects(ticket.id);
      expect(effects.map((e) => e.kind).sort()).toEqual(['respond', 'route']);
      for (const effect of effects) expect(effect.detail).not.toContain('already written');
    }
    await store.close();
  }, 120_000);
});
