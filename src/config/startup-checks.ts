import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ConfigPath } from './overlay';
import type { AppConfig } from './schema';

/**
 * What `aduan start` needs beyond a well-formed config: the transports live mode sends over, the
 * secrets of every enabled channel, and folders it can write. `check-config` and `start` both call
 * this one function, so a config that passes the check is one the service starts with. Folders are
 * only inspected, never created (check-config changes nothing).
 */

export interface StartupCheckOptions {
  /** Where a value came from (check-config knows; names the variable to set). */
  originOf?: (keyPath: ConfigPath) => string;
}

export function startupProblems(config: AppConfig, options: StartupCheckOptions = {}): string[] {
  const problems: string[] = [];
  const empty = (keyPath: ConfigPath, why: string) => {
    const origin = options.originOf?.(keyPath);
    const variable = origin && /([A-Z][A-Z0-9_]*) unset/.exec(origin)?.[1];
    const fix = variable ? `set ${variable} (or ${variable}_FILE)` : 'set it (e.g. through ${VAR} in local.yaml)';
    problems.push(`${keyPath.join('.')}: empty, but ${why}; ${fix}`);
  };

  const live = config.outbound.mode === 'live';
  if (live && !config.outbound.smtp) {
    problems.push(
      'outbound.smtp: missing, but outbound.mode is live and every mail (replies, team mail, alerts) goes out over SMTP; ' +
        'add outbound.smtp {host, port, user, password} (see the commented block in default.yaml) or use mode: outbox',
    );
  }
  if (live && !config.staff.replySecret) {
    problems.push(
      'staff.replySecret: missing (set ADUAN_REPLY_SECRET, e.g. openssl rand -hex 32); `aduan start` refuses live mode without it',
    );
  }
  const smtp = config.outbound.smtp;
  if (live && smtp?.user && !smtp.password) empty(['outbound', 'smtp', 'password'], 'outbound.smtp.user is set');

  const email = config.channels.email;
  if (email?.enabled) {
    email.accounts.forEach((account, i) => {
      if (!account.password)
        empty(
          ['channels', 'email', 'accounts', i, 'password'],
          `channels.email is enabled and logs in as ${account.user}`,
        );
    });
  }

  const folders: [ConfigPath, string | undefined][] = [
    [['service', 'dataDir'], config.service.dataDir],
    [['outbound', 'outboxDir'], config.outbound.mode === 'outbox' ? config.outbound.outboxDir : undefined],
    [['channels', 'email', 'attachments', 'folder'], email?.enabled ? email.attachments.folder : undefined],
    [
      ['channels', 'callCenter', 'folder'],
      config.channels.callCenter?.enabled ? config.channels.callCenter.folder : undefined,
    ],
  ];
  for (const [keyPath, folder] of folders) {
    const problem = folder === undefined ? undefined : folderProblem(folder);
    if (problem) problems.push(`${keyPath.join('.')}: ${problem}`);
  }
  const ca = config.redis.tlsCaFile;
  if (ca && !readable(ca)) problems.push(`redis.tlsCaFile: ${path.resolve(ca)} cannot be read`);
  return problems;
}

/** Why the service could not create or write the folder (relative: from the working directory). */
export function folderProblem(folder: string): string | undefined {
  const target = path.resolve(folder);
  let probe = target;
  while (!existsSync(probe)) probe = path.dirname(probe);
  const created = probe === target ? '' : ` cannot be created: ${probe}`;
  if (!statSync(probe).isDirectory()) return `${target}${created || ''} is a file, not a folder`;
  try {
    accessSync(probe, constants.W_OK | constants.X_OK);
  } catch {
    return `${target}${created} is not writable by this user`;
  }
  return undefined;
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
