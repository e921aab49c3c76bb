import type { Ticket } from '../../../src/domain/complaint';
import { officeCalendar } from '../../../src/main';
import { parseTarget } from '../../../src/domain/target';
import { reopenedDueAt } from '../../../src/domain/ticket-life';
import { type DovecotUser } from '../../support/dovecot';
import { waitFor } from '../../support/service-harness';
import { type ReceivedMail } from '../../support/smtp-sink';
import { authResults, teamMessageId, teamReplyAddress } from '../../support/staff-mail';
import {
  append,
  citizenMail,
  imapSession,
  mailTestEnv,
  OUR_DOMAIN,
  startWithEmail,
  ticketsOf,
  useMailServers,
} from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/**
 * Issue #16 item 10 through the real mailbox (Dovecot), SMTP and pipeline: a staff answer marked #tanya
 * asks the citizen and the ticket waits; the citizen's reply returns it to the team; the next answer
 * resolves it; a thanks is only recorded; a new question within the reopen window reopens it (no new
 * ticket, no new initial response, the team mail says "Dibuka kembali"); after the window a message is a
 * new ticket. The window is 120 s here and the last mail is dated 10 minutes ahead.
 */

jest.setTimeout(120_000);

const CITIZEN = 'rosmawati.sinaga@gmail.com';
const WINDOW_SECONDS = 120;

const servers = useMailServers();

const toCitizen = (purpose: string) => (m: ReceivedMail) =>
  m.header('x-aduan-purpose') === purpose && m.envelope.to.includes(CITIZEN);
const teamMail = (ticket: Ticket, prefix: string) => (m: ReceivedMail) =>
  m.header('x-aduan-purpose') === 'team-follow-up' && m.mail.subject!.startsWith(`[${ticket.ticketNumber}] ${prefix}:`);

test('ask → citizen replies → answer → thanks → reopened within the window → a new ticket after it', async () => {
  const user: DovecotUser = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink, {}, (c) => ({
    ...c,
    sla: { ...c.sla, reopenWindowSeconds: WINDOW_SECONDS },
  }));
  servers.service = await startWithEmail(servers.env);
  const store = servers.service.store;
  const ticketNow = async (id: string) => (await store.getTicket(id))!;
  const statusIs = (id: string, status: Ticket['status'], what: string) =>
    waitFor(async () => (await ticketNow(id)).status === status, 15_000, what);

  await append(servers.dovecot, user, citizenMail({ messageId: '<asal-hidup@mail.gmail.com>' }));
  const ack = await servers.sink.waitFor(toCitizen('acknowledgement'), 15_000, 'the initial response');
  await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket', 15_000, 'the team mail');
  const [ticket] = await ticketsOf(servers.service);
  const teamAddress = servers.env.config.teams[ticket!.team]!.emails[0]!;
  let answers = 0;
  const staffAnswer = (text: string) =>
    citizenMail({
      messageId: `<jawab-${(answers += 1)}@${OUR_DOMAIN}>`,
      from: `Petugas <${teamAddress}>`,
      to: teamReplyAddress(ticket!.ticketNumber),
      inReplyTo: teamMessageId(ticket!.ticketNumber),
      subject: `RE: [${ticket!.ticketNumber}] Tiket baru`,
      text,
      onTop: [`Authentication-Results: ${authResults(OUR_DOMAIN)}`],
    });
  const citizenReply = (messageId: string, text: string, date?: Date) =>
    citizenMail({
      messageId,
      inReplyTo: ack.mail.messageId!,
      references: [ack.mail.messageId!],
      subject: `Re: ${ack.mail.subject}`,
      text,
      ...(date ? { date } : {}),
    });

  // 1. The team asks for something: relayed without the mark; the ticket waits on the citizen.
  await append(servers.dovecot, user, staffAnswer('#tanya\nMohon kirimkan foto Kartu Keluarga Anda.'));
  const question = await servers.sink.waitFor(toCitizen('solution'), 15_000, 'the question to the citizen');
  expect(question.mail.text).toContain('Mohon kirimkan foto Kartu Keluarga Anda.');
  expect(question.mail.text).not.toContain('#tanya');
  expect(question.mail.text).toContain('Mohon balas pesan ini dengan keterangan yang kami minta');
  await statusIs(ticket!.id, 'waiting-citizen', 'waiting on the citizen');
  expect(await store.listSlaCandidates('2000-01-01T00:00:00.000Z', 10)).toEqual([]); // the SLA clock is paused

  // 2. The citizen answers: back to the team, as a follow-up that ends the wait.
  await append(
    servers.dovecot,
    user,
    citizenReply('<balas-1@mail.gmail.com>', 'Foto KK sudah saya lampirkan di loket online.'),
  );
  const replied = await servers.sink.waitFor(
    teamMail(ticket!, 'Jawaban warga'),
    15_000,
    "the citizen's answer to the team",
  );
  expect(replied.mail.text).toContain('Warga menanggapi pertanyaan petugas; tiket kembali ditangani');
  expect(replied.mail.text).toContain('Status        : ditangani tim');
  await statusIs(ticket!.id, 'routed', 'back with the team');
  expect((await ticketNow(ticket!.id)).history.find((h) => h.ref === '<balas-1@mail.gmail.com>')).toMatchObject({
    event: 'citizen-replied',
    waitedMinutes: expect.any(Number),
  });

  // 3. The answer resolves it.
  await append(servers.dovecot, user, staffAnswer('Data KK sudah kami perbaiki. Silakan cetak ulang di loket 2.'));
  await statusIs(ticket!.id, 'resolved', 'resolved');
  expect(servers.sink.received.filter(toCitizen('solution'))).toHaveLength(2);

  // 4. A thanks is recorded and changes nothing; nobody is told.
  await append(servers.dovecot, user, citizenReply('<makasih@mail.gmail.com>', 'Terima kasih banyak, Pak 🙏'));
  await waitFor(
    async () => (await ticketNow(ticket!.id)).history.some((h) => h.ref === '<makasih@mail.gmail.com>'),
    15_000,
    'the thanks on the ticket',
  );
  const thanked = await ticketNow(ticket!.id);
  expect(thanked.status).toBe('resolved');
  expect(thanked.history.find((h) => h.ref === '<makasih@mail.gmail.com>')?.event).toBe('citizen-ack');

  // 5. A new question within the window reopens the ticket: no new ticket, no new initial response.
  const before = servers.sink.received.length;
  await append(
    servers.dovecot,
    user,
    citizenReply('<lagi@mail.gmail.com>', 'Maaf Pak, nama ibu di KK masih salah eja. Mohon dibantu lagi.'),
  );
  const reopened = await servers.sink.waitFor(teamMail(ticket!, 'Dibuka kembali'), 15_000, 'the reopened team mail');
  expect(reopened.mail.text).toContain('Pelapor menulis lagi setelah tiket diselesaikan; tiket dibuka kembali.');
  expect(reopened.mail.text).toContain('nama ibu di KK masih salah eja');
  expect(reopened.mail.text).toContain('Status        : dibuka kembali');
  await statusIs(ticket!.id, 'reopened', 'reopened');
  // The thanks reached nobody: the only team mails since the resolution are this one.
  expect(servers.sink.received.slice(before).map((m) => m.header('x-aduan-purpose'))).toEqual(['team-follow-up']);
  expect(await ticketsOf(servers.service)).toHaveLength(1);
  expect(servers.sink.received.filter(toCitizen('acknowledgement'))).toHaveLength(1);
  const reopenedTicket = await ticketNow(ticket!.id);
  // The clock restarts: one full target from the message that reopened it.
  const reopening = reopenedTicket.history.find((h) => h.ref === '<lagi@mail.gmail.com>')!;
  expect(reopening.event).toBe('reopened');
  const target = parseTarget(servers.env.config.categories[reopenedTicket.classification.category].target);
  expect(reopenedTicket.dueAt).toBe(reopenedDueAt(reopening.at, target, officeCalendar(servers.env.config)));

  // 6. Resolved again; a message dated after the window is a new ticket with its own initial response.
  await append(servers.dovecot, user, staffAnswer('Nama ibu sudah kami perbaiki.'));
  await statusIs(ticket!.id, 'resolved', 'resolved again');
  // The server's arrival time (INTERNALDATE) is the message's time: set 10 minutes ahead, past the window.
  const later = new Date(Date.now() + 10 * 60_000);
  const afterWindow = citizenReply(
    '<bulan-depan@mail.gmail.com>',
    'Selamat pagi, saya mau mengurus akta kelahiran anak kedua.',
    later,
  );
  await imapSession(servers.dovecot, user, (client) => client.append('INBOX', afterWindow, [], later));
  const tickets = await waitFor(
    async () => {
      const all = await ticketsOf(servers.service!);
      return all.length === 2 ? all : undefined;
    },
    15_000,
    'a new ticket',
  );
  const fresh = tickets.find((t) => t.id !== ticket!.id)!;
  expect(fresh.sourceId).toBe('<bulan-depan@mail.gmail.com>');
  await servers.sink.waitFor(
    (m) => toCitizen('acknowledgement')(m) && m.mail.subject!.includes(fresh.ticketNumber),
    15_000,
    'the new ticket answered',
  );
  const old = await ticketNow(ticket!.id);
  expect(old.status).toBe('resolved');
  expect(old.history.some((h) => h.ref === '<bulan-depan@mail.gmail.com>')).toBe(false);
  expect(old.history.filter((h) => h.event === 'reopened')).toHaveLength(1);
});
