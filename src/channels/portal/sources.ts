import type { PortalConfig } from './config-schema';

/**
 * Every HTTP JSON source the config names: the list `channels.http` and the older single block
 * `channels.perkebbas` (still read as one source, so configs written before the list keep working).
 */
export interface HttpSourceSettings {
  perkebbas?: PortalConfig | undefined;
  http?: readonly PortalConfig[] | undefined;
  /** The adapters that answer on their own channel keys (their reply transports are keyed like ours). */
  email?: { enabled: boolean } | undefined;
  meta?: { enabled: boolean } | undefined;
}

/** Channel keys whose replies belong to another adapter while it is enabled. */
function ownedElsewhere(channels: HttpSourceSettings): Map<string, string> {
  const owned = new Map<string, string>();
  if (channels.email?.enabled) owned.set('email', 'channels.email');
  if (channels.meta?.enabled) for (const key of ['messenger', 'instagram']) owned.set(key, 'channels.meta');
  return owned;
}

/** Each configured source with where it sits in the config (for error messages), enabled or not. */
export function configuredHttpSources(
  channels: HttpSourceSettings,
): { path: (string | number)[]; source: PortalConfig }[] {
  return [
    ...(channels.perkebbas ? [{ path: ['perkebbas'], source: channels.perkebbas }] : []),
    ...(channels.http ?? []).map((source, index) => ({ path: ['http', index], source })),
  ];
}

/** The enabled sources, in config order (the legacy block first). */
export function enabledHttpSources(channels: HttpSourceSettings): PortalConfig[] {
  return configuredHttpSources(channels)
    .map((entry) => entry.source)
    .filter((source) => source.enabled);
}

/**
 * The sourceId a record is stored (and deduplicated) under. Sources sharing a channel key would
 * otherwise take each other's record "42" for a duplicate; a source named like its channel key (the
 * classic Perkebbas block) keeps the bare id, so upgrading never re-imports what is stored.
 */
export function sourceKey(source: Pick<PortalConfig, 'name' | 'channel'>, id: string): string {
  // A LAPOR! Tracking ID is one national id: every source (and the CLI, and the notification mail) shares it.
  return source.name === source.channel || source.channel === 'lapor' ? id : `${source.name}:${id}`;
}

/** Problems that only show when the sources are seen together. */
export function httpSourceConflicts(channels: HttpSourceSettings): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const entries = configuredHttpSources(channels);
  const byName = new Map<string, (string | number)[]>();
  for (const { path, source } of entries) {
    const first = byName.get(source.name);
    if (first) {
      problems.push({
        path: [...path, 'name'],
        message: `another HTTP source (channels.${first.join('.')}) is also named "${source.name}"; each source needs its own name (it keys the cursor, /healthz and alerts)`,
      });
    } else byName.set(source.name, path);
  }
  const enabled = entries.filter((e) => e.source.enabled);
  const owned = ownedElsewhere(channels);
  for (const { path, source } of enabled) {
    if (!source.reply) continue;
    const owner = owned.get(source.channel);
    if (owner) {
      problems.push({
        path: [...path, 'reply'],
        message: `channel key "${source.channel}" is answered by ${owner}; a reply endpoint here would take or lose its replies (citizens' answers sent to the wrong system); give this source a channel key of its own`,
      });
      continue;
    }
    const others = enabled.filter((e) => e.source !== source && e.source.channel === source.channel);
    if (others.length) {
      problems.push({
        path: [...path, 'reply'],
        message: `a source with a reply endpoint must be the only enabled source on its channel key, or replies to records of ${others.map((o) => `"${o.source.name}"`).join(', ')} would go to this portal; give the sources different channel keys`,
      });
    }
  }
  const listeners = new Map<string, string>();
  for (const { path, source } of enabled) {
    const hook = source.webhook;
    if (!hook.enabled || hook.port === 0) continue;
    const at = `${hook.host}:${hook.port}`;
    const first = listeners.get(at);
    if (first)
      problems.push({
        path: [...path, 'webhook', 'port'],
        message: `${at} is already the webhook of "${first}"; give each source's webhook its own port`,
      });
    else listeners.set(at, source.name);
  }
  return problems;
}
