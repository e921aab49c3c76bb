import type { Job } from 'bullmq';
import { maskIdentityNumbers, redactPersonalData } from '../../domain/personal-data';
import type { AppConfig } from '../../config/schema';
import { intakeEntryOf, listDeadLetters, replayDeadLetters } from '../../pipeline/dead-letter';
import { openQueues, type DeadLetterJob, type EffectKind } from '../../pipeline/queues';
import type { Store } from '../../store/store';
import { commandRedis, requireRedis, withCommandStore } from '../command-context';

/** `aduan dlq`: reads and replays dead jobs; needs Redis (fails fast without it), never starts workers. */
async function withQueues<T>(
  config: AppConfig,
  use: (queues: ReturnType<typeof openQueues>) => Promise<T>,
): Promise<T> {
  await requireRedis(config);
  const redis = commandRedis(config);
  const queues = openQueues(redis, config.redis.prefix, config.pipeline.attempts);
  try {
    return await use(queues);
  } finally {
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** What each effect does, in words an admin reads in the list. */
const EFFECT_WORDS: Record<EffectKind, string> = {
  respond: 'first reply to the citizen',
  route: 'ticket mail to the team',
  'follow-up': "forwarding the citizen's follow-up to the team",
  relay: 'relaying the staff answer to the citizen',
  reroute: 'ticket mail to the new team',
  remind: 'SLA reminder to the team',
  escalate: 'SLA escalation to the supervisors',
  'lapor-remind': 'LAPOR! reminder to the team and the Admin Penghubung',
  'lapor-escalate': 'LAPOR! escalation to the supervisors',
  survey: 'satisfaction survey invitation to the citizen',
  'survey-reminder': 'satisfaction survey reminder to the citizen',
  'survey-thanks': 'thanking the citizen for a survey answer given in chat',
  joined: 'telling the citizen the number of the open ticket their repeat complaint joined',
  status: "answering the citizen's status question with the status of their ticket",
  'status-not-found': "telling a status question's sender that no ticket of theirs was found",
};

export async function runDlqList(config: AppConfig, out: NodeJS.WritableStream): Promise<number> {
  const dead = await withQueues(config, listDeadLetters);
  // The store's record of dead messages outlives the queue: it is shown too (Redis may have lost the queue).
  const deadIntake = await withCommandStore(config, (store) => store.listDeadIntake(100));
  if (deadIntake.length) {
    out.write(`${deadIntake.length} message(s) marked dead in the store (newest first, at most 100):\n`);
    for (const entry of deadIntake)
      out.write(`  ${entry.channel}  ${maskIdentityNumbers(entry.sourceId)}  accepted=${entry.acceptedAt}\n`);
  }
  if (dead.length === 0) {
    out.write('dead-letter queue is empty\n');
    return 0;
  }
  const lines = await withCommandStore(config, (store) => Promise.all(dead.map((job) => describe(job, store))));
  out.write(`${dead.length} job(s) in the dead-letter queue (replay one with: aduan dlq replay <id>):\n`);
  for (const line of lines) out.write(line);
  return 0;
}

async function describe(job: Job<DeadLetterJob>, store: Store): Promise<string> {
  const d = job.data;
  let what: string;
  if ('ticketId' in d.data) {
    const ticket = await store.getTicket(d.data.ticketId);
    const number = ticket?.ticketNumber ?? `unknown ticket ${d.data.ticketId}`;
    what = `${number}: ${d.data.effects.map((e) => EFFECT_WORDS[e] ?? e).join(' + ')}`;
  } else {
    const entry = intakeEntryOf(d.queue, d.data);
    const channel = entry?.channel ?? 'unknown channel';
    const source = entry ? ` ${redactPersonalData(entry.sourceId)}` : '';
    what = `no ticket yet: turning the ${channel} message${source} into a ticket`;
  }
  const reason = maskIdentityNumbers(d.failedReason ?? 'unknown');
  return (
    `  ${job.id}\n    ${what}\n    failed ${d.failedAt} after ${d.attemptsMade} attempt(s): ${reason}\n` +
    `    (${d.queue}/${d.name})\n`
  );
}

export async function runDlqReplay(
  config: AppConfig,
  which: { id?: string; all?: boolean },
  out: NodeJS.WritableStream,
): Promise<number> {
  const { replayed, revived } = await withCommandStore(config, (store) =>
    withQueues(config, (queues) => replayDeadLetters(queues, store, which)),
  );
  if (replayed.length) out.write(`replayed ${replayed.length} job(s): ${replayed.join(', ')}\n`);
  if (revived)
    out.write(
      `${revived} message(s) marked dead in the store are pending again: the service's next reconciler pass queues them\n`,
    );
  if (!replayed.length && !revived) out.write('nothing to replay\n');
  return 0;
}
