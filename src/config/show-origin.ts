import type { LoadedConfig } from './load';
import type { ConfigPath } from './overlay';

/**
 * `check-config --show-origin`: every effective value with where it came from. Secrets (passwords,
 * tokens, API key values, credentials inside URLs) are never printed, only whether they are set.
 */

const SECRET_KEY = /(password|pass|token|secret|apikey|api_key|accesstoken|appsecret|secretprevious)$/i;

export interface EffectiveValue {
  key: string;
  value: string;
  origin: string;
}

export function effectiveValues(loaded: LoadedConfig): EffectiveValue[] {
  const values: EffectiveValue[] = [];
  const walk = (value: unknown, at: ConfigPath) => {
    if (isBlock(value) && Object.keys(value).length > 0) {
      for (const [key, item] of Object.entries(value)) walk(item, [...at, key]);
      return;
    }
    if (Array.isArray(value) && value.some(isBlock)) {
      value.forEach((item, index) => walk(item, [...at, index]));
      return;
    }
    values.push({ key: at.join('.'), value: shown(value, at), origin: loaded.originOf(at) });
  };
  walk(loaded.config, []);
  return values;
}

export function formatEffectiveValues(values: EffectiveValue[]): string {
  const width = Math.min(60, Math.max(...values.map((v) => v.key.length + v.value.length + 3)));
  return values.map(({ key, value, origin }) => `  ${`${key} = ${value}`.padEnd(width)}  [${origin}]`).join('\n');
}

function shown(value: unknown, at: ConfigPath): string {
  const key = String(at[at.length - 1] ?? '');
  const parent = String(at[at.length - 2] ?? '');
  const secret = SECRET_KEY.test(key) || (parent === 'auth' && key === 'value');
  if (secret) return value === '' || value === undefined ? '(empty)' : '(set, hidden)';
  if (typeof value === 'string') return JSON.stringify(withoutCredentials(value));
  return JSON.stringify(value) ?? '(none)';
}

/** Query parameters that carry a credential (`?access_token=…`, `&api_key=…`, `&sig=…`). */
const SECRET_PARAM =
  /([?&](?:[\w.-]*(?:token|secret|password|passwd|apikey|api_key|api-key|key|sig|signature)))=[^&#]*/gi;

/** redis://user:pass@host → redis://user:***@host; https://h/x?access_token=abc → https://h/x?access_token=*** */
function withoutCredentials(text: string): string {
  const userinfo = text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(userinfo) ? userinfo.replace(SECRET_PARAM, '$1=***') : userinfo;
}

function isBlock(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
