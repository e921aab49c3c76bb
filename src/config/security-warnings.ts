import { isLoopbackHost } from '../net/outbound-http';
import type { AppConfig } from './schema';
import { outboundUrls } from './transport-security';

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
      'service.healthHost is not loopback and service.monitoringToken is empty: ' +
        '/metrics and /readyz are open to the network',
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
