import { waitFor } from '../../support/service-harness';
import { effectKey } from '../../../src/store/store';
import {
  citizenMail,
  imapSession,
  mailTestEnv,
  startWithEmail,
  ticketsOf,
  waitForTickets,
  useMailServers,
} from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);
jest.setTimeout(60_000);

const DAY = 86_400_000;

/**
 * A mailbox read for the first time (no cursor): mail that reached the server more than two working
 * days ago is history; newer mail is answered. Afterwards the mailbox is live.
 */
describe('email: first read of a mailbox', () => {
  const servers = useMailServers();

  it('imports old mail as history with one admin summary and answers the new mail', async () => {
    const user = servers.dovecot.addUser();
    // All from one citizen: three old mails must not use up her three automatic replies per hour.
    await imapSession(servers.dovecot, user, async (client) => {
      for (let i = 0; i < 3; i++)
        await client.append('INBOX', citizenMail({ subject: `Arsip ${i}` }), [], new Date(Date.now() - (10 + i) * DAY));
      await client.append('INBOX', citizenMail({ subject: 'Permohonan surat keterangan belum menikah' }));
    });
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    const tickets = await waitForTickets(servers.service, 4);
    const historical = tickets.filter((t) => t.historicalImport);
    expect(historical).toHaveLength(3);
    expect(historical.every((t) => t.status === 'resolved')).toBe(true);
    const live = tickets.find((t) => !t.historicalImport)!;
    await waitFor(async () => (await servers.service!.store.getEffect(effectKey(live.id, 'route')))?.state === 'done');
    await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'acknowledgement', 15_000, 'the acknowledgement');
    const summary = await servers.sink.waitFor(
      (m) => /Impor riwayat/.test(m.mail.subject ?? ''),
      15_000,
      'the summary',
    );
    expect(summary.mail.subject).toMatch(
      /Impor riwayat: 3 pengaduan historis dari email, \d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d/,
    );
    for (const ticket of historical) expect(await servers.service.store.listEffects(ticket.id)).toEqual([]);
    // Nothing else went out: the summary, the new mail's answer and its team mail.
    expect(servers.sink.received.map((m) => m.header('x-aduan-purpose')).sort()).toEqual([
      'acknowledgement',
      'alert',
      'team-ticket',
    ]);

    // Live now: mail that arrives later is answered, however old its Date header.
    await imapSession(servers.dovecot, user, (client) =>
      client
        // Another kind: the same citizen repeating the open ticket's kind would join it (same problem, one ticket).
        .append(
          'INBOX',
          citizenMail({ subject: 'Susulan', text: 'Mohon reset password akun Perkebbas saya, lupa kata sandi.' }),
          [],
          new Date(Date.now() - 5 * DAY),
        )
        .then(() => undefined),
    );
    const after = await waitForTickets(servers.service, 5);
    const late = after.find((t) => t.subject === 'Susulan')!;
    expect(late.historicalImport).toBeUndefined();
    expect((await ticketsOf(servers.service)).filter((t) => t.historicalImport)).toHaveLength(3);
  });
});
