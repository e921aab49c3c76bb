import { loadSlang, loadTrainingExamples } from '../../config/classifier-data';
import { ConfigError, formatProblem, loadConfigWithOrigins } from '../../config/load';
import type { AppConfig } from '../../config/schema';
import { worldReadableSecretFiles } from '../../config/secret-files';
import { insecureSettings } from '../../config/security-warnings';
import { effectiveValues, formatEffectiveValues } from '../../config/show-origin';
import { startupProblems } from '../../config/startup-checks';
import { enabledHttpSources } from '../../channels/portal/sources';

export interface CheckConfigOptions {
  /** Print every effective value with the file or variable it came from. */
  showOrigin?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * Prints every problem with file, line and key path; never a value (they may be secrets). Checks what
 * `start` checks (startupProblems), so a config that passes here is one the service starts with.
 */
export function runCheckConfig(
  configDir: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  options: CheckConfigOptions = {},
): number {
  try {
    const loaded = loadConfigWithOrigins(configDir, options.env ?? process.env);
    const { config } = loaded;
    const slang = loadSlang(configDir);
    const examples = loadTrainingExamples(configDir, undefined, config.classifier.extraExamples);
    const problems = [
      ...new Set([...securityFindings(config).problems, ...startupProblems(config, { originOf: loaded.originOf })]),
    ];
    for (const warning of worldReadableSecretFiles(configDir)) err.write(`warning: ${warning}\n`);
    for (const warning of insecureSettings(config)) err.write(`warning: ${warning}\n`);
    const security = securityFindings(config);
    for (const warning of security.warnings) err.write(`warning: ${warning}\n`);
    if (problems.length) {
      const listed = problems.map((p) => `  ${p}`).join('\n');
      err.write(`configuration has ${problems.length} problem(s):\n${listed}\n`);
      return 1;
    }
    out.write(
      [
        `configuration OK (${configDir})`,
        `  store: ${config.store.url ? 'MongoDB' : `SQLite in ${config.service.dataDir}`}`,
        `  outbound: ${config.outbound.mode}`,
        `  reply tokens: ${config.staff.replySecret ? 'secret set' : 'no secret; outbox mode makes one per process'}`,
        `  teams: ${Object.keys(config.teams).join(', ')}`,
        `  categories: ${Object.keys(config.categories).length}, slang entries: ${Object.keys(slang).length}, training examples: ${examples.length}`,
        `  channels: ${enabledChannelNames(config).join(', ') || 'none enabled'}`,
        '',
      ].join('\n'),
    );
    if (options.showOrigin)
      out.write(`effective values [origin]:\n${formatEffectiveValues(effectiveValues(loaded))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      err.write(
        `configuration has ${error.problems.length} problem(s):\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`,
      );
    } else {
      err.write(`configuration problem: ${(error as Error).message}\n`);
    }
    return 1;
  }
}

/** What makes staff answers forgeable: no token secret, or From believed without the server's word. */
export function securityFindings(config: AppConfig): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!config.staff.replySecret) {
    const what = 'staff.replySecret: missing (set ADUAN_REPLY_SECRET, e.g. openssl rand -hex 32)';
    if (config.outbound.mode === 'live') problems.push(`${what}; \`aduan start\` refuses live mode without it`);
  }
  const email = config.channels.email;
  for (const [i, account] of (email?.enabled ? email.accounts : []).entries()) {
    const at = `channels.email.accounts.${i}.senderAuth`;
    if (account.senderAuth.trustUnauthenticatedFrom) {
      warnings.push(
        `${at}.trustUnauthenticatedFrom is true: mail From a staff address is believed without authentication, ` +
          "so anyone holding a ticket's token can forge a staff answer",
      );
    } else if (account.senderAuth.authservIds.length === 0) {
      warnings.push(
        `${at}.authservIds is empty: no sender is authenticated, so no staff answer by mail is accepted ` +
          '(use `aduan ticket answer`)',
      );
    }
    if (account.senderAuth.headers > 1) {
      warnings.push(
        `${at}.headers is ${account.senderAuth.headers}: a header a sender wrote right below the server's own is ` +
          'believed for the methods the server did not report; safe only if the receiving server removes incoming ' +
          'Authentication-Results carrying its authserv-id. On a self-hosted MTA set an unguessable authserv-id ' +
          '(OpenDKIM/OpenDMARC AuthservID) and list that',
      );
    }
    if (account.senderAuth.alignedSpf) {
      warnings.push(
        `${at}.alignedSpf is true: on shared hosting every customer of the provider passes SPF for your domain ` +
          'and can forge a staff answer; use it only with sending infrastructure dedicated to the office',
      );
    }
  }
  return { problems, warnings };
}

/** Enabled channel blocks by key; the sources of `channels.http` by their own names (`http:lapor`). */
function enabledChannelNames(config: AppConfig): string[] {
  const { http, ...blocks } = config.channels;
  return [
    ...Object.entries(blocks)
      .filter(([, c]) => c?.enabled)
      .map(([name]) => name),
    ...enabledHttpSources({ http }).map((source) => `http:${source.name}`),
  ];
}
