import { ConfigError, loadConfig } from '../config/load';
import type { AppConfig } from '../config/schema';

/** Where a command other than `start` never reads a value: what the running service uses to connect out. */
const SERVICE_ONLY = /^(channels|outbound\.smtp)\./;
const UNSET = /^environment variable ([A-Z0-9_]+) is not set/;

/**
 * The configuration for a command that only reads or writes the store and queues work (ticket, report,
 * quarantine, dlq, intake): a channel's or the SMTP server's secret is the service's business, so one
 * missing from this shell (`${IMAP_PASSWORD}` in local.yaml) does not stop staff from reading a ticket.
 * Every other problem is reported as `start` would report it.
 */
export function loadCommandConfig(configDir: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(configDir, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const unset = new Map<string, string>();
    for (const p of error.problems) {
      const name = SERVICE_ONLY.test(p.keyPath) ? UNSET.exec(p.message)?.[1] : undefined;
      if (name) unset.set(p.keyPath, name);
    }
    // A key left unset may also fail its own rule ("required when … is enabled"): one problem, not two.
    if (unset.size === 0 || error.problems.some((p) => !unset.has(p.keyPath))) throw error;
    const standIns = Object.fromEntries(
      [...unset.values()].map((name) => [name, `unset-${name}-not-needed-by-this-command`]),
    );
    return loadConfig(configDir, { ...env, ...standIns });
  }
}
