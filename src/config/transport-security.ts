import { insecureSchemeProblem, type OutboundHttpSettings } from '../net/outbound-http';

/**
 * The security of the connections the configuration asks for: errors (the schema refuses the
 * config) and warnings (`check-config` prints them) about settings an admin chose to loosen.
 */

type Path = (string | number)[];

interface Enabled {
  enabled: boolean;
}

type HttpSourceUrls = Enabled & { poll?: { url: string } | undefined; reply?: { url: string } | undefined };

/** The parts of the config that name outbound URLs (AppConfig fits; no import of the schema, which calls this). */
export interface OutboundUrlSettings {
  channels: {
    perkebbas?: HttpSourceUrls | undefined;
    http?: readonly HttpSourceUrls[] | undefined;
    callCenter?: (Enabled & { gateway?: { url: string } | undefined }) | undefined;
    meta?: (Enabled & { graphBaseUrl: string }) | undefined;
    whatsapp?: (Enabled & { graphBaseUrl: string }) | undefined;
  };
  outboundHttp: OutboundHttpSettings;
}

/** The outbound HTTP URLs of enabled channels, with where they sit in the config. */
export function outboundUrls(config: OutboundUrlSettings): { path: Path; url: string }[] {
  const { perkebbas, http, callCenter, meta, whatsapp } = config.channels;
  const gateway = callCenter?.enabled ? callCenter.gateway : undefined;
  const sources: { path: Path; source: HttpSourceUrls | undefined }[] = [
    { path: ['channels', 'perkebbas'], source: perkebbas },
    ...(http ?? []).map((source, index) => ({ path: ['channels', 'http', index], source })),
  ];
  const candidates: { path: Path; url: string | undefined }[] = [
    ...sources.flatMap(({ path, source }) => {
      const on = source?.enabled ? source : undefined;
      return [
        { path: [...path, 'poll', 'url'], url: on?.poll?.url },
        { path: [...path, 'reply', 'url'], url: on?.reply?.url },
      ];
    }),
    { path: ['channels', 'callCenter', 'gateway', 'url'], url: gateway?.url },
    { path: ['channels', 'meta', 'graphBaseUrl'], url: meta?.enabled ? meta.graphBaseUrl : undefined },
    { path: ['channels', 'whatsapp', 'graphBaseUrl'], url: whatsapp?.enabled ? whatsapp.graphBaseUrl : undefined },
  ];
  return candidates.filter((c): c is { path: Path; url: string } => c.url !== undefined);
}

/** http:// to a host that is not loopback, without outboundHttp.allowInsecureHttp; a host made of placeholders. */
export function insecureUrlProblems(config: OutboundUrlSettings): { path: Path; message: string }[] {
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
