import { spawn } from 'node:child_process';
import path from 'node:path';
import { CLI } from '../../support/config-dir';
import { REDIS_URL } from '../../support/service-harness';

/** The real `aduan` binary (dist) as a child process; resolves with its exit code, output and run time. */
export function runAduan(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = path.resolve(__dirname, '../../..'),
): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, REDIS_URL, ADUAN_LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr, ms: Date.now() - started }));
  });
}
