import type { CallCenterConfig } from './config-schema';
import type { LogKind } from './log-file';

/** `*` and `?` wildcards on a file name, case-insensitive. */
export function matchesPattern(fileName: string, pattern: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(fileName);
}

/** Which reader a file in the folder needs, or undefined when it is not a log file. */
export function logKindOf(fileName: string, files: CallCenterConfig['files']): LogKind | undefined {
  if (files.ignore.some((p) => matchesPattern(fileName, p))) return undefined;
  if (files.csv.some((p) => matchesPattern(fileName, p))) return 'csv';
  if (files.jsonl.some((p) => matchesPattern(fileName, p))) return 'jsonl';
  return undefined;
}
