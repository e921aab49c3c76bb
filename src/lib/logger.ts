import pino, { type DestinationStream, type Logger } from 'pino';
import { redactPersonalData } from '../domain/personal-data';

export type { Logger };

/** Keys whose values are secrets wherever they appear in a log object. */
const SECRET_PATHS = [
  'password',
  'pass',
  'token',
  'accessToken',
  'appSecret',
  'secret',
  'authorization',
  'apiKey',
  '*.password',
  '*.pass',
  '*.token',
  '*.accessToken',
  '*.appSecret',
  '*.secret',
  '*.authorization',
  '*.apiKey',
  '*.*.password',
  '*.*.token',
  '*.*.secret',
  'headers.authorization',
  'req.headers.authorization',
];

/**
 * A destination that masks NIK/KK and phone numbers in every serialized line, whatever field or
 * message they hide in (an error message quoting a complaint, a payload). Path-based redaction
 * alone would miss free text.
 */
export function scrubbingDestination(inner: DestinationStream): DestinationStream {
  return { write: (line: string) => inner.write(redactPersonalData(line)) };
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * LOG_LEVEL wins over the level a command asks for (service.logLevel, or `warn` for the commands run
 * in a terminal), so an admin can turn on debug output anywhere without editing the config.
 */
export function effectiveLevel(level: string, env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env.LOG_LEVEL?.trim().toLowerCase();
  return wanted && LEVELS.has(wanted) ? wanted : level;
}

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: effectiveLevel(options.level),
      base: { service: 'aduan' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    scrubbingDestination(options.destination ?? pino.destination({ fd: 1, sync: false })),
  );
}
