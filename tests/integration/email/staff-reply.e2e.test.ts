import { Dovecot } from '../../support/dovecot';
import { waitFor, type TestEnv } from '../../support/service-harness';
import { SmtpSink } from '../../support/smtp-sink';
import type { RunningService } from '../../../src/main';
import { ticketTimes } from '../../../src/domain/ticket-times';
import { officeCalendar } from '../../../src/main';
import { append, citizenMail, mailTestEnv, OUR_DOMAIN, startWithEmail, ticketsOf } from './mail-env';

/** Step 4 end to end: staff answer the ticket mail, aduan relays the answer to the citizen. */

jest.setTimeout(60_000);

let dovecot: Dovecot;
let sink: SmtpSink;
let env: TestEnv | undefined;
let service: RunningService | undefined;

beforeAll(async () => {
  [dovecot, sink] = await Promise.all([Dovecot.start(), SmtpSink.start()]);
});
afterAll(async () => {
  await Promise.all([dovecot?.destroy(), sink?.stop()]);
});
beforeEach(() => sink.clear());
afterEach(async () => {
  await service?.stop();
  await env?.cleanup();
  service = undefined;
  env = undefined;
});

const cursor = async () => JSON.parse((await service!.store.getCursor('email:uji:INBOX')) ?? '{}') as { lastUid?: number };

describe('staff replies from the monitored mailbox', () => {
  it('relays a staff answer to the citizen once, in the same thread, and resolves the ticket, even when the mailbox is read twice', async () => {
    const user = dovecot.addUser();
    env = mailTestEnv(dovecot, user, sink);
    service = await startWithEmail(env);
    await append(dovecot, user, citizenMail({ messageId: '<asal@mail.gmail.com>' }));
    const team = await sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket', 15_000, 'the team mail');
    const [ticket] = await ticketsOf(service);
    const number = ticket!.ticketNumber;

    // The staff member hits "reply" on the team mail: the mail goes to its Reply-To, quoting the ticket.
    const answer = citizenMail({
      messageId: '<jawab-1@disdukcapil.dairikab.go.id>',
      from: `Petugas Capil <capil@${OUR_DOMAIN}>`,
      to: `pengaduan+${number}@${OUR_DOMAIN}`,
      inReplyTo: team.mail.messageId!,
      subject: `RE: ${team.mail.subject}`,
      text: [
        'Surat keterangan belum menikah dapat diurus di loket 3 dengan membawa KTP dan KK. Tidak perlu antre online.',
        '',
        `Pada ${new Date().toUTCString()}, Layanan Pengaduan <pengaduan@${OUR_DOMAIN}> menulis:`,
        `> Tiket baru pengaduan untuk Bidang Pelayanan Pencatatan Sipil.`,
        `> Nomor tiket   : ${number}`,
      ].join('\n'),
    });
    await append(dovecot, user, answer, answer);
    const solution = await sink.waitFor((m) => m.header('x-aduan-purpose') === 'solution', 15_000, 'the solution');
    await waitFor(async () => (await cursor()).lastUid === 3, 10_000, 'both copies read');

    expect(solution.envelope.to).toEqual(['rosmawati.sinaga@gmail.com']);
    expect(solution.mail.inReplyTo).toBe('<asal@mail.gmail.com>');
    expect(solution.header('references')).toContain('<asal@mail.gmail.com>');
    expect(solution.mail.subject).toContain(`[${number}]`);
    expect(solution.mail.text).toContain('dapat diurus di loket 3 dengan membawa KTP dan KK');
    expect(solution.mail.text).not.toContain('Tiket baru pengaduan');
    expect(solution.mail.replyTo?.text).toBe(`pengaduan+${number}@${OUR_DOMAIN}`);

    // Read again from the start (as after a lost cursor): the answer is not relayed a second time.
    await service.store.setCursor('email:uji:INBOX', JSON.stringify({ ...(await cursor()), lastUid: 0 }));
    await service.stop();
    service = await startWithEmail(env);
    await waitFor(async () => (await cursor()).lastUid === 3, 10_000, 'the mailbox read again');
    await new Promise((r) => setTimeout(r, 800));

    expect(sink.withPurpose('solution')).toHaveLength(1);
    expect(sink.withPurpose('acknowledgement')).toHaveLength(1);
    expect(await ticketsOf(service)).toHaveLength(1);
    const stored = (await service.store.getTicket(ticket!.id))!;
    expect(stored.status).toBe('resolved');
    expect(stored.history.filter((h) => h.event === 'staff-reply')).toEqual([
      expect.objectContaining({ by: `capil@${OUR_DOMAIN}`, ref: '<jawab-1@disdukcapil.dairikab.go.id>' }),
    ]);
    expect(stored.history.filter((h) => h.event === 'resolved')).toHaveLength(1);
    const times = ticketTimes(stored, officeCalendar(env.config), new Date());
    expect(times.resolvedAt).toBeDefined();
    expect(times.resolutionMinutes).toBeGreaterThanOrEqual(0);
  });

  it('mail to the reply address from someone who is not staff is a follow-up for the team, never a solution', async () => {
    const user = dovecot.addUser();
    env = mailTestEnv(dovecot, user, sink);
    service = await startWithEmail(env);
    await append(dovecot, user, citizenMail({ messageId: '<asal-2@mail.gmail.com>' }));
    await sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket', 15_000, 'the team mail');
    const [ticket] = await ticketsOf(service);

    await append(dovecot, user, citizenMail({
      messageId: '<palsu@mail.yahoo.com>',
      from: 'Bukan Petugas <orang.lain@yahoo.com>',
      to: `pengaduan+${ticket!.ticketNumber}@${OUR_DOMAIN}`,
      subject: `RE: [${ticket!.ticketNumber}] Tiket baru`,
      text: 'Pengaduan ini sudah selesai, silakan tutup.',
    }));
    const followUp = await sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-follow-up', 15_000, 'the follow-up');
    await new Promise((r) => setTimeout(r, 500));

    expect(followUp.mail.text).toContain('Pengaduan ini sudah selesai, silakan tutup.');
    expect(sink.withPurpose('solution')).toHaveLength(0);
    expect(await ticketsOf(service)).toHaveLength(1);
    const stored = (await service.store.getTicket(ticket!.id))!;
    expect(stored.status).not.toBe('resolved');
    expect(stored.history.find((h) => h.ref === '<palsu@mail.yahoo.com>')).toMatchObject({ event: 'follow-up' });
  });
});
