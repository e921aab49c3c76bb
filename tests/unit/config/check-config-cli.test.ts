import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI } from '../../support/config-dir';

/**
 * The built `aduan` binary on a config folder outside the repository (as Docker mounts /etc/aduan),
 * run from an unrelated working directory: nothing may be looked up beside the config folder.
 */
const REPO_CONFIG = path.resolve(__dirname, '../../../config');
let root: string;
let etc: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'aduan-etc-'));
  etc = path.join(root, 'etc', 'aduan');
  mkdirSync(etc, { recursive: true });
  for (const name of ['default.yaml', 'categories.yaml', 'slang.yaml'])
    copyFileSync(path.join(REPO_CONFIG, name), path.join(etc, name));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function aduan(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ADUAN') && k !== 'LOG_LEVEL' && !k.startsWith('IMAP')),
  );
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...clean, ...env },
    timeout: 60_000,
  });
}

describe('aduan check-config on a config folder anywhere', () => {
  test('passes with the training examples found in the installed package, plus the configured extra examples', () => {
    const result = aduan(['check-config', '--config', etc]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`configuration OK (${etc})`);
    const shipped = Number(/training examples: (\d+)/.exec(result.stdout)![1]);
    expect(shipped).toBeGreaterThan(1000);

    mkdirSync(path.join(etc, 'contoh'));
    const line = (id: string) =>
      JSON.stringify({ id, text: 'KTP elektronik saya rusak, mohon dicetak ulang', category: 'population-data-check' });
    writeFileSync(path.join(etc, 'contoh', 'kantor.jsonl'), `${line('k-1')}\n${line('k-2')}\n`);
    writeFileSync(path.join(etc, 'local.yaml'), 'classifier:\n  extraExamples: [contoh]\n');
    const extra = aduan(['check-config', '--config', etc]);
    expect(extra.status).toBe(0);
    expect(extra.stdout).toContain(`training examples: ${shipped + 2}`);

    writeFileSync(path.join(etc, 'contoh', 'rusak.jsonl'), '{"id": "x", "text": "t", "category": "bukan"}\n');
    const broken = aduan(['check-config', '--config', etc]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`${path.join(etc, 'contoh', 'rusak.jsonl')}:1: category`);
  });

  test('refuses what start would refuse: live mode without SMTP, an enabled channel without its secret, an unwritable folder', () => {
    writeFileSync(path.join(root, 'a-file'), '');
    writeFileSync(
      path.join(etc, 'local.yaml'),
      'outbound:\n  mode: live\n  outboxDir: a-file/outbox\nchannels:\n  email:\n    enabled: true\n',
    );
    const result = aduan(['check-config', '--config', etc], { ADUAN_REPLY_SECRET: 's'.repeat(40) });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('configuration has 2 problem(s)');
    expect(result.stderr).toContain('outbound.smtp: missing, but outbound.mode is live');
    expect(result.stderr).toContain('set IMAP_PASSWORD (or IMAP_PASSWORD_FILE)');

    // The same checks stop `start` before it connects anywhere (no Redis is named here).
    writeFileSync(path.join(etc, 'local.yaml'), 'outbound:\n  outboxDir: a-file/outbox\n');
    const start = aduan(['start', '--config', etc], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(start.status).toBe(1);
    expect(start.stdout).toContain('outbound.outboxDir: ');
    expect(start.stdout).toContain('a-file/outbox cannot be created');
    const check = aduan(['check-config', '--config', etc]);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('a-file/outbox cannot be created');
  });

  test('--show-origin prints every effective value with its file or variable, secrets hidden', () => {
    writeFileSync(path.join(etc, 'local.yaml'), 'pipeline:\n  attempts: 4\n');
    writeFileSync(path.join(root, 'imap-password'), 'sangat-rahasia\n');
    const result = aduan(['check-config', '--config', etc, '--show-origin'], {
      ADUAN__SLA__CHECKEVERYSECONDS: '15',
      IMAP_PASSWORD_FILE: path.join(root, 'imap-password'),
      LOG_LEVEL: 'debug',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/ pipeline\.attempts = 4 +\[local\.yaml\]/);
    expect(result.stdout).toMatch(/ pipeline\.backoffMs = 2000 +\[default\.yaml\]/);
    expect(result.stdout).toMatch(/ sla\.checkEverySeconds = 15 +\[env ADUAN__SLA__CHECKEVERYSECONDS\]/);
    expect(result.stdout).toMatch(/ service\.logLevel = "debug" +\[env LOG_LEVEL\]/);
    expect(result.stdout).toMatch(
      / channels\.email\.accounts\.0\.password = \(set, hidden\) +\[IMAP_PASSWORD_FILE \(in default\.yaml\)\]/,
    );
    expect(result.stdout).toMatch(/ pipeline\.reconcileIntervalMs = 60000 +\[schema default\]/);
    expect(result.stdout).not.toContain('sangat-rahasia');
  });

  test('an override naming an unknown key fails with the variable named', () => {
    const result = aduan(['check-config', '--config', etc], { ADUAN__PIPELINE__ATTEMTPS: '5' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('environment variable ADUAN__PIPELINE__ATTEMTPS: unknown key "pipeline.attemtps"');
  });
});
