import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One copy each of the libraries whose duplicates cost memory and behave differently side by side:
 * nodemailer (mailparser used to bring its own older one; package.json `overrides` pins it to ours) and
 * ioredis (BullMQ must share the client the service configures).
 */
const lock = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean }>;
};

function copiesOf(name: string): Array<{ at: string; version?: string }> {
  return Object.entries(lock.packages)
    .filter(([at]) => at === `node_modules/${name}` || at.endsWith(`/node_modules/${name}`))
    .map(([at, entry]) => ({ at, ...(entry.version ? { version: entry.version } : {}) }));
}

describe('package-lock.json', () => {
  it.each(['nodemailer', 'ioredis'])('holds exactly one %s', (name) => {
    const copies = copiesOf(name);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.at).toBe(`node_modules/${name}`);
  });

  it('pins what package.json asks for', () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of ['nodemailer', 'ioredis', 'bullmq', 'better-sqlite3', 'mailparser']) {
      expect(lock.packages[`node_modules/${name}`]?.version).toBe(manifest.dependencies[name]);
    }
  });
});
