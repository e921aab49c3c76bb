import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

/** `aduan check-config` (the built binary) on a copy of the shipped config with categories.yaml edited. */
function checkConfig(edit: (categories: string) => string): { status: number | null; output: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-templates-'));
  try {
    const dir = path.join(root, 'config');
    mkdirSync(dir);
    cpSync(path.join(REPO, 'config'), dir, { recursive: true, filter: (src) => !src.endsWith('local.yaml') });
    cpSync(path.join(REPO, 'data', 'training'), path.join(root, 'data', 'training'), { recursive: true });
    const file = path.join(dir, 'categories.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin', 'aduan.js'), 'check-config', '--config', dir], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: root },
      timeout: 30_000,
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('one placeholder syntax, {{name}}, checked when the config is checked', () => {
  test('the shipped response templates pass', () => {
    const { status, output } = checkConfig((text) => text);
    expect(output).toContain('configuration OK');
    expect(status).toBe(0);
  });

  test('an unknown placeholder is an error naming it and what is allowed', () => {
    const { status, output } = checkConfig((text) => text.replace('Yth. {{name}}', 'Yth. {{nama}}'));
    expect(status).not.toBe(0);
    expect(output).toContain('unknown placeholder {{nama}}');
    expect(output).toContain('{{name}} {{ticketNumber}} {{label}} {{target}} {{dueAt}}');
  });

  test('the old single-brace syntax is an error that says how to write it', () => {
    const { status, output } = checkConfig((text) =>
      text.replace('nomor tiket {{ticketNumber}}', 'nomor tiket {ticketNumber}'),
    );
    expect(status).not.toBe(0);
    expect(output).toContain('{ticketNumber} has single braces: write {{ticketNumber}}');
  });
});
