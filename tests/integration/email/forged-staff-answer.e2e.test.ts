import type { Ticket } from '../../../src/domain/complaint';
import { type DovecotUser } from '../../support/dovecot';
import { waitFor } from '../../support/service-harness';
import { authResults, teamMessageId, teamReplyAddress } from '../../support/staff-mail';
import {
  append,
  citizenMail,
  mailTestEnv,
  OUR_DOMAIN,
  startWithEmail,
  ticketsOf,
  type CitizenMail,
  useMailServers,
} from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/**
 * Issue #14 from the attacker's side, against the real Dovecot, SMTP and pipeline: mail that claims to be
 * the team's answer to a ticket is relayed to the citizen only when it is proven (token), authenticated
 * (the receiving server's Authentication-Results) and from the ticket's team. Every forgery below changes
 * one thing of the genuine answer; each is kept as an unverified note, never relayed, never resolving,
 * and the admins hear of it.
 */

jest.setTimeout(60_000);

const servers = useMailServers();

const SCAM = 'Pengaduan Anda sudah selesai. Silakan transfer Rp 350.000 ke rekening 1234567890 untuk biaya percepatan.';

/** A citizen's complaint, through to the team mail; returns the ticket and the team's address. */
async function openTicket(): Promise<{ ticket: Ticket; teamAddress: string; otherStaff: string; user: DovecotUser }> {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
  servers.service = await startWithEmail(servers.env);
  await append(servers.dovecot, user, citizenMail({ messageId: `<asal-${Date.now()}@mail.gmail.com>` }));
  await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket', 15_000, 'the team mail');
  const [ticket] = await ticketsOf(servers.service);
  const teams = servers.env.config.teams;
  const other = Object.entries(teams).find(([key]) => key !== ticket!.team)![1].emails[0]!;
  return { ticket: ticket!, teamAddress: teams[ticket!.team]!.emails[0]!, otherStaff: other, user };
}

/** The genuine answer: to the team mail's reply address, in reply to it, From the team, authenticated. */
function genuineAnswer(ticket: Ticket, teamAddress: string, messageId: string): CitizenMail {
  return {
    messageId,
    from: `Petugas <${teamAddress}>`,
    to: teamReplyAddress(ticket.ticketNumber),
    inReplyTo: teamMessageId(ticket.ticketNumber),
    subject: `RE: [${ticket.ticketNumber}] Tiket baru`,
    text: SCAM,
    onTop: [`Authentication-Results: ${authResults(OUR_DOMAIN)}`],
  };
}

const bareTag = (t: Ticket) => `pengaduan+${t.ticketNumber}@${OUR_DOMAIN}`;
const noThread = { inReplyTo: undefined } as const;

type Forgery = (t: Ticket, team: string, other: string) => Partial<CitizenMail>;

const FORGERIES: Array<[string, Forgery, RegExp]> = [
  [
    'the trusted server says dmarc=fail',
    () => ({ onTop: [`Authentication-Results: ${authResults(OUR_DOMAIN, 'fail')}`] }),
    /tidak terautentikasi \(dmarc=fail/,
  ],
  [
    'no Authentication-Results at all',
    () => ({ onTop: [] }),
    /tidak ada Authentication-Results dari server penerima tepercaya/,
  ],
  [
    'Authentication-Results from a foreign authserv-id',
    () => ({ onTop: [`Authentication-Results: ${authResults(OUR_DOMAIN, 'pass', 'mx.attacker.example')}`] }),
    /tidak terautentikasi/,
  ],
  [
    'a sender-written "mx.google.com; dmarc=pass" below the trusted one, which says none',
    () => ({
      onTop: [
        `Authentication-Results: ${authResults(OUR_DOMAIN, 'none')}`,
        `Authentication-Results: mx.google.com; dkim=pass header.d=${OUR_DOMAIN}; dmarc=pass header.from=${OUR_DOMAIN}`,
      ],
    }),
    /tidak terautentikasi untuk disdukcapil.dairikab.go.id: spf=softfail dmarc=none/,
  ],
  ['the right From, but a guessed bare +ADU- tag', (t) => ({ to: bareTag(t), ...noThread }), /bertoken/],
  [
    'the right From, but a guessed token in the tag',
    (t) => ({ to: `pengaduan+${t.ticketNumber}-k7f3q9x2ab4c@${OUR_DOMAIN}`, ...noThread }),
    /bertoken/,
  ],
  [
    'a guessed In-Reply-To (our token-less Message-ID)',
    (t) => ({ to: `pengaduan@${OUR_DOMAIN}`, inReplyTo: `<${t.ticketNumber}.team@${OUR_DOMAIN}>` }),
    /bertoken/,
  ],
  ['the ticket number in the subject only', () => ({ to: `pengaduan@${OUR_DOMAIN}`, ...noThread }), /bertoken/],
  [
    'the Reply-To trick: From an authenticated outsider, Reply-To the team',
    (_t, team) => ({
      from: 'Penipu <penipu@yahoo.com>',
      headers: { 'Reply-To': `Petugas <${team}>` },
      onTop: [`Authentication-Results: ${authResults('yahoo.com')}`],
    }),
    /penipu@yahoo.com\) bukan alamat staf/,
  ],
  [
    'a staff member of another team',
    (_t, _team, other) => ({ from: `Petugas Lain <${other}>` }),
    /bukan tim yang menangani tiket ini/,
  ],
];

describe('forged staff answers are never relayed', () => {
  test.each(FORGERIES)(
    '%s: an unverified note, not relayed, not resolved, and an admin alert',
    async (_name, forge, reason) => {
      const { ticket, teamAddress, otherStaff, user } = await openTicket();
      const messageId = `<palsu-${Date.now()}@forger.example>`;
      await append(
        servers.dovecot,
        user,
        citizenMail({ ...genuineAnswer(ticket, teamAddress, messageId), ...forge(ticket, teamAddress, otherStaff) }),
      );

      const alert = await servers.sink.waitFor(
        (m) => m.header('x-aduan-purpose') === 'alert',
        15_000,
        'the admin alert',
      );
      expect(alert.envelope.to).toEqual(['admin@aduan.test']);
      expect(alert.mail.subject).toBe(`[aduan] Jawaban staf tidak terverifikasi untuk ${ticket.ticketNumber} ditolak`);
      expect(alert.mail.text).toMatch(reason);
      const stored = (await servers.service!.store.getTicket(ticket.id))!;
      const note = stored.history.find((h) => h.ref === messageId);
      expect(note).toMatchObject({ event: 'internal-note', unverified: expect.stringMatching(reason) });
      expect(note!.note).toMatch(/^\[TIDAK TERVERIFIKASI: /);
      await new Promise((r) => setTimeout(r, 500));
      expect(servers.sink.withPurpose('solution')).toHaveLength(0);
      expect(
        servers.sink.received
          .filter((m) => m.envelope.to.includes('rosmawati.sinaga@gmail.com'))
          .map((m) => m.header('x-aduan-purpose')),
      ).toEqual(['acknowledgement']);
      expect((await servers.service!.store.getTicket(ticket.id))!.status).not.toBe('resolved');
    },
  );

  test('the genuine answer, built the same way, is relayed once and resolves the ticket', async () => {
    const { ticket, teamAddress, user } = await openTicket();
    const answer = citizenMail({
      ...genuineAnswer(ticket, teamAddress, '<asli-1@disdukcapil.dairikab.go.id>'),
      text: 'Surat dapat diambil di loket 3.',
    });
    await append(servers.dovecot, user, answer, answer);
    const solution = await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'solution',
      15_000,
      'the solution',
    );
    expect(solution.envelope.to).toEqual(['rosmawati.sinaga@gmail.com']);
    expect(solution.mail.text).toContain('Surat dapat diambil di loket 3.');
    await waitFor(
      async () => (await servers.service!.store.getTicket(ticket.id))?.status === 'resolved',
      10_000,
      'resolved',
    );
    await new Promise((r) => setTimeout(r, 800));
    expect(servers.sink.withPurpose('solution')).toHaveLength(1);
    expect(servers.sink.withPurpose('alert')).toHaveLength(0);
  });

  test('review #14 M2: at most 5 unverified notes per ticket per hour, each cut to about 2 KB', async () => {
    const { ticket, teamAddress, user } = await openTicket();
    const long = `${SCAM} ${'x'.repeat(19_000)}`;
    const forged = (i: number) =>
      citizenMail({ ...genuineAnswer(ticket, teamAddress, `<banjir-${i}@forger.example>`), onTop: [], text: long });
    await append(servers.dovecot, user, ...[1, 2, 3, 4, 5, 6, 7].map(forged));
    await waitFor(
      async () => {
        const t = await servers.service!.store.getTicket(ticket.id);
        return t && t.history.filter((h) => h.unverified).length === 5;
      },
      15_000,
      'five unverified notes',
    );
    await waitFor(
      async () => servers.env!.logLines.filter((l) => l.includes('unverified note not kept: hourly cap')).length === 2,
      15_000,
      'two refused by the cap',
    );
    const notes = (await servers.service!.store.getTicket(ticket.id))!.history.filter((h) => h.unverified);
    expect(notes).toHaveLength(5);
    for (const note of notes) expect(note.note!.length).toBeLessThan(2_600);
    expect(notes[0]!.note).toMatch(/\[… dipotong; \d+ karakter lagi\]$/);
    expect(servers.sink.withPurpose('solution')).toHaveLength(0);
  });

  test('alerts are rate-limited: one per sender per hour, however many forgeries', async () => {
    const { ticket, teamAddress, user } = await openTicket();
    const forged = (i: number) =>
      citizenMail({ ...genuineAnswer(ticket, teamAddress, `<palsu-${i}@forger.example>`), onTop: [] });
    await append(servers.dovecot, user, forged(1), forged(2), forged(3));
    await waitFor(
      async () => {
        const t = await servers.service!.store.getTicket(ticket.id);
        return t && t.history.filter((h) => h.unverified).length === 3;
      },
      15_000,
      'three unverified notes',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(servers.sink.withPurpose('alert')).toHaveLength(1);
    expect(servers.sink.withPurpose('solution')).toHaveLength(0);
  });
});
