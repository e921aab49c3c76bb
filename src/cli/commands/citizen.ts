import type { Command } from 'commander';
import { loadCommandConfig } from '../command-config';
import {
  runCitizenErase,
  runCitizenExport,
  runCitizenRequests,
  runCitizenRestrict,
  type EraseOptions,
  type ExportOptions,
  type RequestListOptions,
  type RestrictOptions,
} from './citizen-requests';
import { SUBJECT_OPTION_HELP } from './citizen-subject';

/** `aduan citizen …`: data-subject requests under UU No. 27/2022 (docs/privacy.md). */
export function registerCitizenCommands(
  program: Command,
  configOption: (command: Command) => Command,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): void {
  const citizen = program
    .command('citizen')
    .description("a citizen's personal data (UU PDP): export, erase, restrict; requests and their deadlines");
  const request = (command: Command): Command => {
    for (const [flags, help] of SUBJECT_OPTION_HELP) command.option(flags, help);
    return configOption(command)
      .option(
        '--received-at <time>',
        'when the request reached the office (ISO time; default now): the 72 h count from it',
      )
      .option('--operator <name>', 'who answers the request (default: the OS user)');
  };
  request(citizen.command('export').description('everything held about the citizen, as JSON, UNMASKED'))
    .option('--verified-by <how>', 'how the identity of the person asking was checked (required)')
    .option('--out <file>', 'write to this new file (owner-only) instead of standard output')
    .action(async (opts: ExportOptions & { config: string }) => {
      process.exitCode = await runCitizenExport(loadCommandConfig(opts.config), opts, out, err);
    });
  request(citizen.command('erase').description("anonymize the citizen's tickets now and delete their files"))
    .option('--reason <text>', 'why (required): the request, its letter or message')
    .option('--force', 'also when a ticket is still open')
    .action(async (opts: EraseOptions & { config: string }) => {
      process.exitCode = await runCitizenErase(loadCommandConfig(opts.config), opts, out, err);
    });
  request(citizen.command('restrict').description('stop automatic messages to the citizen (team mail still flows)'))
    .option('--lift', 'lift the restriction')
    .option('--reason <text>', 'why')
    .action(async (opts: RestrictOptions & { config: string }) => {
      process.exitCode = await runCitizenRestrict(loadCommandConfig(opts.config), opts, out);
    });
  configOption(citizen.command('requests').description('data-subject requests with their deadlines, newest first'))
    .option('--open', 'only those still open')
    .option('--json', 'one JSON object per line')
    .action(async (opts: RequestListOptions & { config: string }) => {
      process.exitCode = await runCitizenRequests(loadCommandConfig(opts.config), opts, out);
    });
}
