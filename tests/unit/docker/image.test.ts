import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load';
import { defaultTrainingFile } from '../../../src/config/classifier-data';
import { dockerIgnoreFilter, parseDockerfile, type Stage } from '../../support/dockerfile';

/**
 * The image, checked without a Docker engine: what each COPY takes must be in the build context (present
 * and not excluded by .dockerignore), and the runtime stage must hold what `aduan start` reads.
 */
const ROOT = path.resolve(__dirname, '../../..');
const stages = parseDockerfile(path.join(ROOT, 'Dockerfile'));
const kept = dockerIgnoreFilter(path.join(ROOT, '.dockerignore'));
const runtime = stages[stages.length - 1]!;

/** Every file under a context path, relative to the context. */
function filesUnder(relative: string): string[] {
  const full = path.join(ROOT, relative);
  if (!statSync(full).isDirectory()) return [relative];
  return readdirSync(full).flatMap((name) => filesUnder(path.posix.join(relative, name)));
}

/** Where a path inside the image comes from: [stage name or 'context', path there], or undefined. */
function originOf(stage: Stage, imagePath: string): { from: string; path: string } | undefined {
  for (const copy of [...stage.copies].reverse()) {
    for (const source of copy.sources) {
      const target = copy.intoFolder ? path.posix.join(copy.dest, path.posix.basename(source)) : copy.dest;
      if (imagePath === target || imagePath.startsWith(`${target}/`)) {
        return { from: copy.from ?? 'context', path: path.posix.join(source, path.posix.relative(target, imagePath)) };
      }
    }
  }
  return undefined;
}

describe('Dockerfile and .dockerignore', () => {
  it('reads the .dockerignore the way Docker does for the forms used', () => {
    expect(kept('node_modules/x/index.js')).toBe(false);
    expect(kept('tests/unit/a.test.ts')).toBe(false);
    expect(kept('tests/support/dovecot.ts')).toBe(true);
    expect(kept('src/main.ts')).toBe(true);
  });

  it.each(
    stages.flatMap((stage) =>
      stage.copies.filter((c) => !c.from).flatMap((c) => c.sources.map((s) => [stage.name ?? 'runtime', s])),
    ),
  )('%s stage: COPY %s exists in the build context and no file of it is ignored', (_stage, source) => {
    expect(existsSync(path.join(ROOT, source))).toBe(true);
    const ignored = filesUnder(source).filter((file) => !kept(file));
    expect(ignored).toEqual([]);
  });

  it('copies from the build stage only what that stage makes (dist by npm ci → prepare, node_modules)', () => {
    const build = stages.find((s) => s.name === 'build')!;
    expect(build.runs.some((r) => /npm ci\b/.test(r))).toBe(true);
    for (const copy of runtime.copies.filter((c) => c.from)) {
      expect(copy.from).toBe('build');
      for (const source of copy.sources)
        expect([`${build.workdir}/dist`, `${build.workdir}/node_modules`]).toContain(source);
    }
  });

  it('holds what `aduan start` reads: the CLI, compiled code, dependencies, every config file, the training data', () => {
    const app = runtime.workdir;
    const configDir = runtime.env.ADUAN_CONFIG_DIR!;
    expect(configDir.startsWith(app)).toBe(true);
    const needed = [
      'bin/aduan.js',
      'bin/healthcheck.js',
      'package.json',
      'dist/src/cli/main.js',
      'node_modules/bullmq',
      'node_modules/better-sqlite3',
      ...readdirSync(path.join(ROOT, 'config')).map((f) => path.posix.join(path.posix.relative(app, configDir), f)),
      path.posix.join('data', 'training', path.basename(defaultTrainingFile())),
    ];
    const missing = needed.filter((file) => {
      const origin = originOf(runtime, path.posix.join(app, file));
      if (!origin) return true;
      return origin.from === 'context' ? !existsSync(path.join(ROOT, origin.path)) || !kept(origin.path) : false;
    });
    expect(missing).toEqual([]);
    // The start command runs files that are in the image.
    const script = runtime.entrypoint.find((word) => word.endsWith('.js'))!;
    expect(originOf(runtime, path.posix.join(app, script))).toBeDefined();
    expect(runtime.cmd).toEqual(['start']);
  });

  it('runs as the unprivileged user, who owns the data and outbox folders the configuration writes to', () => {
    expect(runtime.user).toBe('node');
    const config = loadConfig(path.join(ROOT, 'config'), { ...process.env });
    const chowned = runtime.runs.filter((r) => r.includes('chown')).join(' ');
    for (const dir of [config.service.dataDir, config.outbound.outboxDir]) {
      const inImage = path.posix.resolve(runtime.workdir, dir);
      expect(chowned).toMatch(new RegExp(`mkdir -p [^&]*${inImage}(\\s|$)`));
      expect(chowned).toMatch(new RegExp(`chown [^&]*node:node [^&]*${inImage}(\\s|$)`));
    }
  });

  it('checks health on the configured port, not a port written into the Dockerfile', () => {
    expect(runtime.healthcheck).toEqual(['node', 'bin/healthcheck.js']);
    expect(runtime.healthcheck!.join(' ')).not.toMatch(/\d{4}/);
  });

  it('uses a supported Node LTS line, pinned to a patch release, the same line as package.json engines', () => {
    const image = runtime.env.image!;
    const [, major] = /^node:(\d+)\.\d+\.\d+-/.exec(image) ?? [];
    expect(major).toBeDefined();
    expect(['24', '26']).toContain(major);
    const engines = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect(engines).toMatch(new RegExp(`^\\^${major}\\.`));
  });
});
