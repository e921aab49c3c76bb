import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/**
 * The installed package's version (package.json beside src/ or dist/): `aduan --version`, /healthz and
 * /readyz report it, so an operator sees which release answers.
 */
export function packageVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'aduan' && pkg.version) return (cached = pkg.version);
  }
  return (cached = 'unknown');
}
