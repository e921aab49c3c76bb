import type { AppConfig } from '../../config/schema';
import { worldReadableSecretFiles } from '../../config/secret-files';
import { startupProblems } from '../../config/startup-checks';
import type { Logger } from '../../lib/logger';
import { startService } from '../../main';

/** Runs until SIGTERM/SIGINT; then stops polling, lets in-flight jobs finish or releases them, exits. */
export async function runStart(config: AppConfig, configDir: string, log: Logger): Promise<number> {
  for (const warning of worldReadableSecretFiles(configDir)) log.warn(warning);
  // The same checks as `aduan check-config`: refuse now, not at the first job that needs the missing part.
  const problems = startupProblems(config);
  if (problems.length) {
    for (const problem of problems) log.error(problem);
    log.error(`configuration is not ready to start (${problems.length} problem(s)); see aduan check-config`);
    return 1;
  }
  const startedAt = Date.now() - process.uptime() * 1000;
  // Listen before starting: /healthz answers as soon as the service is up, and a SIGTERM sent from then on (an
  // orchestrator, a test) must get a clean shutdown, not the default kill.
  const firstSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  const service = await startService({ config, configDir, log, health: true, waitForRedis: true, startedAt });
  log.info({ channels: service.channels.map((c) => c.name), healthPort: config.service.healthPort }, 'aduan started');
  const signal = await firstSignal;
  log.info({ signal }, 'signal received');
  process.once(signal, () => process.exit(130)); // a second signal: stop now
  const deadline = setTimeout(() => {
    log.error('shutdown took longer than 9.5 s; exiting (released jobs are picked up after restart)');
    process.exit(1);
  }, 9_500);
  try {
    await service.stop();
    return 0;
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    return 1;
  } finally {
    clearTimeout(deadline);
  }
}
