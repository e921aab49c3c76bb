import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, formatProblem, loadConfig } from '../../../src/config/load';
import { runCheckConfig } from '../../../src/cli/commands/check-config';
import { smtpOptions } from '../../../src/outbound/smtp-transport';
import { writeConfigDir } from '../../support/config-dir';

/** The shipped config with `local` over it, as an admin would write it. */
function withLocal<T>(local: Record<string, unknown>, use: (configDir: string) => T, env: NodeJS.ProcessEnv = {}): T {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-config-'));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return use(writeConfigDir(root, local));
  } finally {
    process.env = saved;
    rmSync(root, { recursive: true, force: true });
  }
}

function problemsOf(local: Record<string, unknown>): string[] {
  return withLocal(local, (dir) => {
    try {
      loadConfig(dir, { PORTAL_TOKEN: 'portal-token', IMAP_PASS: 'imap-pass' });
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map((p) => `${p.keyPath}: ${p.message}`);
      throw error;
    }
  });
}

function checkConfig(
  local: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
): { code: number; out: string; err: string } {
  return withLocal(
    local,
    (dir) => {
      let out = '';
      let err = '';
      const code = runCheckConfig(
        dir,
        { write: (s: string) => (out += s) } as never,
        { write: (s: string) => (err += s) } as never,
      );
      return { code, out, err };
    },
    env,
  );
}

const portal = (url: string) => ({
  channels: {
    perkebbas: {
      enabled: true,
      auth: { kind: 'bearer', token: '${PORTAL_TOKEN}' },
      poll: { url },
      mapping: { sourceId: 'id', receivedAt: 'dibuat_pada', text: 'isi' },
    },
  },
});
const imapAccount = (host: string, extra: Record<string, unknown> = {}) => ({
  channels: {
    email: {
      enabled: true,
      accounts: [
        { name: 'pengaduan', host, security: 'plain', port: 143, user: 'u', password: '${IMAP_PASS}', ...extra },
      ],
    },
  },
});

describe('transport security in the configuration', () => {
  it('refuses http:// to a host that is not loopback unless outboundHttp.allowInsecureHttp', () => {
    expect(problemsOf(portal('http://perkebbas.dairikab.go.id/api/pengaduan'))).toEqual([
      expect.stringMatching(
        /^channels\.perkebbas\.poll\.url: http:\/\/ to perkebbas\.dairikab\.go\.id sends credentials .* use https:\/\/ or set outboundHttp\.allowInsecureHttp$/,
      ),
    ]);
    expect(
      problemsOf({
        ...portal('http://perkebbas.dairikab.go.id/api/pengaduan'),
        outboundHttp: { allowInsecureHttp: true },
      }),
    ).toEqual([]);
    expect(problemsOf(portal('http://127.0.0.1:9000/api/pengaduan'))).toEqual([]);
    expect(problemsOf(portal('https://perkebbas.dairikab.go.id/api/pengaduan'))).toEqual([]);
  });

  it('checks the allowlist entries and keeps placeholders out of a reply host', () => {
    expect(problemsOf({ outboundHttp: { allowedAddresses: ['10.20.0.0/16', 'intranet'] } })).toEqual([
      'outboundHttp.allowedAddresses.1: expected an IP address or CIDR range',
    ]);
    const reply = portal('https://perkebbas.dairikab.go.id/api');
    (reply.channels.perkebbas as Record<string, unknown>).reply = { url: 'https://{{to}}.example.go.id/tanggapan' };
    expect(problemsOf(reply)).toEqual([
      'channels.perkebbas.reply.url: placeholders may only fill in the path or query, never the host',
    ]);
  });

  it('refuses plain IMAP to a host that is not loopback unless allowInsecure', () => {
    expect(problemsOf(imapAccount('imap.dairikab.go.id'))).toEqual([
      'channels.email.accounts.0.security: plain IMAP (no TLS) only to a loopback host; use tls or starttls, or set allowInsecure: true',
    ]);
    expect(problemsOf(imapAccount('127.0.0.1'))).toEqual([]);
    expect(problemsOf(imapAccount('imap.dairikab.go.id', { allowInsecure: true }))).toEqual([]);
  });

  it('check-config warns about each loosened setting, without printing secrets', () => {
    const { code, err } = checkConfig(
      {
        service: { healthHost: '0.0.0.0' },
        redis: { url: 'redis://redis.internal:6379' },
        outbound: {
          mode: 'live',
          smtp: { host: 'smtp.dairikab.go.id', requireTLS: false, user: 'aduan', password: '${SMTP_PASSWORD}' },
        },
        outboundHttp: { allowInsecureHttp: true, allowedAddresses: ['10.20.0.5'] },
        ...portal('http://perkebbas.dairikab.go.id/api/pengaduan'),
        channels: {
          ...portal('http://perkebbas.dairikab.go.id/api/pengaduan').channels,
          ...imapAccount('imap.dairikab.go.id', { allowInsecure: true }).channels,
        },
      },
      {
        SMTP_PASSWORD: 'sangat-rahasia',
        PORTAL_TOKEN: 'portal-token',
        IMAP_PASS: 'imap-pass',
        ADUAN_REPLY_SECRET: 'ini-rahasia-token-balasan-yang-panjang-sekali',
      },
    );
    expect(code).toBe(0);
    const warnings = err.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      'warning: outboundHttp.allowInsecureHttp: credentials and complaints go over plain http:// to a host that is not loopback',
      'warning: outboundHttp.allowedAddresses: requests may reach these private/loopback addresses: 10.20.0.5',
      'warning: outbound.smtp.requireTLS is false: mail and the SMTP password may cross the network unencrypted',
      'warning: channels.email.accounts.0 (pengaduan): IMAP without TLS to a host that is not loopback (allowInsecure)',
      'warning: service.healthHost is not loopback and service.monitoringToken is empty: /metrics and /readyz are open to the network',
      'warning: redis.url: Redis on another host without TLS (use rediss://)',
      'warning: redis: Redis on another host without a password (set REDIS_PASSWORD or REDIS_PASSWORD_FILE)',
      'warning: channels.email.accounts.0.senderAuth.authservIds is empty: no sender is authenticated, ' +
        'so no staff answer by mail is accepted (use `aduan ticket answer`)',
    ]);
    expect(err).not.toMatch(/sangat-rahasia|portal-token/);
  });

  it('check-config has no transport warning for the shipped defaults', () => {
    const { code, err } = checkConfig({});
    expect(code).toBe(0);
    expect(err).toBe('');
  });

  it('formats a problem with file and line', () => {
    withLocal(portal('http://perkebbas.dairikab.go.id/api'), (dir) => {
      const error = (() => {
        try {
          loadConfig(dir, { PORTAL_TOKEN: 'portal-token' });
        } catch (e) {
          return e as ConfigError;
        }
        return undefined;
      })();
      expect(formatProblem(error!.problems[0]!)).toMatch(
        /local\.yaml:\d+:\d+ channels\.perkebbas\.poll\.url: http:\/\//,
      );
    });
  });
});

describe('SMTP requires TLS by default', () => {
  it.each([
    [{ host: 'smtp.gmail.com', port: 587, secure: false }, true],
    [{ host: 'smtp.dairikab.go.id', port: 25, secure: false }, true],
    [{ host: 'smtp.dairikab.go.id', port: 25, secure: false, requireTLS: false }, false],
    [{ host: 'smtp.gmail.com', port: 465, secure: true }, false],
    [{ host: '127.0.0.1', port: 2525, secure: false }, false],
    [{ host: 'localhost', port: 2525, secure: false }, false],
    [{ host: '127.0.0.1', port: 2525, secure: false, requireTLS: true }, true],
  ])('%o → requireTLS %s', (smtp, expected) => {
    expect(smtpOptions(smtp).requireTLS).toBe(expected);
  });
});
