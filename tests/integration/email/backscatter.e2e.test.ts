import { waitFor } from '../../support/service-harness';
import { authResults } from '../../support/staff-mail';
import { append, citizenMail, mailTestEnv, startWithEmail, waitForTickets, useMailServers } from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/**
 * No backscatter (issue #14, section 2), against Dovecot, SMTP and the real pipeline: the initial response
 * goes to From unless Reply-To is authenticated; none for dmarc=fail or spam; a global cap per hour.
 */

jest.setTimeout(60_000);

const servers = useMailServers();

async function allDecided(count: number) {
  const tickets = await waitForTickets(servers.service!, count);
  await waitFor(
    async () => {
      const effects = await Promise.all(tickets.map((t) => servers.service!.store.listEffects(t.id)));
      return effects.every((e) => e.some((x) => x.kind === 'respond' && x.state === 'done'));
    },
    15_000,
    'every reply decided',
  );
  return servers.service!.store.listTickets({});
}

test('the initial response goes to From; to Reply-To only when the From domain is authenticated', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
  servers.service = await startWithEmail(servers.env);
  await append(
    servers.dovecot,
    user,
    citizenMail({
      messageId: '<rt-1@mail.gmail.com>',
      from: 'Warga <warga.satu@gmail.com>',
      headers: { 'Reply-To': 'korban@example.org' },
    }),
    citizenMail({
      messageId: '<rt-2@mail.gmail.com>',
      from: 'Warga <warga.dua@gmail.com>',
      headers: { 'Reply-To': 'warga.dua.kantor@example.org' },
      onTop: [`Authentication-Results: ${authResults('gmail.com')}`],
    }),
  );
  const tickets = await allDecided(2);
  const acks = servers.sink
    .withPurpose('acknowledgement')
    .map((m) => m.envelope.to[0])
    .sort();
  expect(acks).toEqual(['warga.dua.kantor@example.org', 'warga.satu@gmail.com']);
  expect(tickets.find((t) => t.sourceId === '<rt-1@mail.gmail.com>')!.meta.replyTo).toBe('korban@example.org');
});

test('no automatic reply to mail whose trusted Authentication-Results say dmarc=fail, nor to spam; both still become tickets', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
  servers.service = await startWithEmail(servers.env);
  await append(
    servers.dovecot,
    user,
    citizenMail({
      messageId: '<forged@x>',
      from: 'Bank <cs@bank-resmi.example>',
      onTop: [`Authentication-Results: ${authResults('bank-resmi.example', 'fail')}`],
    }),
    citizenMail({
      messageId: '<spam@x>',
      from: 'Promo <promo@gmail.com>',
      headers: { 'X-Spam-Flag': 'YES', 'X-Spam-Score': '9.1' },
    }),
    citizenMail({ messageId: '<ok@x>', from: 'Warga <warga@gmail.com>' }),
  );
  const tickets = await allDecided(3);
  expect(servers.sink.withPurpose('acknowledgement').map((m) => m.envelope.to[0])).toEqual(['warga@gmail.com']);
  const forged = tickets.find((t) => t.sourceId === '<forged@x>')!;
  expect(forged.history.find((h) => h.event === 'acknowledgement-skipped')?.note).toMatch(
    /^pengirim gagal autentikasi \(dmarc=fail \(mx.google.com\)\)/,
  );
  expect(tickets.find((t) => t.sourceId === '<spam@x>')!.meta.autoReplyBlocked).toBe(
    'ditandai spam oleh server email (X-Spam-Flag: YES); tidak dibalas otomatis',
  );
  await waitFor(async () => servers.sink.withPurpose('team-ticket').length === 3, 10_000, 'the team to get all three');
});

test('at most autoReplyLimit.totalPerHour automatic replies in all, whoever the senders are', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink, {
    autoReplyLimit: { perSender: 3, windowMinutes: 60, totalPerHour: 2 },
  });
  servers.service = await startWithEmail(servers.env);
  await append(
    servers.dovecot,
    user,
    ...[1, 2, 3, 4].map((i) => citizenMail({ messageId: `<banyak-${i}@x>`, from: `Warga ${i} <warga${i}@gmail.com>` })),
  );
  const tickets = await allDecided(4);
  expect(servers.sink.withPurpose('acknowledgement')).toHaveLength(2);
  const blocked = tickets.filter((t) => !t.autoReplyAllowed);
  expect(blocked.map((t) => t.meta.autoReplyBlocked)).toEqual(
    Array(2).fill('batas balasan otomatis keseluruhan tercapai: 2 balasan otomatis dalam 60 menit terakhir'),
  );
});

test('mail whose References name no ticket is new mail for the limits too: forged References are no way around them', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink, {
    autoReplyLimit: { perSender: 3, windowMinutes: 60, totalPerHour: 2 },
  });
  servers.service = await startWithEmail(servers.env);
  await append(
    servers.dovecot,
    user,
    ...[1, 2, 3, 4].map((i) =>
      citizenMail({
        messageId: `<palsu-${i}@x>`,
        from: `Warga ${i} <korban${i}@example.org>`,
        subject: `Re: Surat keterangan ${i}`,
        references: [`<tidak-ada-${i}@mail.example.org>`],
      }),
    ),
  );
  const tickets = await allDecided(4);
  expect(servers.sink.withPurpose('acknowledgement')).toHaveLength(2);
  const skipped = tickets.flatMap((t) => t.history.filter((h) => h.event === 'acknowledgement-skipped'));
  expect(skipped.map((h) => h.note)).toEqual(
    Array(2).fill('batas balasan otomatis keseluruhan tercapai: 2 balasan otomatis dalam 60 menit terakhir'),
  );
});

test('review #14 H1: an unreadable From or no From never sends the automatic reply to Reply-To', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
  servers.service = await startWithEmail(servers.env);
  const victim = { 'Reply-To': 'korban@example.org' };
  await append(
    servers.dovecot,
    user,
    citizenMail({
      messageId: '<quoted-local@x>',
      from: '"a b"@evil.example',
      headers: victim,
      onTop: [`Authentication-Results: ${authResults('evil.example', 'fail')}`],
    }),
    citizenMail({
      messageId: '<idn@x>',
      from: 'a@пример.com',
      headers: victim,
      onTop: [`Authentication-Results: ${authResults('xn--e1afmkfd.com', 'fail')}`],
    }),
    citizenMail({ messageId: '<no-from@x>', from: null, headers: victim }),
    citizenMail({ messageId: '<ok-h1@x>', from: 'Warga <warga.h1@gmail.com>' }),
  );
  const tickets = await waitForTickets(servers.service, 4);
  await waitFor(async () => servers.sink.withPurpose('team-ticket').length === 4, 15_000, 'the team to get all four');
  await waitFor(
    async () => servers.sink.withPurpose('acknowledgement').length >= 1,
    15_000,
    'the honest citizen answered',
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(servers.sink.withPurpose('acknowledgement').map((m) => m.envelope.to[0])).toEqual(['warga.h1@gmail.com']);
  expect(servers.sink.received.filter((m) => m.envelope.to.includes('korban@example.org'))).toEqual([]);
  for (const id of ['<quoted-local@x>', '<idn@x>']) {
    expect(tickets.find((t) => t.sourceId === id)!.meta.senderAuth).toBe('fail');
  }
});
