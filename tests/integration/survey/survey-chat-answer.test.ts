import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { surveySchema } from '../../../src/config/survey-schema';
import type { ComplaintInput, Ticket } from '../../../src/domain/complaint';
import { createLogger } from '../../../src/lib/logger';
import { SurveyChatAnswers } from '../../../src/pipeline/survey-chat-answer';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { effectKey } from '../../../src/store/store';
import { isOptedOut } from '../../../src/survey/links';
import { resolvedTicket } from '../../support/survey-page';

/** Which replies answer an open invitation (the rest is left to the usual ticket life). */

let dir: string;
let store: SqliteStore;
let answers: SurveyChatAnswers;
let ticket: Ticket;
const USER = '7712345678901234';

function reply(
  text: string,
  from = USER,
  at = new Date().toISOString(),
  meta: Record<string, string> = {},
): ComplaintInput {
  return {
    channel: 'messenger',
    sourceId: `m_${Math.random().toString(36).slice(2)}`,
    threadId: 't_1',
    references: [],
    receivedAt: at,
    complainant: { platformUserId: from },
    text,
    attachments: [],
    autoReplyAllowed: true,
    meta,
  };
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-survey-chat-'));
  store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
  await store.init();
  answers = new SurveyChatAnswers({
    store,
    survey: surveySchema.parse({ enabled: true }),
    log: createLogger({ level: 'silent' }),
  });
  ticket = (
    await store.insertTicket(
      resolvedTicket({ channel: 'messenger', threadId: 't_1', complainant: { name: 'Dame', platformUserId: USER } }),
      2026,
    )
  ).ticket;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function invited(detail = 'messenger: sent m_1') {
  await store.beginEffect(effectKey(ticket.id, 'survey'), ticket.id, 'survey', 60_000);
  await store.completeEffect(effectKey(ticket.id, 'survey'), detail);
  ticket = (await store.getTicket(ticket.id))!;
}

test('no invitation, or one that was not sent: not an answer', async () => {
  expect(await answers.take(ticket, reply('4'))).toBeUndefined();
  await invited('not sent: di luar jendela');
  expect(await answers.take(ticket, reply('4'))).toBeUndefined();
});

test('from another contact, not a quick answer, or after the link expired: not an answer', async () => {
  await invited();
  expect(await answers.take(ticket, reply('4', '9999999999'))).toBeUndefined();
  expect(await answers.take(ticket, reply('4 orang antri'))).toBeUndefined();
  const later = new Date(Date.now() + 15 * 24 * 3_600_000).toISOString();
  expect(await answers.take(ticket, reply('4', USER, later))).toBeUndefined();
  expect(await store.getSurveyResponseOfTicket(ticket.id)).toBeUndefined();
});

test('the invited contact answers once; a second digit is left to the usual ticket life; "berhenti" opts out', async () => {
  await invited();
  expect(await answers.take(ticket, reply('x', USER, undefined, { buttonId: 'skm:overall:3' }))).toEqual({
    attached: true,
    thank: true,
  });
  expect((await store.getSurveyResponseOfTicket(ticket.id))?.overall).toBe(3);
  expect(await answers.take(ticket, reply('1'))).toBeUndefined();
  expect(await answers.take(ticket, reply('berhenti'))).toBeUndefined(); // answered already: nothing open
  const other = (
    await store.insertTicket(
      resolvedTicket({ channel: 'messenger', threadId: 't_2', complainant: { platformUserId: USER } }),
      2026,
    )
  ).ticket;
  ticket = other;
  await invited();
  expect(await answers.take(ticket, reply('Berhenti'))).toEqual({ attached: true, thank: false });
  expect(await isOptedOut(store, 'messenger', USER)).toBe(true);
  expect(await store.getSurveyResponseOfTicket(other.id)).toBeUndefined();
});
