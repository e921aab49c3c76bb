import { type DovecotUser } from '../../support/dovecot';
import { waitFor } from '../../support/service-harness';
import { type ReceivedMail } from '../../support/smtp-sink';
import { append, citizenMail, mailTestEnv, startWithEmail, ticketsOf, useMailServers } from '../email/mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/**
 * Issue #22 §2 through the real mailbox (Dovecot), the email adapter, the pipeline and SMTP: a status question
 * about the sender's own ticket is answered (number, kind, received time, step, target) and recorded on the
 * ticket, never forwarded to the team nor a new ticket; someone else asking about that number, and a sender with
 * no ticket, get the same "not found" with no detail; a complaint that only sounds like a question stays one.
 */

jest.setTimeout(120_000);

const OWNER = 'rosmawati.sinaga@gmail.com';
const STRANGER = 'orang.lain@yahoo.co.id';
const NEWCOMER = 'warga.baru@gmail.com';

const servers = useMailServers();

const statusTo = (address: string) => (m: ReceivedMail) =>
  m.header('x-aduan-purpose') === 'status-answer' && m.envelope.to.includes(address);

test('own ticket → its status; someone else and no ticket → "not found"; a complaint stays a complaint', async () => {
  const user: DovecotUser = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
  servers.service = await startWithEmail(servers.env);
  const store = servers.service.store;

  await append(servers.dovecot, user, citizenMail({ from: `Rosmawati Sinaga <${OWNER}>` }));
  await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket', 15_000, 'the team mail');
  const [ticket] = await ticketsOf(servers.service);
  const number = ticket!.ticketNumber;

  // 1. The owner asks, in a new mail with the number spelled loosely.
  const sequence = Number(number.slice(-6));
  await append(
    servers.dovecot,
    user,
    citizenMail({
      from: `Rosmawati Sinaga <${OWNER}>`,
      messageId: '<tanya-status@mail.gmail.com>',
      subject: 'Tanya',
      text: `Selamat siang, sudah sampai mana pengaduan saya adu ${sequence}?`,
    }),
  );
  const answer = await servers.sink.waitFor(statusTo(OWNER), 15_000, 'the status answer');
  expect(answer.mail.subject).toBe(`Status pengaduan Anda [${number}]`);
  expect(answer.mail.inReplyTo).toBe('<tanya-status@mail.gmail.com>');
  const text = answer.mail.text ?? '';
  expect(text).toContain(`Status pengaduan ${number}`);
  expect(text).toContain('Jenis: ');
  expect(text).toMatch(/Diterima: \w+, \d+ \w+ \d{4} pukul \d\d\.\d\d WIB/);
  expect(text).toMatch(/Tahap saat ini: diteruskan ke tim .+ dan sedang ditangani/);
  expect(text).toContain('Target penyelesaian: ');
  const recorded = await waitFor(
    async () =>
      (await store.getTicket(ticket!.id))!.history.find(
        (h) => h.event === 'note' && h.ref === '<tanya-status@mail.gmail.com>',
      ),
    15_000,
    'the answer noted',
  );
  expect(recorded.note).toContain('status tiket dikirim otomatis');
  const after = (await store.getTicket(ticket!.id))!;
  expect(
    after.history.find((h) => h.ref === '<tanya-status@mail.gmail.com>' && h.event === 'status-question'),
  ).toBeTruthy();
  // Asking changes nothing of the ticket's life (no follow-up, no reopening, the same due time).
  expect(after.dueAt).toBe(ticket!.dueAt);
  expect(after.history.filter((h) => h.event === 'follow-up')).toEqual([]);

  // 2. Someone else asks about the same number: "not found", not a word about the ticket.
  await append(
    servers.dovecot,
    user,
    citizenMail({ from: `Orang Lain <${STRANGER}>`, subject: 'cek', text: `Cek status ${number} dong` }),
  );
  const stranger = await servers.sink.waitFor(statusTo(STRANGER), 15_000, "the stranger's answer");
  expect(stranger.mail.text).toContain('tidak ditemukan untuk akun ini');
  expect(`${stranger.mail.subject} ${stranger.mail.text} ${stranger.raw}`).not.toContain(number);

  // 3. A sender without any ticket asks about "pengaduan saya": "not found" too, the same words.
  await append(
    servers.dovecot,
    user,
    citizenMail({ from: `Warga <${NEWCOMER}>`, subject: 'status', text: 'Sudah sampai mana pengaduan saya?' }),
  );
  const newcomer = await servers.sink.waitFor(statusTo(NEWCOMER), 15_000, "the newcomer's answer");
  expect(newcomer.mail.text).toBe(stranger.mail.text);

  // 4. A complaint that only sounds like a question is a new ticket, as before.
  await append(
    servers.dovecot,
    user,
    citizenMail({
      from: `Warga <${NEWCOMER}>`,
      subject: 'KTP',
      text: 'KTP saya sampai sekarang belum jadi, status NIK tidak aktif',
    }),
  );
  await waitFor(async () => (await ticketsOf(servers.service!)).length === 2, 15_000, 'the complaint as a ticket');

  // Neither question reached the team, nor became a ticket or a follow-up; no second answer was sent.
  const teamFollowUps = servers.sink.received.filter((m) => m.header('x-aduan-purpose') === 'team-follow-up');
  expect(teamFollowUps).toEqual([]);
  expect(servers.sink.received.filter((m) => m.header('x-aduan-purpose') === 'status-answer')).toHaveLength(3);
  expect((await store.getTicket(ticket!.id))!.history.filter((h) => h.event === 'status-question')).toHaveLength(1);
});
