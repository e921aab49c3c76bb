import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { AppConfig } from '../../config/schema';
import { maskAllPersonalData } from '../../domain/personal-data';
import { officeDayStart } from '../../domain/recap';
import { isScore, type Score } from '../../domain/survey-instrument';
import { linkValidityText } from '../../domain/survey-link';
import { createTicketLink, serviceUsersKey } from '../../survey/links';
import { loadCommandConfig } from '../command-config';
import { withCommandStore } from '../command-context';

/**
 * `aduan survey users|enter|link`: what staff enter for the official SKM (the month's number of service users,
 * paper forms from the counter) and a survey link for a ticket whose citizen has no channel to receive one
 * (a walk-in: printed or read out).
 */
export function registerSurveyCommands(
  program: Command,
  configOption: (command: Command) => Command,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): void {
  const survey = program
    .command('survey')
    .description('the satisfaction survey (SKM): service users, paper forms, links');
  configOption(
    survey
      .command('users')
      .description("the month's number of service users: the Krejcie–Morgan population of the official SKM"),
  )
    .requiredOption('--period <YYYY-MM>', 'the month, e.g. 2026-11')
    .requiredOption('--count <n>', 'service users in that month')
    .action(async (opts: { period: string; count: string; config: string }) => {
      process.exitCode = await runSurveyUsers(loadCommandConfig(opts.config), opts, out, err);
    });
  configOption(survey.command('enter').description('enter a service-user survey (a paper form): source "service"'))
    .requiredOption(
      '--answers <list>',
      'one score 1–4 per element in order, "-" for unanswered, e.g. 3,3,4,-,3,3,4,3,3',
    )
    .option('--date <YYYY-MM-DD>', 'the day it was filled in (default today)')
    .option('--saran <text>', 'kritik dan saran as written')
    .action(async (opts: EnterOptions & { config: string }) => {
      process.exitCode = await runSurveyEnter(loadCommandConfig(opts.config), opts, out, err);
    });
  configOption(survey.command('link').description("a new survey link for a ticket (e.g. a walk-in's receipt)"))
    .argument('<ticket>', 'ticket number')
    .action(async (ticketNumber: string, opts: { config: string }) => {
      process.exitCode = await runSurveyLink(loadCommandConfig(opts.config), ticketNumber, out, err);
    });
}

export async function runSurveyUsers(
  config: AppConfig,
  opts: { period: string; count: string },
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.period)) {
    err.write('--period harus berbentuk YYYY-MM, misalnya 2026-11\n');
    return 2;
  }
  if (!/^\d{1,9}$/.test(opts.count)) {
    err.write('--count harus bilangan bulat 0 atau lebih\n');
    return 2;
  }
  await withCommandStore(config, (store) => store.setCursor(serviceUsersKey(opts.period), String(Number(opts.count))));
  out.write(`Pengguna layanan ${opts.period}: ${Number(opts.count)} (dipakai untuk target sampel SKM)\n`);
  return 0;
}

export interface EnterOptions {
  answers: string;
  date?: string;
  saran?: string;
}

export async function runSurveyEnter(
  config: AppConfig,
  opts: EnterOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const elements = config.survey.instrument.elements;
  const given = opts.answers.split(',').map((a) => a.trim());
  if (given.length !== elements.length) {
    err.write(
      `--answers perlu ${elements.length} nilai (satu per unsur, "-" bila tidak dijawab), bukan ${given.length}\n`,
    );
    return 2;
  }
  const answers: Record<string, Score> = {};
  for (const [i, value] of given.entries()) {
    if (value === '-') continue;
    const score = Number(value);
    if (!/^[1-4]$/.test(value) || !isScore(score)) {
      err.write(`nilai "${value}" untuk ${elements[i]!.key} tidak valid: 1, 2, 3, 4 atau -\n`);
      return 2;
    }
    answers[elements[i]!.key] = score;
  }
  if (Object.keys(answers).length === 0) {
    err.write('tidak ada unsur yang dijawab\n');
    return 2;
  }
  if (opts.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) {
    err.write('--date harus berbentuk YYYY-MM-DD\n');
    return 2;
  }
  // Noon of the office day: inside the day whatever the time zone's offset.
  const submittedAt = opts.date
    ? new Date(Date.parse(officeDayStart(opts.date, config.service.timeZone)) + 12 * 3_600_000).toISOString()
    : new Date().toISOString();
  const suggestion = opts.saran?.trim().slice(0, 2000);
  await withCommandStore(config, (store) =>
    store.submitSurvey({
      id: randomUUID(),
      source: 'service',
      via: 'staff',
      submittedAt,
      answers,
      ...(suggestion ? { suggestion: maskAllPersonalData(suggestion) } : {}),
    }),
  );
  out.write(`Survei pengguna layanan dicatat (${Object.keys(answers).length} unsur dijawab).\n`);
  return 0;
}

export async function runSurveyLink(
  config: AppConfig,
  ticketNumber: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  return withCommandStore(config, async (store) => {
    const ticket = await store.getTicketByNumber(ticketNumber.trim());
    if (!ticket) {
      err.write(`tiket ${ticketNumber} tidak ditemukan\n`);
      return 1;
    }
    if (await store.getSurveyResponseOfTicket(ticket.id)) {
      err.write(`survei tiket ${ticket.ticketNumber} sudah diisi\n`);
      return 1;
    }
    const { url, link } = await createTicketLink(store, config.survey, ticket, new Date());
    out.write(
      `Survei kepuasan tiket ${ticket.ticketNumber}: ${url}\n${linkValidityText(link, config.service.timeZone)}\n`,
    );
    return 0;
  });
}
