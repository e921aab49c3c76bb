import { insecureSchemeProblem, isLoopbackHost } from '../net/outbound-http';
import type { AppConfig } from './schema';

/**
 * The security of the connections the configuration asks for: errors (the schema refuses the
 * config) and warnings (`check-config` prints them) about settings an admin chose to loosen.
 */

type Path = (string | number)[];

/** The outbound HTTP URLs of enabled channels, with where they sit in the config. */
function outboundUrls(config: AppConfig): { path: Path; url: string }[] {
  const { perkebbas, callCenter, meta } = config.channels;
  const portal = perkebbas?.enabled ? perkebbas : undefined;
  const gateway = callCenter?.enabled ? callCenter.gateway : undefined;
  const candidates: { path: Path; url: string | undefined }[] = [
    { path: ['channels', 'perkebbas', 'poll', 'url'], url: portal?.poll?.url },
    { path: ['channels', 'perkebbas', 'reply', 'url'], url: portal?.reply?.url },
    { path: ['channels', 'callCenter', 'gateway', 'url'], url: gateway?.url },
    { path: ['channels', 'meta', 'graphBaseUrl'], url: meta?.enabled ? meta.graphBaseUrl : undefined },
  ];
  return candidates.filter((c): c is { path: Path; url: string } => c.url !== undefined);
}

/** http:// to a host that is not loopback, without outboundHttp.allowInsecureHttp; a host made of placeholders. */
export function insecureUrlProblems(config: AppConfig): { path: Path; message: string }[] {
  const problems: { path: Path; message: string }[] = [];
  for (const { path, url } of outboundUrls(config)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      problems.push({ path, message: 'not a valid URL (placeholders may only fill in the path or query)' });
      continue;
    }
    if (parsed.host.includes('%7B') || parsed.host.includes('{')) {
      problems.push({ path, message: 'placeholders may only fill in the path or query, never the host' });
      continue;
    }
    const problem = insecureSchemeProblem(parsed, config.outboundHttp);
    if (problem) problems.push({ path, message: problem });
  }
  return problems;
}

/** Settings that work but weaken the service's defences; `check-config` prints each as a warning. */
export function insecureSettings(config: AppConfig): string[] {
  const warnings: string[] = [];
  const { allowInsecureHttp, allowedAddresses } = config.outboundHttp;
  const plainRemote = outboundUrls(config).some(({ url }) => url.startsWith('http://') && !isLoopbackHost(hostOf(url)));
  if (allowInsecureHttp && plainRemote) {
    warnings.push(
      'outboundHttp.allowInsecureHttp: credentials and complaints go over plain http:// to a host that is not loopback',
    );
  }
  if (allowedAddresses.length > 0) {
    const listed = allowedAddresses.join(', ');
    warnings.push(`outboundHttp.allowedAddresses: requests may reach these private/loopback addresses: ${listed}`);
  }
  const smtp = config.outbound.smtp;
  const smtpInClear = smtp && !smtp.secure && smtp.requireTLS === false && !isLoopbackHost(smtp.host);
  if (config.outbound.mode === 'live' && smtpInClear) {
    warnings.push('outbound.smtp.requireTLS is false: mail and the SMTP password may cross the network unencrypted');
  }
  if (config.channels.email?.enabled) {
    for (const [i, account] of config.channels.email.accounts.entries()) {
      if (account.security === 'plain' && !isLoopbackHost(account.host)) {
        const where = `channels.email.accounts.${i} (${account.name})`;
        warnings.push(`${where}: IMAP without TLS to a host that is not loopback (allowInsecure)`);
      }
    }
  }
  const { healthPort, healthHost, monitoringToken } = config.service;
  if (healthPort > 0 && !isLoopbackHost(healthHost) && !monitoringToken) {
    warnings.push(
      'service.healthHost is not loopback and service.monitoringToken is empty: '
        + '/metrics and the detailed /healthz are open to the network',
    );
  }
  const redisHost = hostOf(config.redis.url);
  if (!isLoopbackHost(redisHost)) {
    if (!config.redis.url.startsWith('rediss://')) {
      warnings.push('redis.url: Redis on another host without TLS (use rediss://)');
    }
    const passwordInUrl = /^rediss?:\/\/[^@/]*:[^@/]+@/.test(config.redis.url);
    if (!config.redis.password && !passwordInUrl) {
      warnings.push('redis: Redis on another host without a password (set REDIS_PASSWORD or REDIS_PASSWORD_FILE)');
    }
  }
  return warnings;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
