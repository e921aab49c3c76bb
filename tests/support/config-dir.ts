import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

/** The repository root, also when this file runs compiled from dist/tests/support (bench scripts). */
const REPO = [path.resolve(__dirname, '../..'), path.resolve(__dirname, '../../..')].find((dir) =>
  existsSync(path.join(dir, 'config', 'default.yaml')),
)!;

/**
 * A copy of the shipped config folder (and the training examples it expects beside it) under `root`,
 * with `local.yaml` holding the test's overrides: what an admin would do on a real install.
 */
export function writeConfigDir(root: string, local: Record<string, unknown>): string {
  const configDir = path.join(root, 'config');
  mkdirSync(configDir, { recursive: true });
  for (const file of ['default.yaml', 'categories.yaml', 'slang.yaml'])
    cpSync(path.join(REPO, 'config', file), path.join(configDir, file));
  cpSync(path.join(REPO, 'data', 'training'), path.join(root, 'data', 'training'), { recursive: true });
  writeFileSync(path.join(configDir, 'local.yaml'), stringify(local));
  return configDir;
}

export const CLI = path.join(REPO, 'bin', 'aduan.js');
