import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder of the installed aduan package (where package.json says `"name": "aduan"`), found from
 * this file upwards: src/config when run from source, dist/src/config when compiled. What ships with
 * the code (the training examples) is found here, wherever the config folder is mounted.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && isAduan(manifest)) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no aduan package.json above ${from}`);
  }
}

function isAduan(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'aduan';
  } catch {
    return false;
  }
}
