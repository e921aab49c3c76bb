import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { runCheckConfig, securityFindings } from '../../../src/cli/commands/check-config';
import { loadConfig } from '../../../src/config/load';
import type { AppConfig } from '../../../src/config/schema';
import { replySecrets, startService } from '../../../src/main';
import { createLogger } from '../../../src/lib/logger';
import { writeConfigDir } from '../../support/config-dir';

const SECRET = 'a'.repeat(64);
const capture = () => {
  const chunks: string[] = [];
  return {
    stream: { write: (c: string) => chunks.push(c) } as unknown as NodeJS.WritableStream,
    text: () => chunks.join(''),
  };
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'aduan-secret-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const load = (local: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): AppConfig =>
  loadConfig(writeConfigDir(root, local), { ...env });
const LIVE = { outbound: { mode: 'live', smtp: { host: 'smtp.example.org' } } };

describe('the reply-token secret', () => {
  test('comes from ADUAN_REPLY_SECRET, with earlier secrets from ADUAN_REPLY_SECRET_PREVIOUS (comma-separated)', () => {
    const config = load(LIVE, {
      ADUAN_REPLY_SECRET: SECRET,
      ADUAN_REPLY_SECRET_PREVIOUS: `${'b'.repeat(40)}, ${'c'.repeat(40)}`,
    });
    expect(replySecrets(config)).toEqual({ current: SECRET, previous: ['b'.repeat(40), 'c'.repeat(40)] });
  });

  test('live mode without it: start refuses before opening anything, check-config reports a problem', async () => {
    const config = load(LIVE);
    expect(() => replySecrets(config)).toThrow(/staff.replySecret is empty: set ADUAN_REPLY_SECRET/);
    await expect(startService({ config, configDir: root, log: createLogger({ level: 'silent' }) })).rejects.toThrow(
      /ADUAN_REPLY_SECRET/,
    );
    const err = capture();
    expect(runCheckConfig(path.join(root, 'config'), capture().stream, err.stream)).toBe(1);
    expect(err.text()).toContain('staff.replySecret: missing (set ADUAN_REPLY_SECRET');
    expect(err.text()).not.toContain(SECRET);
  });

  test('outbox mode (demo, dry runs) makes one up per process', () => {
    const config = load({});
    const a = replySecrets(config);
    expect(a.current).toMatch(/^[0-9a-f]{64}$/);
    expect(replySecrets(config).current).not.toBe(a.current);
  });

  test('a short secret is a configuration error', () => {
    expect(() => load(LIVE, { ADUAN_REPLY_SECRET: 'kurang-panjang' })).toThrow(
      /staff.replySecret: at least 32 characters/,
    );
  });
});

describe('check-config on sender authentication', () => {
  const account = (senderAuth: Record<string, unknown>) => ({
    channels: {
      email: {
        enabled: true,
        accounts: [{ name: 'utama', host: 'imap.gmail.com', user: 'x@gmail.com', password: 'p', senderAuth }],
      },
    },
  });

  test('review #14 H2/M4: warns about more than one trusted header and about aligned SPF', () => {
    const env = { ADUAN_REPLY_SECRET: SECRET };
    const gmail = { authservIds: ['mx.google.com'] };
    expect(securityFindings(load(account({ ...gmail, headers: 2 }), env)).warnings).toEqual([
      expect.stringMatching(/^channels.email.accounts.0.senderAuth.headers is 2: .*AuthservID/),
    ]);
    expect(securityFindings(load(account({ ...gmail, alignedSpf: true }), env)).warnings).toEqual([
      expect.stringMatching(/^channels.email.accounts.0.senderAuth.alignedSpf is true: on shared hosting/),
    ]);
  });

  test('warns about trustUnauthenticatedFrom and about an account whose server is not named', () => {
    expect(securityFindings(load(account({ authservIds: ['mx.google.com'] }), { ADUAN_REPLY_SECRET: SECRET }))).toEqual(
      { problems: [], warnings: [] },
    );
    expect(securityFindings(load(account({ trustUnauthenticatedFrom: true }))).warnings).toEqual([
      expect.stringMatching(
        /^channels.email.accounts.0.senderAuth.trustUnauthenticatedFrom is true: mail From a staff address is believed without authentication/,
      ),
    ]);
    expect(securityFindings(load(account({ authservIds: [] }))).warnings).toEqual([
      expect.stringMatching(/authservIds is empty: no sender is authenticated/),
    ]);
    const err = capture();
    writeConfigDir(root, account({ trustUnauthenticatedFrom: true }));
    expect(runCheckConfig(path.join(root, 'config'), capture().stream, err.stream)).toBe(0);
    expect(err.text()).toContain('warning: channels.email.accounts.0.senderAuth.trustUnauthenticatedFrom is true');
  });
});

describe('review #14 L4: earlier secrets are held to the same length rule', () => {
  test('a short previous secret is refused by the config, naming the key and never the value', () => {
    const env = { ADUAN_REPLY_SECRET: SECRET, ADUAN_REPLY_SECRET_PREVIOUS: `${'b'.repeat(40)},tooShortSecret` };
    const error = (() => {
      try {
        load(LIVE, env);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/staff\.replySecretPrevious: each earlier secret needs at least 32 characters/);
    expect(error?.message).not.toContain('tooShortSecret');
    const longEnough = `${'b'.repeat(40)}, ${'c'.repeat(32)}`;
    expect(() => load(LIVE, { ...env, ADUAN_REPLY_SECRET_PREVIOUS: longEnough })).not.toThrow();
  });
});

describe('review #14 L8: senderAuth survives the email account schema (strict object + refinement)', () => {
  test('every senderAuth setting is kept as configured', () => {
    const account = {
      name: 'gmail',
      host: 'imap.gmail.com',
      user: 'pengaduan',
      password: 'x',
      senderAuth: { authservIds: ['mx.google.com'], headers: 2, alignedSpf: true },
    };
    const config = load({ channels: { email: { enabled: true, accounts: [account] } } });
    expect(config.channels.email?.accounts[0]?.senderAuth).toEqual({
      authservIds: ['mx.google.com'],
      headers: 2,
      alignedSpf: true,
      trustUnauthenticatedFrom: false,
    });
  });
});
