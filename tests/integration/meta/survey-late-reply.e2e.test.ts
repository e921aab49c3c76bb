import Database from 'better-sqlite3';
import path from 'node:path';
import { CHAT_PROMPT } from '../../../src/channels/shared/conversation-opener';
import type { Ticket } from '../../../src/domain/complaint';
import { answeredResolution, invitationDueAt } from '../../../src/domain/survey-invitation';
import { officeCalendar } from '../../../src/main';
import { isOptedOut } from '../../../src/survey/links';
import { waitFor } from '../../support/service-harness';
import { staffAnswer } from '../../support/staff-mail';
import { startMetaHarness, type MetaHarness } from './meta-test-env';

/**
 * "Balas 1–4" on Messenger and Instagram through the loopback fake Graph server and the real pipeline: the
 * invitation goes in chat, and the citizen's short reply comes a day or more later, when the chat opener no
 * longer counts the ticket as "just answered" and used to hold a lone "4" as chatter (never reaching the
 * survey, prompting the citizen to write a complaint). The reply must be the survey answer exactly once and
 * thanked once; "3 ya" is an answer; a 👍 stays an ack; "berhenti" opts out; a digit with no open invitation
 * goes on as before (held as chatter).
 */
jest.setTimeout(120_000);

const DAY = 24 * 3_600_000;
let h: MetaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start() {
  h = await startMetaHarness({
    config: (c) => ({
      ...c,
      survey: {
        ...c.survey,
        enabled: true,
        port: 0,
        checkEverySeconds: 3600,
        publicBaseUrl: 'https://pengaduan.example',
      },
    }),
  });
  return h;
}

/** A complaint in chat, answered by the team, its survey invitation sent in chat; then "days pass". */
async function invited(
  harness: MetaHarness,
  platform: 'messenger' | 'instagram',
  citizen: { id: string; name?: string; username?: string },
) {
  const store = harness.service.store;
  const before = harness.fake.sentTo(citizen.id).length;
  harness.fake.addInbound(platform, citizen, 'Selamat siang, KTP-el saya rusak, bagaimana cara menggantinya?');
  const ticket = await waitFor(
    async () => (await harness.tickets()).find((t) => t.complainant.platformUserId === citizen.id),
    15_000,
    'the ticket',
  );
  await waitFor(async () => harness.fake.sentTo(citizen.id).length === before + 1, 10_000, 'the initial reply');
  await harness.service.sink.submit(staffAnswer(harness, ticket, 'Silakan datang ke loket 1 membawa KTP-el lama.'), {
    channel: 'email',
  });
  const resolved = await waitFor(
    async () => {
      const t = await store.getTicket(ticket.id);
      return t?.status === 'resolved' && harness.fake.sentTo(citizen.id).length === before + 2 ? t : undefined;
    },
    15_000,
    'resolved and the answer sent',
  );
  const due = Date.parse(invitationDueAt(answeredResolution(resolved)!, 60, officeCalendar(harness.env.config)));
  await harness.service.survey!.sweepOnce(due + 60_000);
  await waitFor(async () => harness.fake.sentTo(citizen.id).length === before + 3, 15_000, 'the invitation in chat');
  expect(harness.fake.sentTo(citizen.id).at(-1)?.text).toContain('balas pesan ini dengan satu angka');
  await olderByDays(harness, ticket.id, 2);
  return ticket;
}

/** The ticket's whole life moved two days back: the invitation went two days ago (still inside its link's 14 days). */
async function olderByDays(harness: MetaHarness, ticketId: string, days: number) {
  const db = new Database(path.join(harness.env.config.service.dataDir, 'aduan.sqlite'));
  try {
    const row = db.prepare('SELECT doc FROM tickets WHERE id = ?').get(ticketId) as { doc: string };
    const ticket = JSON.parse(row.doc) as Ticket;
    for (const entry of ticket.history) entry.at = new Date(Date.parse(entry.at) - days * DAY).toISOString();
    db.prepare('UPDATE tickets SET doc = ? WHERE id = ?').run(JSON.stringify(ticket), ticketId);
  } finally {
    db.close();
  }
}

const thanks = (harness: MetaHarness, id: string) =>
  harness.fake.sentTo(id).filter((m) => m.text?.startsWith('Terima kasih, penilaian Anda sudah kami terima'));
const prompts = (harness: MetaHarness, id: string) => harness.fake.sentTo(id).filter((m) => m.text === CHAT_PROMPT);

async function onTicket(harness: MetaHarness, ticketId: string, messageId: string) {
  return waitFor(
    async () => (await harness.service.store.getTicket(ticketId))?.history.find((e) => e.ref === messageId),
    15_000,
    `message ${messageId} on the ticket`,
  );
}

test('Messenger: a "4" two days after the invitation is the answer, once, thanked once; a second "4" and a 👍 are acks', async () => {
  const harness = await start();
  const citizen = { id: '7000000000000101', name: 'Dame Simanjuntak' };
  const ticket = await invited(harness, 'messenger', citizen);
  const store = harness.service.store;

  const four = harness.fake.addInbound('messenger', citizen, '4');
  expect((await onTicket(harness, ticket.id, four.messageId)).note).toContain('jawaban survei lewat balasan: 4');
  expect((await store.getSurveyResponseOfTicket(ticket.id))?.overall).toBe(4);
  await waitFor(async () => thanks(harness, citizen.id).length === 1, 10_000, 'the thanks');

  const again = harness.fake.addInbound('messenger', citizen, '4');
  const thumbs = harness.fake.addInbound('messenger', citizen, '👍');
  expect((await onTicket(harness, ticket.id, again.messageId)).event).toBe('citizen-ack');
  expect((await onTicket(harness, ticket.id, thumbs.messageId)).event).toBe('citizen-ack');
  await harness.passCompleted('messenger');
  await new Promise((r) => setTimeout(r, 500));
  const after = (await store.getTicket(ticket.id))!;
  expect(after.status).toBe('resolved');
  expect((await store.getSurveyResponseOfTicket(ticket.id))?.overall).toBe(4);
  expect(thanks(harness, citizen.id)).toHaveLength(1);
  expect(prompts(harness, citizen.id)).toHaveLength(0);
  expect(await harness.tickets()).toHaveLength(1);
});

test('Instagram: "3 ya" is the answer; Messenger: a 👍 during the open invitation stays an ack, then "berhenti" opts out', async () => {
  const harness = await start();
  const rina = { id: '17841446739220101', username: 'rina_sitinjo' };
  const onInstagram = await invited(harness, 'instagram', rina);
  const reply = harness.fake.addInbound('instagram', rina, '3 ya');
  await onTicket(harness, onInstagram.id, reply.messageId);
  expect((await harness.service.store.getSurveyResponseOfTicket(onInstagram.id))?.overall).toBe(3);
  await waitFor(async () => thanks(harness, rina.id).length === 1, 10_000, 'the thanks on Instagram');

  const budi = { id: '7000000000000102', name: 'Budi Sihombing' };
  const ticket = await invited(harness, 'messenger', budi);
  const thumbs = harness.fake.addInbound('messenger', budi, '👍');
  expect((await onTicket(harness, ticket.id, thumbs.messageId)).event).toBe('citizen-ack');
  const stop = harness.fake.addInbound('messenger', budi, 'berhenti');
  expect((await onTicket(harness, ticket.id, stop.messageId)).note).toContain('berhenti menerima survei');
  expect(await isOptedOut(harness.service.store, 'messenger', budi.id)).toBe(true);
  expect(await harness.service.store.getSurveyResponseOfTicket(ticket.id)).toBeUndefined();
  expect((await harness.service.store.getTicket(ticket.id))?.status).toBe('resolved');
  expect(thanks(harness, budi.id)).toHaveLength(0);
  expect(prompts(harness, budi.id)).toHaveLength(0);
});

test('a "4" with no open invitation is handled as before: held as chatter in a conversation answered days ago', async () => {
  const harness = await start();
  const citizen = { id: '7000000000000103', name: 'Lamhot' };
  harness.fake.addInbound('messenger', citizen, 'Selamat pagi, bagaimana cara mengurus akta kematian?');
  const ticket = await waitFor(async () => (await harness.tickets())[0], 15_000, 'the ticket');
  await waitFor(async () => harness.fake.sentTo(citizen.id).length === 1, 10_000, 'the initial reply');
  await harness.service.sink.submit(staffAnswer(harness, ticket, 'Bawa surat keterangan kematian dari desa.'), {
    channel: 'email',
  });
  await waitFor(async () => harness.fake.sentTo(citizen.id).length === 2, 15_000, 'the answer');
  await olderByDays(harness, ticket.id, 2);
  harness.fake.addInbound('messenger', citizen, '4');
  await waitFor(async () => prompts(harness, citizen.id).length === 1, 15_000, 'the chat prompt');
  expect(await harness.service.store.getSurveyResponseOfTicket(ticket.id)).toBeUndefined();
  expect((await harness.service.store.getTicket(ticket.id))?.history.filter((e) => e.event === 'citizen-ack')).toEqual(
    [],
  );
});
