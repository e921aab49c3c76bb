import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/load';

const REPO_CONFIG = path.resolve(__dirname, '../../../config');
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** The shipped config folder in a temp dir with the given local.yaml (the only file a Docker install mounts). */
function withLocal(localYaml: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-overlay-'));
  roots.push(root);
  const dir = path.join(root, 'config');
  mkdirSync(dir);
  for (const name of ['default.yaml', 'categories.yaml', 'slang.yaml'])
    copyFileSync(path.join(REPO_CONFIG, name), path.join(dir, name));
  writeFileSync(path.join(dir, 'local.yaml'), localYaml);
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

/** 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

/** channels.perkebbas of the loaded configuration (absent only when the schema changes). */
function perkebbasOf(dir: string, env: NodeJS.ProcessEnv) {
  const perkebbas = loadConfig(dir, env).channels.perkebbas;
  if (!perkebbas) throw new Error('channels.perkebbas is missing');
  return perkebbas;
}

const portal = (body: string) =>
  ['channels:', '  perkebbas:', '    enabled: true', ...body.split('\n').map((line) => `    ${line}`), ''].join('\n');

describe('local.yaml over default.yaml', () => {
  test('a block of another kind replaces the default block: API-key auth and next-link pagination', () => {
    const local = portal(
      [
        'auth:',
        '  kind: api-key',
        '  header: X-API-Key',
        '  value: ${PORTAL_API_KEY}',
        'poll:',
        '  url: https://lapor.example.go.id/api/aduan',
        '  pagination:',
        '    kind: next-link',
        '    responsePath: links.next',
      ].join('\n'),
    );
    const perkebbas = perkebbasOf(withLocal(local), { PORTAL_API_KEY: 'k-0123456789' });
    expect(perkebbas.auth).toEqual({ kind: 'api-key', header: 'X-API-Key', value: 'k-0123456789' });
    expect(perkebbas.poll?.pagination).toEqual({ kind: 'next-link', responsePath: 'links.next' });
    // Siblings of the replaced blocks still come from default.yaml.
    expect(perkebbas.poll?.url).toBe('https://lapor.example.go.id/api/aduan');
    expect(perkebbas.poll?.incremental).toMatchObject({ kind: 'since', param: 'updated_since', overlapSeconds: 60 });
    expect(perkebbas.poll?.recordsPath).toBe('data');
    expect(perkebbas.mapping.sourceId).toBe('id');
  });

  test('a replacing block takes the schema defaults of its own kind, not the default block keys', () => {
    const local = portal(
      [
        'auth: { kind: basic, username: dairi, password: "${PORTAL_PASSWORD}" }',
        'poll:',
        '  incremental: { kind: cursor, param: cursor, responsePath: meta.next_cursor }',
        '  pagination: { kind: none }',
      ].join('\n'),
    );
    const perkebbas = perkebbasOf(withLocal(local), { PORTAL_PASSWORD: 'rahasia-sekali' });
    expect(perkebbas.auth).toEqual({ kind: 'basic', username: 'dairi', password: 'rahasia-sekali' });
    expect(perkebbas.poll?.incremental).toEqual({
      kind: 'cursor',
      param: 'cursor',
      responsePath: 'meta.next_cursor',
    });
    expect(perkebbas.poll?.pagination).toEqual({ kind: 'none' });
  });

  test('a block of the same kind, or without a kind, still merges key by key', () => {
    const local = portal(
      ['auth:', '  token: t-abcdef', 'poll:', '  pagination:', '    kind: page', '    size: 20'].join('\n'),
    );
    const perkebbas = perkebbasOf(withLocal(local), {});
    expect(perkebbas.auth).toEqual({ kind: 'bearer', token: 't-abcdef' });
    expect(perkebbas.poll?.pagination).toEqual({
      kind: 'page',
      param: 'page',
      firstPage: 1,
      sizeParam: 'per_page',
      size: 20,
    });
  });

  test('an explicit null removes an optional block, and a block with a schema default falls back to it', () => {
    const local = portal(
      [
        'auth: null',
        'poll: null',
        'webhook:',
        '  enabled: true',
        '  secret: ${PORTAL_WEBHOOK_SECRET}',
        'mapping:',
        '  subject: ~',
        '  meta: null',
      ].join('\n'),
    );
    const perkebbas = perkebbasOf(withLocal(local), { PORTAL_WEBHOOK_SECRET: 'a-secret-of-32-characters-length' });
    expect(perkebbas.poll).toBeUndefined();
    expect(perkebbas.auth).toEqual({ kind: 'none' });
    expect(perkebbas.webhook.enabled).toBe(true);
    expect(perkebbas.mapping.subject).toBeUndefined();
    expect(perkebbas.mapping.meta).toEqual({});
    expect(perkebbas.mapping.text).toBe('isi');
  });

  test('null for a required block is the schema error, at the null in local.yaml', () => {
    const local = portal('mapping: null');
    expect(problemsOf(withLocal(local))).toEqual([
      expect.stringMatching(
        new RegExp(`local\\.yaml:${lineOf(local, 'mapping')}:\\d+ channels\\.perkebbas\\.mapping: .*expected object`),
      ),
    ]);
  });

  test('without the null, the same local.yaml keeps the optional block from default.yaml', () => {
    const local = portal('webhook:\n  enabled: true\n  secret: ${PORTAL_WEBHOOK_SECRET}\n');
    const perkebbas = perkebbasOf(withLocal(local), {
      PORTAL_WEBHOOK_SECRET: 'a-secret-of-32-characters-length',
      PERKEBBAS_TOKEN: 't-abcdef',
    });
    expect(perkebbas.poll?.url).toBe('https://perkebbas.dairikab.go.id/api/pengaduan');
  });
});

describe('errors in an overlaid block point at the file and line that count', () => {
  test('a key the new kind does not know is located in local.yaml', () => {
    const local = portal('poll:\n  pagination:\n    kind: next-link\n    size: 20');
    expect(problemsOf(withLocal(local), { PERKEBBAS_TOKEN: 't-abcdef' })).toEqual([
      expect.stringMatching(
        new RegExp(
          `local\\.yaml:${lineOf(local, 'size: 20')}:9 channels\\.perkebbas\\.poll\\.pagination\\.size: unknown`,
        ),
      ),
    ]);
  });

  test('a key missing from the replacing block is not located at the default block’s key of that name', () => {
    // default.yaml's `since` block has `param`; the `cursor` block here lacks it. The problem is located at
    // the replacing block (its first line), as for any missing key.
    const local = portal(
      'poll:\n  incremental:\n    kind: cursor\n    responsePath: next\n  pagination: { kind: none }',
    );
    const lines = problemsOf(withLocal(local), { PERKEBBAS_TOKEN: 't-abcdef' });
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `local\\.yaml:${lineOf(local, 'kind: cursor')}:\\d+ channels\\.perkebbas\\.poll\\.incremental\\.param: ` +
            '.*\\(key is missing here\\)$',
        ),
      ),
    ]);
  });

  test('a wrong value in a replacing block points at that value', () => {
    const local = portal('auth:\n  kind: api-key\n  header: "X API Key"\n  value: k-0123456789');
    expect(problemsOf(withLocal(local))).toEqual([
      expect.stringMatching(
        new RegExp(
          `local\\.yaml:${lineOf(local, 'X API Key')}:\\d+ channels\\.perkebbas\\.auth\\.header: .*header name`,
        ),
      ),
    ]);
  });

  test('a problem in a block local.yaml merged into is still located in default.yaml when it comes from there', () => {
    // enabled without a token: the bearer block comes from default.yaml, the problem is reported on it.
    const local = portal('poll:\n  pagination:\n    size: 20');
    const lines = problemsOf(withLocal(local));
    expect(lines).toEqual([
      expect.stringMatching(/default\.yaml:\d+:\d+ channels\.perkebbas\.auth: bearer token is empty/),
    ]);
  });
});
