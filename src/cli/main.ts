import path from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '../config/load';
import { CHANNEL_KEYS } from '../domain/channels';
import { TICKET_STATUSES } from '../domain/complaint';
import { loadCommandConfig } from './command-config';
import { createLogger } from '../lib/logger';
import { terminalSafeStream } from '../lib/terminal-safe';
import { runCheckConfig } from './commands/check-config';
import { runClassify } from './commands/classify';
import { runDemo } from './commands/demo';
import { runDlqList, runDlqReplay } from './commands/dlq';
import { runIntake, type IntakeOptions } from './commands/intake';
import { registerNoiseCommands } from './commands/noise';
import { registerEvaluationCommands } from './commands/evaluation';
import { registerCitizenCommands } from './commands/citizen';
import { registerSurveyCommands } from './commands/survey';
import { registerCitizenIdentityCommands } from './commands/citizen-identity';
import { runImport, type ImportOptions } from './commands/import';
import { runStart } from './commands/start';
import { runReport, type ReportOptions } from './commands/report';
import { runTicketResolve, runTicketRoute, runTicketShow } from './commands/ticket';
import { runTicketAnswer } from './commands/ticket-answer';
import { runTicketForward, type ForwardOptions } from './commands/ticket-forward';
import { runLaporIntake, runLaporPosted, type LaporIntakeOptions } from './commands/lapor';
import { runTicketList, type TicketListOptions } from './commands/ticket-list';
import { runQuarantineList, runQuarantineShow } from './commands/quarantine';
import { CommandError, requireRedis } from './command-context';
import { humanLogDestination } from './terminal-log';
import { extractConfigOption } from './config-option';
import { packageVersion } from '../lib/version';

/** Commands print stored citizen text: control characters are shown escaped, never obeyed by the terminal. */
const out = terminalSafeStream(process.stdout);
const err = terminalSafeStream(process.stderr);

/** Where a command's log lines go: readable lines at a terminal (or ADUAN_LOG_FORMAT=pretty), JSON otherwise. */
function commandLog(level = 'warn') {
  const format = process.env.ADUAN_LOG_FORMAT;
  const human = format === 'pretty' || (format !== 'json' && process.stderr.isTTY);
  return createLogger({ level, destination: human ? humanLogDestination(process.stderr) : pino.destination(2) });
}

/** `aduan <command>`; every command sets the exit code instead of exiting, so tests can call it. */
export async function main(rawArgv: string[]): Promise<void> {
  const extracted = extractConfigOption(rawArgv);
  const argv = extracted.argv;
  const defaultConfigDir = extracted.configDir ?? process.env.ADUAN_CONFIG_DIR ?? 'config';
  const configOption = (command: Command): Command =>
    command.option(
      '-c, --config <dir>',
      'configuration folder (default.yaml, local.yaml, categories.yaml); also before the command',
      defaultConfigDir,
    );
  const program = new Command('aduan')
    .description('Omnichannel complaint intake for Disdukcapil Kabupaten Dairi')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride((error) => {
      process.exitCode = error.exitCode;
      throw error;
    });

  configOption(
    program.command('start').description('run the service: channels, pipeline workers, /healthz, /readyz and /metrics'),
  ).action(async (opts: { config: string }) => {
    const config = loadConfig(opts.config);
    const pretty = process.env.ADUAN_LOG_FORMAT === 'pretty';
    const log = createLogger({
      level: config.service.logLevel,
      ...(pretty ? { destination: humanLogDestination(process.stdout) } : {}),
    });
    process.exitCode = await runStart(config, opts.config, log);
  });

  configOption(
    program
      .command('check-config')
      .description('validate the configuration; prints file, line and key of every problem'),
  )
    .option('--show-origin', 'also print every effective value and where it came from (file, env var, default)')
    .action((opts: { config: string; showOrigin?: boolean }) => {
      process.exitCode = runCheckConfig(opts.config, out, err, { showOrigin: opts.showOrigin === true });
    });

  configOption(
    program
      .command('demo')
      .description('run the real pipeline on the sample complaints; outgoing messages go to a local outbox'),
  )
    .option('--samples <dir>', 'folder of sample complaints (JSON lines)', 'samples')
    .option('--work-dir <dir>', 'folder for the demo store and outbox (wiped first)', path.join('data', 'demo'))
    .action(async (opts: { config: string; samples: string; workDir: string }) => {
      const config = loadConfig(opts.config);
      const log = commandLog();
      process.exitCode = await runDemo(
        config,
        opts.config,
        { samplesDir: opts.samples, workDir: opts.workDir, timeoutMs: 60_000 },
        log,
        out,
        err,
      );
    });

  configOption(
    program
      .command('intake')
      .description(
        'enter an offline complaint (walk-in), suggestion-box slips or an SP4N-LAPOR! report; prints the receipt',
      ),
  )
    .option(
      '--channel <channel>',
      'walk-in (a complaint at the counter; with --file: a file of walk-ins), suggestion-box or lapor',
    )
    .option('--tracking-id <id>', 'lapor: the Tracking ID of the report (e.g. 1916449)')
    .option(
      '--forwarded-at <date>',
      'lapor: when LAPOR! forwarded it to the regency (day first; the clock starts here)',
    )
    .option('--disposed-at <date>', 'lapor: when the Admin Koordinator disposed it to the office')
    .option('--submitted-at <date>', 'lapor: when the reporter filed it')
    .option('--subject <text>', 'lapor: the report title')
    .option('--rahasia', 'lapor: a confidential report (no reporter identity is kept)')
    .option('--anonim', 'lapor: an anonymous report (no reporter identity is kept)')
    .option('--slug <slug>', 'lapor: the report page slug (…/laporan/detil/<slug>)')
    .option('--queue <number>', 'queue number, e.g. A012')
    .option('--date <date>', 'day (and time) of the visit when entered later, day first: 04/12/2026 09.15')
    .option('--name <name>', "citizen's name")
    .option('--phone <phone>', "citizen's phone (08…, +62…)")
    .option('--email <email>', "citizen's email")
    .option('--nik <nik>', "citizen's NIK, if given")
    .option('--text <text>', 'the complaint, as the citizen told it')
    .option(
      '--file <file.jsonl>',
      'one JSON object per line; slips: {box?, date?, slip?, name?, phone?, text}; walk-ins (--channel walk-in): {date?, queue?, name?, phone?, email?, nik?, text}',
    )
    .option(
      '--force-new',
      'an entry whose slip or queue number another complaint already has gets a new key instead of being refused',
    )
    .option(
      '--receipt <file.html>',
      "also write the receipts as a printable HTML file (walk-ins: the survey link's QR code when the survey is on)",
    )
    .action(async (opts: IntakeOptions & LaporIntakeOptions & { config: string }) => {
      const config = loadCommandConfig(opts.config);
      const log = commandLog();
      process.exitCode =
        opts.channel === 'lapor'
          ? await runLaporIntake(config, opts.config, opts, log, out, err)
          : await runIntake(config, opts.config, opts, log, out, err);
    });

  configOption(
    program
      .command('import <channel>')
      .description('import an archive as history: old records counted, never answered (docs/importing-history.md)'),
  )
    .option(
      '--file <path>',
      'call-center: the log file (default: the configured folder); email: the folder of exported .eml files',
    )
    .option('--since <date>', 'only records from this date on (YYYY-MM-DD)')
    .action(async (channel: string, opts: ImportOptions & { config: string }) => {
      const config = loadConfig(opts.config);
      const log = createLogger({ level: 'warn', destination: pino.destination(2) });
      process.exitCode = await runImport(config, opts.config, channel, opts, log, out, err);
    });

  configOption(
    program
      .command('classify')
      .description('classify JSON lines {id, channel?, subject?, text} from stdin; or --eval a labelled file'),
  )
    .option('--eval <file>', 'labelled JSON lines (category field): print accuracy, macro-F1 and the confusion matrix')
    .action(async (opts: { config: string; eval?: string }) => {
      process.exitCode = await runClassify({
        configDir: opts.config,
        ...(opts.eval ? { evalFile: opts.eval } : {}),
        stdin: process.stdin,
        stdout: out,
        stderr: err,
      });
    });

  const ticket = program.command('ticket').description('look at, re-route or close a ticket without email access');
  configOption(
    ticket
      .command('show')
      .description('print a ticket with its history')
      .argument('<ticket>', 'ticket number: ADU-2026-000123, adu-2026-123, or 123 for this year'),
  ).action(async (number: string, opts: { config: string }) => {
    process.exitCode = await runTicketShow(loadCommandConfig(opts.config), number, out, err);
  });
  configOption(
    ticket
      .command('list')
      .description('list tickets, oldest first; filters combine (table, or --json for one JSON object a line)'),
  )
    .option('--status <status>', TICKET_STATUSES.join(', '))
    .option('--team <team>', 'team key from config (e.g. capil)')
    .option('--kind <kind>', 'kind of complaint (category key, e.g. nik-consolidation)')
    .option('--channel <channel>', CHANNEL_KEYS.join(', '))
    .option('--overdue', 'only open tickets past their due time')
    .option('--since <date>', 'received on or after this office date, YYYY-MM-DD')
    .option('--limit <n>', 'at most this many (the newest of the matching), default 200')
    .option('--json', 'one JSON object per line instead of the table')
    .action(async (opts: TicketListOptions & { config: string }) => {
      process.exitCode = await runTicketList(loadCommandConfig(opts.config), opts, out, err);
    });
  configOption(
    ticket
      .command('resolve')
      .description('mark a ticket resolved with the solution given')
      .argument('<ticket>', 'ticket number'),
  )
    .requiredOption('--note <text>', 'the solution delivered to the citizen')
    .action(async (number: string, opts: { config: string; note: string }) => {
      process.exitCode = await runTicketResolve(loadCommandConfig(opts.config), number, opts.note, out, err);
    });

  configOption(
    ticket
      .command('route')
      .description('send a ticket to another team, recording why')
      .argument('<ticket>', 'ticket number')
      .argument('<team>', 'team key from config (e.g. capil)'),
  )
    .requiredOption('--reason <text>', 'why the ticket moves (kept in its history and shown to the new team)')
    .option('--by <name>', 'who re-routes it (default: the login name)')
    .action(async (number: string, team: string, opts: { config: string; reason: string; by?: string }) => {
      const by = opts.by ?? process.env.USER;
      process.exitCode = await runTicketRoute(
        loadCommandConfig(opts.config),
        number,
        { team, reason: opts.reason, ...(by ? { by } : {}) },
        out,
        err,
      );
    });

  const answerHelp = 'answer the citizen as staff: recorded with your login name, relayed once like a mail answer';
  configOption(ticket.command('answer').description(answerHelp).argument('<ticket>', 'ticket number'))
    .option('--text <text>', 'the answer')
    .option('--file <file>', 'read the answer from a UTF-8 text file')
    .option('--attach <file>', 'a file for the citizen (repeatable; by email, else told how to get it)', collect, [])
    .option('--ask', 'the answer asks the citizen for something: the ticket waits on them (like a first line #tanya)')
    .action(
      async (
        number: string,
        opts: { config: string; text?: string; file?: string; attach: string[]; ask?: boolean },
      ) => {
        const options = {
          ...(opts.text !== undefined ? { text: opts.text } : {}),
          ...(opts.file !== undefined ? { file: opts.file } : {}),
          attach: opts.attach,
          ...(opts.ask ? { ask: true } : {}),
        };
        const config = loadCommandConfig(opts.config);
        await requireRedis(config); // the answer is relayed by the service's workers: no half-done answer
        process.exitCode = await runTicketAnswer(config, number, options, process.stdout, process.stderr);
      },
    );

  configOption(
    ticket
      .command('forward')
      .description('no wrong door: record that a complaint went to another agency, tell the citizen, close it')
      .argument('<ticket>', 'ticket number'),
  )
    .requiredOption('--to <agency>', 'the agency it goes to (e.g. "Dinas Sosial Kabupaten Dairi")')
    .option('--via <way>', 'how it is sent on (default: lapor)', 'lapor')
    .requiredOption('--reason <text>', "why it is not the office's matter (the citizen reads it)")
    .option('--operator <name>', 'who forwards it (default: the login name)')
    .action(async (number: string, opts: ForwardOptions & { config: string }) => {
      const config = loadCommandConfig(opts.config);
      await requireRedis(config); // the citizen is told by the service's workers
      process.exitCode = await runTicketForward(config, number, opts, out, err);
    });

  const lapor = program.command('lapor').description('SP4N-LAPOR! reports (docs/channel-lapor.md)');
  configOption(
    lapor
      .command('posted')
      .description('the follow-up was posted in LAPOR!: recorded with time and operator, the ticket resolved')
      .argument('<tracking-id>', 'the Tracking ID of the report'),
  )
    .option('--operator <name>', 'who posted it (default: the login name)')
    .option('--note <text>', 'a note kept with the record')
    .action(async (trackingId: string, opts: { config: string; operator?: string; note?: string }) => {
      process.exitCode = await runLaporPosted(loadCommandConfig(opts.config), trackingId, opts, out, err);
    });

  configOption(
    program
      .command('report')
      .description('recap of complaints received in a period (office dates, inclusive) as CSV or printable HTML'),
  )
    .option('--from <date>', 'first date, YYYY-MM-DD (default: first day of last month)')
    .option('--to <date>', 'last date, YYYY-MM-DD, inclusive (default: last day of last month)')
    .option('--format <format>', 'csv or html (default: html for an .html file, else csv)')
    .option('--out <file>', 'file to write (replaced atomically); - for stdout; default rekap-<from>_<to>.<format>')
    .action(async (opts: ReportOptions & { config: string }) => {
      // The data itself goes out unescaped (CSV lines end in CR LF); the summary is escaped as usual.
      const target = opts.out === '-' ? process.stdout : out;
      process.exitCode = await runReport(loadCommandConfig(opts.config), opts, target, err);
    });

  const quarantine = program
    .command('quarantine')
    .description('records that could not become tickets (invalid or unreadable), kept with the reason');
  configOption(quarantine.command('list').description('list quarantined records, newest first'))
    .option('--limit <n>', 'at most this many, default 50')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { config: string; limit?: string; json?: boolean }) => {
      process.exitCode = await runQuarantineList(loadCommandConfig(opts.config), opts, out, err);
    });
  configOption(
    quarantine
      .command('show')
      .description('print a quarantined record: reason and content')
      .argument('<id>', 'id from quarantine list'),
  ).action(async (id: string, opts: { config: string }) => {
    process.exitCode = await runQuarantineShow(loadCommandConfig(opts.config), id, out, err);
  });

  const dlq = program
    .command('dlq')
    .description('dead-letter queue: jobs that failed permanently or used up their attempts');
  configOption(dlq.command('list').description('list dead jobs with their reasons')).action(
    async (opts: { config: string }) => {
      process.exitCode = await runDlqList(loadCommandConfig(opts.config), out);
    },
  );
  configOption(
    dlq.command('replay').description('put dead jobs back on their queue').argument('[id]', 'dead-letter job id'),
  )
    .option('--all', 'replay every dead job')
    .action(async (id: string | undefined, opts: { config: string; all?: boolean }) => {
      if (!id && !opts.all) {
        err.write('give a dead-letter job id or --all\n');
        process.exitCode = 2;
        return;
      }
      process.exitCode = await runDlqReplay(
        loadCommandConfig(opts.config),
        { ...(id ? { id } : {}), ...(opts.all ? { all: true } : {}) },
        out,
      );
    });

  registerNoiseCommands(program, configOption, out, err);
  registerEvaluationCommands(program, configOption, out, err);
  registerCitizenCommands(program, configOption, out, err);
  // After the data-request commands: it adds show|link|unlink to their `citizen` command.
  registerCitizenIdentityCommands(program, configOption, out, err);
  registerSurveyCommands(program, configOption, out, err);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') {
      process.exitCode = 0;
      return;
    }
    if (code?.startsWith('commander.')) return;
    if (error instanceof CommandError) {
      err.write(`${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    err.write(`aduan: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** A repeatable option's values in order. */
function collect(value: string, all: string[]): string[] {
  return [...all, value];
}
