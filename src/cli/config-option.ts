/**
 * `--config DIR` (`-c DIR`, `--config=DIR`) wherever it is written, before or after the command: taken
 * out of the arguments and made every command's default. Arguments after `--` are left alone.
 */
export function extractConfigOption(argv: string[]): { argv: string[]; configDir?: string } {
  const rest: string[] = [];
  let configDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if ((arg === '--config' || arg === '-c') && i + 1 < argv.length) configDir = argv[++i];
    else if (arg.startsWith('--config=')) configDir = arg.slice('--config='.length);
    else rest.push(arg);
  }
  return { argv: rest, ...(configDir !== undefined ? { configDir } : {}) };
}
