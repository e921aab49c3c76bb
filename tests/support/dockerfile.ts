import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Just enough of a Dockerfile and .dockerignore reader for the image checks (no Docker engine runs
 * here): stages with their WORKDIR, COPY, RUN, ENV, USER, HEALTHCHECK, ENTRYPOINT and CMD.
 */

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
  /** `COPY a b ./`: the sources go into the folder dest (rather than becoming dest). */
  intoFolder: boolean;
}

export interface Stage {
  name?: string;
  workdir: string;
  copies: Copy[];
  runs: string[];
  env: Record<string, string>;
  user?: string;
  healthcheck?: string[];
  entrypoint: string[];
  cmd: string[];
}

function jsonOrShell(text: string): string[] {
  const trimmed = text.trim();
  return trimmed.startsWith('[') ? (JSON.parse(trimmed) as string[]) : ['/bin/sh', '-c', trimmed];
}

export function parseDockerfile(file: string): Stage[] {
  // Continuation lines joined, comments dropped.
  const lines = readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const expand = (value: string) =>
    value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => args[a ?? b] ?? '');
  for (const line of lines) {
    const [, instruction = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    const stage = stages[stages.length - 1];
    switch (instruction.toUpperCase()) {
      case 'ARG': {
        const [key = '', value = ''] = rest.split('=');
        args[key] = value;
        break;
      }
      case 'FROM': {
        const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(expand(rest)) ?? [];
        stages.push({
          ...(name ? { name } : {}),
          workdir: '/',
          copies: [],
          runs: [],
          env: { image: image ?? '' },
          entrypoint: [],
          cmd: [],
        });
        break;
      }
      case 'WORKDIR':
        stage!.workdir = path.posix.resolve(stage!.workdir, rest);
        break;
      case 'COPY': {
        const words = rest.split(/\s+/);
        const flags = words.filter((w) => w.startsWith('--'));
        const paths = words.filter((w) => !w.startsWith('--'));
        const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
        const dest = paths[paths.length - 1] ?? '';
        const sources = paths.slice(0, -1);
        const intoFolder = sources.length > 1 || dest.endsWith('/') || dest === '.';
        stage!.copies.push({
          ...(from ? { from } : {}),
          sources,
          dest: path.posix.resolve(stage!.workdir, dest),
          intoFolder,
        });
        break;
      }
      case 'RUN':
        stage!.runs.push(rest);
        break;
      case 'ENV':
        for (const m of rest.matchAll(/(\w+)=(\S+)/g)) stage!.env[m[1]!] = m[2]!;
        break;
      case 'USER':
        stage!.user = rest;
        break;
      case 'HEALTHCHECK':
        stage!.healthcheck = jsonOrShell(rest.replace(/^(--\S+\s+)*CMD\s+/, ''));
        break;
      case 'ENTRYPOINT':
        stage!.entrypoint = jsonOrShell(rest);
        break;
      case 'CMD':
        stage!.cmd = jsonOrShell(rest);
        break;
    }
  }
  return stages;
}

/**
 * Whether .dockerignore leaves a path (relative to the context, `/`-separated) in the build context.
 * Patterns as Docker reads them for the simple forms used here: a path or glob (`*`, `**`) matches the
 * entry and everything under it; `!` re-includes; the last matching line wins.
 */
export function dockerIgnoreFilter(file: string): (relative: string) => boolean {
  const rules = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = path.posix.normalize((include ? line.slice(1) : line).replace(/^\/+/, '')).replace(/\/+$/, '');
      const glob = pattern
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/');
      return { include, regex: new RegExp(`^${glob}(/.*)?$`) };
    });
  return (relative) => {
    let kept = true;
    for (const rule of rules) if (rule.regex.test(relative)) kept = rule.include;
    return kept;
  };
}
