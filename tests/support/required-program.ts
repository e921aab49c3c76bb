import { existsSync } from 'node:fs';
import path from 'node:path';
import { DOVECOT_BINARY } from './dovecot';

/**
 * Suites that need a program installed on the machine (Dovecot, Chromium): run when it is there, and
 * otherwise are skipped under a title that names the missing program, with a warning — never silently.
 * `.ci/run` installs both.
 */
export interface RequiredProgram {
  name: string;
  /** Where it is, if anywhere. */
  path: string | undefined;
  install: string;
}

export function findProgram(name: string, candidates: Array<string | undefined>, install: string): RequiredProgram {
  return { name, path: candidates.find((p): p is string => !!p && existsSync(p)), install };
}

export const DOVECOT = findProgram('dovecot', [DOVECOT_BINARY], 'apt-get install dovecot-imapd');
export const CHROMIUM = findProgram(
  'chromium',
  process.env.CHROMIUM_PATH !== undefined
    ? [process.env.CHROMIUM_PATH]
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  'apt-get install chromium',
);

/**
 * Called at the top of a test file that cannot run without the program: when it is missing, every suite
 * and test of that file is registered as skipped under a title naming the program, and the file's hooks
 * (which would start it) do nothing. Jest gives each test file its own globals, so nothing else changes.
 */
export function skipFileUnless(program: RequiredProgram): void {
  if (program.path) return;
  const note = ` — SKIPPED: ${program.name} is not installed (${program.install})`;
  console.warn(`${path.relative(process.cwd(), expect.getState().testPath ?? '')}${note}`);
  const { describe: suite, test: single } = globalThis;
  const g = globalThis as unknown as Record<string, unknown>;
  g.describe = (title: string, body: () => void) => suite.skip(`${title}${note}`, body);
  g.it = g.test = (title: string, body?: jest.ProvidesCallback) => single.skip(`${title}${note}`, body);
  for (const hook of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach']) g[hook] = () => undefined;
}
