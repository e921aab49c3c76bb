import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, loadConfigWithOrigins } from '../../../src/config/load';
import { effectiveValues, formatEffectiveValues } from '../../../src/config/show-origin';
import { effectiveLevel } from '../../../src/lib/logger';
import { writeConfigDir } from '../../support/config-dir';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'aduan-env-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const dir = (local: Record<string, unknown> = {}) => writeConfigDir(root, local);

function problemsOf(env: NodeJS.ProcessEnv, local: Record<string, unknown> = {}): string[] {
  try {
    loadConfig(dir(local), env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n').slice(1);
    throw error;
  }
  return [];
}

describe('ADUAN__… environment overrides', () => {
  test('any key, double underscore for nesting, names matched to the schema without regard to case', () => {
    const config = loadConfig(dir(), {
      ADUAN__PIPELINE__ATTEMPTS: '5',
      ADUAN__PIPELINE__POISON__BUDGETMS: '2500',
      ADUAN__SLA__TIMERS: 'false',
      ADUAN__ROUTING__MINCONFIDENCE: '0.6',
      ADUAN__OUTBOUND__MODE: 'live',
      ADUAN__OUTBOUND__SMTP__HOST: 'smtp.example.org',
      ADUAN__TEAMS__CAPIL__NAME: 'Bidang Capil',
      ADUAN__CHANNELS__PERKEBBAS__POLL__INTERVALMS: '30000',
    });
    expect(config.pipeline.attempts).toBe(5);
    expect(config.pipeline.poison.budgetMs).toBe(2500);
    expect(config.sla.timers).toBe(false);
    expect(config.routing.minConfidence).toBe(0.6);
    expect(config.outbound.mode).toBe('live');
    // A block given only its host: the rest comes from the schema's defaults.
    expect(config.outbound.smtp).toMatchObject({ host: 'smtp.example.org', port: 587 });
    expect(config.teams.capil!.name).toBe('Bidang Capil');
    expect(config.teams.capil!.emails).toEqual(['capil@disdukcapil.dairikab.go.id']);
    expect(config.channels.perkebbas!.poll!.intervalMs).toBe(30000);
  });

  test('they win over default.yaml, local.yaml and ${VAR} in the files', () => {
    const config = loadConfig(dir({ pipeline: { attempts: 3 }, redis: { prefix: 'lokal' } }), {
      ADUAN__PIPELINE__ATTEMPTS: '9',
      ADUAN__REDIS__URL: 'redis://10.0.0.5:6379',
      REDIS_URL: 'redis://ignored:6379',
    });
    expect(config.pipeline.attempts).toBe(9);
    expect(config.redis.prefix).toBe('lokal');
    expect(config.redis.url).toBe('redis://10.0.0.5:6379');
  });

  test('text keys keep the text as written (no YAML reading of 123, yes or 08:00)', () => {
    const config = loadConfig(dir(), { ADUAN__REDIS__PREFIX: '123', ADUAN__OUTBOUND__FROMNAME: 'yes' });
    expect(config.redis.prefix).toBe('123');
    expect(config.outbound.fromName).toBe('yes');
  });

  test('ADUAN__…_FILE reads the value from a file (Docker/Kubernetes secrets)', () => {
    const secret = path.join(root, 'smtp-password');
    writeFileSync(secret, 'rahasia-smtp\n');
    const config = loadConfig(dir({ outbound: { smtp: { host: 'smtp.example.org', user: 'u' } } }), {
      ADUAN__OUTBOUND__SMTP__PASSWORD_FILE: secret,
    });
    expect(config.outbound.smtp!.password).toBe('rahasia-smtp');
    expect(problemsOf({ ADUAN__OUTBOUND__SMTP__PASSWORD_FILE: path.join(root, 'none') })).toEqual([
      'environment variable ADUAN__OUTBOUND__SMTP__PASSWORD_FILE: names a file that cannot be read (ENOENT)',
    ]);
  });

  test('LOG_LEVEL sets service.logLevel and every logger', () => {
    expect(loadConfig(dir(), { LOG_LEVEL: 'DEBUG' }).service.logLevel).toBe('debug');
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual([
      expect.stringMatching(/^environment variable LOG_LEVEL service\.logLevel: Invalid option/),
    ]);
    expect(effectiveLevel('warn', { LOG_LEVEL: 'debug' })).toBe('debug');
    expect(effectiveLevel('warn', { LOG_LEVEL: 'loud' })).toBe('warn');
    expect(effectiveLevel('warn', {})).toBe('warn');
  });

  test('unknown keys, lists, blocks and bad values are clear errors naming the variable', () => {
    expect(
      problemsOf({
        ADUAN__PIPELINE__ATTEMTPS: '5',
        ADUAN__ALERTS__ADMINEMAILS: 'a@b.id',
        ADUAN__CHANNELS__EMAIL__ACCOUNTS__0__PASSWORD: 'x',
        ADUAN__TEAMS: 'x',
        ADUAN__PIPELINE__ATTEMPTS__MAX: '1',
        ADUAN__SERVICE____LOGLEVEL: 'debug',
      }),
    ).toEqual([
      'environment variable ADUAN__ALERTS__ADMINEMAILS: alerts.adminEmails is a list; lists cannot be set from the environment, use local.yaml',
      'environment variable ADUAN__CHANNELS__EMAIL__ACCOUNTS__0__PASSWORD: channels.email.accounts is a list; lists cannot be set from the environment, use local.yaml',
      'environment variable ADUAN__PIPELINE__ATTEMPTS__MAX: pipeline.attempts is a single value; it has no key "max"',
      'environment variable ADUAN__PIPELINE__ATTEMTPS: unknown key "pipeline.attemtps"',
      'environment variable ADUAN__SERVICE____LOGLEVEL: empty key between double underscores',
      'environment variable ADUAN__TEAMS: teams is a block of keys; set its keys one by one (teams.<key>)',
    ]);
    // Validated by the same schema as the files, located at the variable.
    expect(problemsOf({ ADUAN__PIPELINE__ATTEMPTS: 'lima', ADUAN__SLA__REMINDERATSHARE: '[1]' })).toEqual([
      'environment variable ADUAN__SLA__REMINDERATSHARE: expects a single value; lists and blocks go in local.yaml',
      expect.stringMatching(/^environment variable ADUAN__PIPELINE__ATTEMPTS pipeline\.attempts: .*expected number/),
    ]);
  });

  test('variables without the double underscore are not config keys', () => {
    expect(loadConfig(dir(), { ADUAN_CONFIG_DIR: '/etc/aduan', ADUAN_PIPELINE_ATTEMPTS: '2' }).pipeline.attempts).toBe(
      8,
    );
  });
});

describe('where each effective value came from', () => {
  test('default.yaml, local.yaml, ${VAR} (set, *_FILE or fallback), an override, or the schema', () => {
    const tokenFile = path.join(root, 'token');
    writeFileSync(tokenFile, 'tok-dari-berkas\n');
    const loaded = loadConfigWithOrigins(dir({ pipeline: { attempts: 3 } }), {
      REDIS_URL: 'redis://u:pw@127.0.0.1:6379',
      META_PAGE_ACCESS_TOKEN_FILE: tokenFile,
      ADUAN__SLA__CHECKEVERYSECONDS: '10',
    });
    expect(loaded.originOf(['pipeline', 'attempts'])).toBe('local.yaml');
    expect(loaded.originOf(['pipeline', 'backoffMs'])).toBe('default.yaml');
    expect(loaded.originOf(['pipeline', 'reconcileIntervalMs'])).toBe('schema default');
    expect(loaded.originOf(['redis', 'url'])).toBe('env REDIS_URL (in default.yaml)');
    expect(loaded.originOf(['channels', 'meta', 'pageAccessToken'])).toBe(
      'META_PAGE_ACCESS_TOKEN_FILE (in default.yaml)',
    );
    expect(loaded.originOf(['redis', 'password'])).toBe('REDIS_PASSWORD unset, fallback (in default.yaml)');
    expect(loaded.originOf(['sla', 'checkEverySeconds'])).toBe('env ADUAN__SLA__CHECKEVERYSECONDS');
    expect(loaded.originOf(['categories', 'nik-consolidation', 'team'])).toBe('categories.yaml');

    const printed = formatEffectiveValues(effectiveValues(loaded));
    expect(printed).toMatch(/ pipeline\.attempts = 3 +\[local\.yaml\]/);
    expect(printed).toMatch(/ sla\.checkEverySeconds = 10 +\[env ADUAN__SLA__CHECKEVERYSECONDS\]/);
    expect(printed).toMatch(/ channels\.meta\.pageAccessToken = \(set, hidden\) +\[META_PAGE_ACCESS_TOKEN_FILE/);
    expect(printed).toMatch(/ redis\.url = "redis:\/\/u:\*\*\*@127\.0\.0\.1:6379"/);
    expect(printed).toMatch(/ channels\.email\.accounts\.0\.password = \(empty\)/);
    expect(printed).not.toContain('tok-dari-berkas');
    expect(printed).not.toContain(':pw@');
  });

  test('a block local.yaml replaced (another kind) no longer counts as from default.yaml', () => {
    const loaded = loadConfigWithOrigins(
      dir({ channels: { perkebbas: { auth: { kind: 'api-key', header: 'X-Key', value: 'k' } } } }),
      {},
    );
    expect(loaded.originOf(['channels', 'perkebbas', 'auth', 'kind'])).toBe('local.yaml');
    expect(loaded.originOf(['channels', 'perkebbas', 'auth', 'token'])).toBe('schema default');
  });
});
