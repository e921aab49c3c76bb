import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheckConfig } from '../../../src/cli/commands/check-config';
import { ConfigError, loadConfig } from '../../../src/config/load';

const REPO_CONFIG = path.resolve(__dirname, '../../../config');

/** A config folder in a temp dir, shaped like the repo's (config/ beside data/training). */
function configFolder(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-config-'));
  const dir = path.join(root, 'config');
  mkdirSync(dir);
  for (const name of ['default.yaml', 'categories.yaml', 'slang.yaml'])
    copyFileSync(path.join(REPO_CONFIG, name), path.join(dir, name));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  cpSync(path.resolve(REPO_CONFIG, '../data/training'), path.join(root, 'data', 'training'), { recursive: true });
  return dir;
}

function problemsOf(dir: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfig(dir, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n').slice(1);
    throw error;
  }
  return [];
}

const cleanup: string[] = [];
afterAll(() => cleanup.forEach((dir) => rmSync(path.dirname(dir), { recursive: true, force: true })));
const folder = (files: Record<string, string>) => {
  const dir = configFolder(files);
  cleanup.push(dir);
  return dir;
};

describe('loading configuration', () => {
  test('the shipped configuration is valid', () => {
    const config = loadConfig(REPO_CONFIG, {});
    expect(Object.keys(config.categories)).toHaveLength(14);
    expect(config.store.url).toBeUndefined();
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
  });

  test('local.yaml overrides default.yaml key by key', () => {
    const dir = folder({ 'local.yaml': 'pipeline:\n  intakeConcurrency: 3\n' });
    const config = loadConfig(dir, {});
    expect(config.pipeline.intakeConcurrency).toBe(3);
    expect(config.pipeline.effectsConcurrency).toBe(48);
  });

  test('${VAR} and ${VAR:-fallback} are interpolated from the environment', () => {
    const dir = folder({
      'local.yaml': 'outbound:\n  smtp:\n    host: ${SMTP_HOST}\n    password: ${SMTP_PASSWORD}\n',
    });
    const config = loadConfig(dir, {
      SMTP_HOST: 'mail.example.com',
      SMTP_PASSWORD: 's3cret-value',
      REDIS_URL: 'redis://10.0.0.1:6380',
    });
    expect(config.outbound.smtp).toMatchObject({ host: 'mail.example.com', password: 's3cret-value' });
    expect(config.redis.url).toBe('redis://10.0.0.1:6380');
  });

  test('an unknown key is reported with file, line and key path', () => {
    const dir = folder({ 'local.yaml': 'pipeline:\n  intakeConcurency: 3\n' });
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/local\.yaml:2:3 pipeline\.intakeConcurency: unknown key "intakeConcurency"$/),
    ]);
  });

  test('a wrong type points at the value in the file that set it', () => {
    const dir = folder({ 'local.yaml': '# comment\nservice:\n  healthPort: "eighty"\n' });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/local\.yaml:3:15 service\.healthPort: .*number/)]);
  });

  test('a reference to an unknown team in categories.yaml is located there', () => {
    const categories = readFileSync(path.join(REPO_CONFIG, 'categories.yaml'), 'utf8').replace(
      'team: piak',
      'team: piak-typo',
    );
    const dir = folder({ 'categories.yaml': categories });
    const lines = problemsOf(dir);
    expect(lines).toHaveLength(1);
    const lineNo = categories.split('\n').findIndex((l) => l.includes('piak-typo')) + 1;
    expect(lines[0]).toMatch(
      new RegExp(`categories\\.yaml:${lineNo}:\\d+ categories\\.nik-consolidation\\.team: unknown team "piak-typo"`),
    );
  });

  test('a missing environment variable is named, with where it is used', () => {
    const dir = folder({
      'local.yaml': 'outbound:\n  smtp:\n    host: smtp.example.com\n    password: ${SMTP_PASSWORD}\n',
    });
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/local\.yaml:4:15 outbound\.smtp\.password: environment variable SMTP_PASSWORD is not set/),
    ]);
  });

  test('YAML syntax errors give the line', () => {
    const dir = folder({ 'local.yaml': 'pipeline:\n  attempts: [1, 2\n' });
    expect(problemsOf(dir)[0]).toMatch(/local\.yaml:\d+:\d+ \(top level\): YAML syntax/);
  });

  test('several problems are all reported, not only the first', () => {
    const dir = folder({ 'local.yaml': 'pipeline:\n  attempts: 0\nrouting:\n  triageTeam: nobody\nbogus: 1\n' });
    const lines = problemsOf(dir);
    expect(lines.some((l) => l.includes('pipeline.attempts'))).toBe(true);
    expect(lines.some((l) => l.includes('routing.triageTeam: unknown team "nobody"'))).toBe(true);
    expect(lines.some((l) => l.includes('bogus: unknown key'))).toBe(true);
  });

  test('a missing required file is reported', () => {
    const dir = folder({});
    rmSync(path.join(dir, 'categories.yaml'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/categories\.yaml \(top level\): file is missing/)]);
  });
});

describe('aduan check-config', () => {
  const capture = () => {
    let text = '';
    return {
      stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream,
      text: () => text,
    };
  };

  test('exits 0 and summarises a valid configuration', () => {
    const out = capture();
    const err = capture();
    expect(runCheckConfig(REPO_CONFIG, out.stream, err.stream)).toBe(0);
    expect(out.text()).toContain('configuration OK');
    expect(err.text()).toBe('');
  });

  test('warns when a config file holding a written-out secret is readable by every user', () => {
    const dir = folder({
      'local.yaml': 'outbound:\n  smtp:\n    host: smtp.example.com\n    password: hunter2-literal\n',
    });
    chmodSync(path.join(dir, 'local.yaml'), 0o644);
    const err = capture();
    expect(runCheckConfig(dir, capture().stream, err.stream)).toBe(0);
    expect(err.text()).toMatch(/warning: .*local\.yaml is readable by every user and holds secrets \(password\)/);
    expect(err.text()).not.toContain('hunter2');
    chmodSync(path.join(dir, 'local.yaml'), 0o600);
    const quiet = capture();
    runCheckConfig(dir, capture().stream, quiet.stream);
    expect(quiet.text()).toBe('');
  });

  test('exits 1 and never prints a secret value, even when the value is wrong', () => {
    const dir = folder({
      'local.yaml': 'outbound:\n  smtp:\n    host: smtp.example.com\n    password: 12345\n    port: "TopSecretPort"\n',
    });
    const out = capture();
    const err = capture();
    expect(runCheckConfig(dir, out.stream, err.stream)).toBe(1);
    expect(err.text()).toMatch(/outbound\.smtp\.password/);
    expect(err.text()).toMatch(/outbound\.smtp\.port/);
    expect(err.text()).not.toContain('12345');
    expect(err.text()).not.toContain('TopSecretPort');
  });
});
