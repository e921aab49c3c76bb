import { loadSlang, loadTrainingExamples } from '../../config/classifier-data';
import { ConfigError, formatProblem, loadConfig } from '../../config/load';
import { worldReadableSecretFiles } from '../../config/secret-files';

/** Prints every problem with file, line and key path; never a value (they may be secrets). */
export function runCheckConfig(configDir: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  try {
    const config = loadConfig(configDir);
    const slang = loadSlang(configDir);
    const examples = loadTrainingExamples(configDir);
    for (const warning of worldReadableSecretFiles(configDir)) err.write(`warning: ${warning}\n`);
    out.write(
      [
        `configuration OK (${configDir})`,
        `  store: ${config.store.url ? 'MongoDB' : `SQLite in ${config.service.dataDir}`}`,
        `  outbound: ${config.outbound.mode}`,
        `  teams: ${Object.keys(config.teams).join(', ')}`,
        `  categories: ${Object.keys(config.categories).length}, slang entries: ${Object.keys(slang).length}, training examples: ${examples.length}`,
        `  channels: ${Object.entries(config.channels).filter(([, c]) => c?.enabled).map(([name]) => name).join(', ') || 'none enabled'}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      err.write(`configuration has ${error.problems.length} problem(s):\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
    } else {
      err.write(`configuration problem: ${(error as Error).message}\n`);
    }
    return 1;
  }
}
