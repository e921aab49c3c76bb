import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../../support/service-harness';
import { officeCalendar } from '../../../src/main';
import { ticketTimes } from '../../../src/domain/ticket-times';
import { authResults, teamMessageId, teamReplyAddress } from '../../support/staff-mail';
import {
  append,
  citizenMail,
  imapSession,
  mailTestEnv,
  OUR_DOMAIN,
  startWithEmail,
  ticketsOf,
  waitForTickets,
  useMailServers,
} from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/** End to end against a real Dovecot (IMAP, IDLE) and a real SMTP server, through the real service. */

jest.setTimeout(60_000);

const servers = useMailServers();

describe('email channel against Dovecot and SMTP', () => {
  it('answers a new complaint as a proper reply and delivers the ticket to the team, leaving the mailbox as it was', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    const messageId = '<CAJx7pQm2v0Lz8f1rQ9Wd3kS5bN@mail.gmail.com>';
    await append(
      servers.dovecot,
      user,
      citizenMail({
        messageId,
        text: 'Dengan hormat,\nSaya membutuhkan surat keterangan belum menikah untuk CPNS. NIK saya 1211046504950003.\n\nHormat saya,\nRosmawati Sinaga',
      }),
    );

    const ack = await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'acknowledgement',
      15_000,
      'the acknowledgement',
    );
    const [ticket] = await ticketsOf(servers.service);
    const number = ticket!.ticketNumber;
    expect(ack.envelope).toEqual({ from: `pengaduan@${OUR_DOMAIN}`, to: ['rosmawati.sinaga@gmail.com'] });
    expect(ack.mail.subject).toBe(`Re: Permohonan surat keterangan belum menikah [${number}]`);
    expect(ack.mail.messageId).toBe(`<${number}.ack@${OUR_DOMAIN}>`);
    expect(ack.mail.inReplyTo).toBe(messageId);
    expect(ack.mail.references).toBe(messageId);
    expect(ack.header('auto-submitted')).toBe('auto-replied');
    expect(ack.mail.replyTo?.text).toBe(`pengaduan+${number}@${OUR_DOMAIN}`);
    expect(ack.mail.text).toContain(`nomor tiket ${number}`);
    expect(ack.mail.text).toMatch(/^Yth\. Rosmawati Sinaga,/);

    const team = await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'team-ticket',
      15_000,
      'the team mail',
    );
    expect(team.mail.subject).toMatch(new RegExp(`^\\[${number}\\] Tiket baru: .+ — batas .+ WIB$`));
    expect(team.header('auto-submitted')).toBe('auto-generated');
    // Mail to staff carries the ticket's token: only those who received it can answer for the office.
    expect(team.mail.replyTo?.text).toBe(teamReplyAddress(number));
    expect(team.mail.replyTo?.text).toMatch(new RegExp(`^pengaduan\\+${number}-[a-z2-7]{12}@${OUR_DOMAIN}$`));
    expect(team.mail.messageId).toBe(teamMessageId(number));
    expect(team.mail.text).toContain('Email       : rosmawati.sinaga@gmail.com');
    expect(team.mail.text).toContain('NIK         : ************0003');
    expect(team.mail.text).not.toContain('1211046504950003');
    expect(team.mail.text).toContain('Saya membutuhkan surat keterangan belum menikah');

    expect(ticket).toMatchObject({
      channel: 'email',
      sourceId: messageId,
      complainant: { email: 'rosmawati.sinaga@gmail.com', nik: '1211046504950003' },
      signature: 'Hormat saya,\nRosmawati Sinaga',
    });
    // Default: the mailbox is left as it is (not flagged \Seen, not moved); the position is in the store.
    const flags = await imapSession(servers.dovecot, user, async (client) => {
      await client.mailboxOpen('INBOX');
      const message = await client.fetchOne('1', { flags: true });
      return message ? [...(message.flags ?? [])] : undefined;
    });
    expect(flags).toEqual([]);
    expect(JSON.parse((await servers.service.store.getCursor('email:uji:INBOX'))!)).toEqual({
      uidValidity: expect.any(String),
      lastUid: 1,
    });
    expect(servers.service.channels.map((c) => c.health())).toEqual([
      expect.objectContaining({ name: 'email:uji/INBOX', state: 'ok', submitted: 1 }),
    ]);
    expect(servers.env.logLines.join('\n')).not.toContain('1211046504950003');
  });

  it('decodes a Windows-1252 8-bit message without a declared charset (old Outlook) for the ticket and the team mail', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    await append(
      servers.dovecot,
      user,
      readFileSync(path.resolve(__dirname, '../../fixtures/email/outlook-cp1252-8bit-no-charset.eml')),
    );
    const [ticket] = await waitForTickets(servers.service, 1);
    const words =
      'Saya André Sitorus dari Desa Bangun. “Suket pindah” untuk keluarga kami\nsudah diajukan sejak 2 minggu – tapi belum terbit juga. Mohon info…';
    expect(ticket!.text).toContain(words);
    const team = await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'team-ticket',
      15_000,
      'the team mail',
    );
    expect(team.mail.text).toContain(words);
    expect(team.mail.text).not.toContain('\ufffd');
  });

  it('threads a follow-up to the ticket, forwards it to the team and does not answer it again', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    await append(servers.dovecot, user, citizenMail({ messageId: '<first@mail.gmail.com>' }));
    await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket');
    const [ticket] = await ticketsOf(servers.service);
    const number = ticket!.ticketNumber;

    // Outlook-style reply: only In-Reply-To, naming our acknowledgement.
    await append(
      servers.dovecot,
      user,
      citizenMail({
        messageId: '<reply-1@mail.gmail.com>',
        inReplyTo: `<${number}.ack@${OUR_DOMAIN}>`,
        subject: `RE: Permohonan surat keterangan belum menikah`,
        text: 'Formulir F-1.01 sudah saya isi. Perlu datang ke kantor?\n\n-----Original Message-----\nFrom: Layanan Pengaduan\n\nYth. Rosmawati',
      }),
    );
    // A reply that only names the ticket number in the subject.
    await append(
      servers.dovecot,
      user,
      citizenMail({
        messageId: '<reply-2@mail.gmail.com>',
        subject: `Tambahan untuk ${number}`,
        text: 'Saya lampirkan juga KK.',
      }),
    );
    // A staff member's #internal answer to the team mail (its Reply-To is the intake mailbox): recorded, not forwarded.
    const teamMail = servers.sink.withPurpose('team-ticket')[0]!;
    await append(
      servers.dovecot,
      user,
      citizenMail({
        messageId: '<staf-1@disdukcapil.dairikab.go.id>',
        from: `Petugas Capil <capil@${OUR_DOMAIN}>`,
        inReplyTo: teamMail.mail.messageId!,
        onTop: [`Authentication-Results: ${authResults(OUR_DOMAIN)}`],
        subject: `RE: ${teamMail.mail.subject}`,
        text: '#internal Berkas sudah kami cek.',
      }),
    );

    const followUps = await waitFor(
      async () => {
        const mails = servers.sink.withPurpose('team-follow-up');
        return mails.length >= 2 ? mails : undefined;
      },
      15_000,
      'two follow-up mails',
    );
    expect(followUps.map((m) => m.mail.subject)).toEqual(
      Array(2).fill(expect.stringMatching(new RegExp(`^\\[${number}\\] Tindak lanjut:`))),
    );
    expect(followUps.map((m) => m.mail.text).join('\n')).toContain(
      'Formulir F-1.01 sudah saya isi. Perlu datang ke kantor?',
    );
    expect(followUps.map((m) => m.mail.text).join('\n')).not.toContain('Original Message');
    expect(await ticketsOf(servers.service)).toHaveLength(1);
    const stored = await waitFor(
      async () => {
        const t = await servers.service!.store.getTicket(ticket!.id);
        return t?.history.some((h) => h.event === 'internal-note') ? t : undefined;
      },
      15_000,
      'the internal note',
    );
    expect(
      stored.history
        .filter((h) => h.event === 'follow-up')
        .map((h) => h.ref)
        .sort(),
    ).toEqual(['<reply-1@mail.gmail.com>', '<reply-2@mail.gmail.com>']);
    expect(stored.history.find((h) => h.event === 'internal-note')).toMatchObject({
      ref: '<staf-1@disdukcapil.dairikab.go.id>',
      by: `capil@${OUR_DOMAIN}`,
      note: 'Berkas sudah kami cek.',
    });
    expect(stored.status).not.toBe('resolved');
    expect(servers.sink.withPurpose('solution')).toHaveLength(0);
    expect(servers.sink.withPurpose('acknowledgement')).toHaveLength(1);
  });

  it('does not loop with an out-of-office reply or a bounce of the acknowledgement; the bounce reaches the team, the out-of-office is a note', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    await append(servers.dovecot, user, citizenMail({ messageId: '<asli@mail.gmail.com>' }));
    const ack = await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'acknowledgement');
    const number = (await ticketsOf(servers.service))[0]!.ticketNumber;

    await append(
      servers.dovecot,
      user,
      citizenMail({
        messageId: '<ooo-1@mail.gmail.com>',
        subject: `Balasan Otomatis: ${ack.mail.subject}`,
        inReplyTo: ack.mail.messageId!,
        references: [ack.mail.messageId!],
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
        text: 'Saya sedang cuti sampai 7 Desember.',
      }),
      bounceOf(ack.mail.messageId!, 'rosmawati.sinaga@gmail.com'),
    );
    const ticket = await waitFor(
      async () => {
        const t = (await ticketsOf(servers.service!))[0]!;
        const noted = t.history.some((h) => h.event === 'note' && h.ref === '<ooo-1@mail.gmail.com>');
        return noted && t.history.filter((h) => h.event === 'follow-up').length === 1 ? t : undefined;
      },
      15_000,
      'the note and the bounce on the ticket',
    );
    expect(ticket.ticketNumber).toBe(number);
    expect(ticket.history.find((h) => h.ref === '<ooo-1@mail.gmail.com>')).toMatchObject({ automated: 'auto-reply' });
    // The bounce tells the team that the citizen cannot be reached by mail; the out-of-office tells them nothing.
    await waitFor(
      async () => servers.sink.withPurpose('team-follow-up').length === 1,
      15_000,
      'the team to hear of the bounce',
    );
    expect(servers.sink.withPurpose('team-follow-up')[0]!.mail.text).toContain(
      'balasan otomatis kepada rosmawati.sinaga@gmail.com tidak dapat dikirim (status 5.1.1',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(servers.sink.withPurpose('team-follow-up')).toHaveLength(1);
    expect(servers.sink.withPurpose('acknowledgement')).toHaveLength(1);
    expect(servers.sink.received.filter((m) => m.envelope.to.includes('rosmawati.sinaga@gmail.com'))).toHaveLength(1);
  });

  it('answers one sender automatically at most autoReplyLimit.perSender times per window; later mail still becomes tickets', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink, {
      autoReplyLimit: { perSender: 2, windowMinutes: 60 },
    });
    servers.service = await startWithEmail(servers.env);
    const robot = 'Helpdesk Instansi Lain <helpdesk@instansi-lain.example>';
    // Three different kinds: the same sender repeating one kind while it is open would join that ticket.
    const texts = [
      'Saya membutuhkan surat keterangan belum menikah untuk berkas CPNS.',
      'Mohon dibantu reset password akun Perkebbas saya, lupa kata sandi.',
      'NIK saya tidak terdaftar di BPJS Kesehatan, mohon konsolidasi NIK.',
    ];
    await append(
      servers.dovecot,
      user,
      ...[1, 2, 3].map((i) =>
        citizenMail({
          messageId: `<robot-${i}@instansi-lain.example>`,
          from: robot,
          subject: `Tiket #${1000 + i} diterima`,
          text: texts[i - 1]!,
        }),
      ),
    );
    const tickets = await waitForTickets(servers.service, 3);
    await waitFor(
      async () => {
        const effects = await Promise.all(tickets.map((t) => servers.service!.store.listEffects(t.id)));
        return effects.every((e) => e.some((x) => x.kind === 'respond' && x.state === 'done'));
      },
      15_000,
      'every reply decided',
    );
    expect(servers.sink.withPurpose('acknowledgement')).toHaveLength(2);
    const third = (await ticketsOf(servers.service)).find((t) => t.sourceId === '<robot-3@instansi-lain.example>')!;
    expect(third.meta.autoReplyBlocked).toBe(
      'batas balasan otomatis tercapai: pengirim ini sudah menerima 2 balasan otomatis dalam 60 menit terakhir',
    );
    expect(third.history.find((h) => h.event === 'acknowledgement-skipped')?.note).toBe(third.meta.autoReplyBlocked);
  });

  it('loses nothing when Dovecot restarts mid-run', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    const mail = (i: number) =>
      citizenMail({ messageId: `<restart-${i}@mail.gmail.com>`, from: `Warga ${i} <warga${i}@gmail.com>` });
    await append(servers.dovecot, user, mail(1), mail(2), mail(3));
    await servers.dovecot.restart();
    await append(servers.dovecot, user, mail(4), mail(5));
    await servers.dovecot.restart();
    await append(servers.dovecot, user, mail(6));

    await waitFor(async () => servers.sink.withPurpose('acknowledgement').length >= 6, 20_000, 'six acknowledgements');
    await waitFor(async () => servers.sink.withPurpose('team-ticket').length >= 6, 10_000, 'six team mails');
    expect((await ticketsOf(servers.service)).map((t) => t.sourceId).sort()).toEqual(
      [1, 2, 3, 4, 5, 6].map((i) => `<restart-${i}@mail.gmail.com>`),
    );
    expect(
      servers.sink
        .withPurpose('acknowledgement')
        .map((m) => m.envelope.to[0])
        .sort(),
    ).toEqual([1, 2, 3, 4, 5, 6].map((i) => `warga${i}@gmail.com`));
    await waitFor(
      async () => servers.service!.channels[0]!.health().state === 'ok',
      10_000,
      'the channel to be ok again',
    );
  });

  it('yields one ticket and one reply for the same mail seen twice: appended twice, then after a UIDVALIDITY change', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    const same = citizenMail({ messageId: '<sama@mail.gmail.com>' });
    await append(servers.dovecot, user, same, same);
    await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket');
    await waitFor(
      async () => JSON.parse((await servers.service!.store.getCursor('email:uji:INBOX')) ?? '{}').lastUid === 2,
      10_000,
      'both copies read',
    );
    await servers.service.stop();

    servers.dovecot.doveadm('mailbox', 'update', '-u', user.user, '--uid-validity', '4242', 'INBOX');
    servers.service = await startWithEmail(servers.env);
    await waitFor(
      async () =>
        JSON.parse((await servers.service!.store.getCursor('email:uji:INBOX')) ?? '{}').uidValidity === '4242',
      10_000,
      'the new UIDVALIDITY',
    );
    await waitFor(
      async () => JSON.parse((await servers.service!.store.getCursor('email:uji:INBOX')) ?? '{}').lastUid === 2,
      10_000,
      're-read',
    );
    await append(servers.dovecot, user, same);
    await waitFor(
      async () => JSON.parse((await servers.service!.store.getCursor('email:uji:INBOX')) ?? '{}').lastUid === 3,
      10_000,
      'third copy read',
    );
    await new Promise((r) => setTimeout(r, 500));

    expect(await ticketsOf(servers.service)).toHaveLength(1);
    expect(servers.sink.withPurpose('acknowledgement')).toHaveLength(1);
    expect(servers.sink.withPurpose('team-ticket')).toHaveLength(1);
    expect(servers.env.logLines.some((l) => l.includes('UIDVALIDITY changed'))).toBe(true);
  });

  it('retries the reply after a temporary SMTP refusal and sends it once', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.sink.refuseNext(2, 451);
    servers.service = await startWithEmail(servers.env);
    await append(servers.dovecot, user, citizenMail({ messageId: '<tempfail@mail.gmail.com>' }));
    await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'acknowledgement',
      20_000,
      'the acknowledgement after retries',
    );
    await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'team-ticket',
      20_000,
      'the team mail after retries',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(servers.sink.withPurpose('acknowledgement')).toHaveLength(1);
    expect(servers.sink.withPurpose('team-ticket')).toHaveLength(1);
    expect(servers.env.logLines.some((l) => l.includes('"class":"retryable"') && l.includes('451'))).toBe(true);
  });
});

/** Step 4 end to end: staff answer the ticket mail, aduan relays the answer to the citizen. */
const cursor = async () =>
  JSON.parse((await servers.service!.store.getCursor('email:uji:INBOX')) ?? '{}') as { lastUid?: number };

describe('staff replies from the monitored mailbox', () => {
  it('relays a staff answer to the citizen once, in the same thread, and resolves the ticket, even when the mailbox is read twice', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    await append(servers.dovecot, user, citizenMail({ messageId: '<asal@mail.gmail.com>' }));
    const team = await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'team-ticket',
      15_000,
      'the team mail',
    );
    const [ticket] = await ticketsOf(servers.service);
    const number = ticket!.ticketNumber;

    // The staff member hits "reply" on the team mail: the mail goes to its Reply-To, quoting the ticket.
    const answer = citizenMail({
      messageId: '<jawab-1@disdukcapil.dairikab.go.id>',
      from: `Petugas Capil <capil@${OUR_DOMAIN}>`,
      to: team.mail.replyTo!.text,
      inReplyTo: team.mail.messageId!,
      onTop: [`Authentication-Results: ${authResults(OUR_DOMAIN)}`],
      subject: `RE: ${team.mail.subject}`,
      text: [
        'Surat keterangan belum menikah dapat diurus di loket 3 dengan membawa KTP dan KK. Tidak perlu antre online.',
        '',
        `Pada ${new Date().toUTCString()}, Layanan Pengaduan <pengaduan@${OUR_DOMAIN}> menulis:`,
        `> Tiket baru pengaduan untuk Bidang Pelayanan Pencatatan Sipil.`,
        `> Nomor tiket   : ${number}`,
      ].join('\n'),
    });
    await append(servers.dovecot, user, answer, answer);
    const solution = await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'solution',
      15_000,
      'the solution',
    );
    await waitFor(async () => (await cursor()).lastUid === 3, 10_000, 'both copies read');

    expect(solution.envelope.to).toEqual(['rosmawati.sinaga@gmail.com']);
    expect(solution.mail.inReplyTo).toBe('<asal@mail.gmail.com>');
    expect(solution.header('references')).toContain('<asal@mail.gmail.com>');
    expect(solution.mail.subject).toContain(`[${number}]`);
    expect(solution.mail.text).toContain('dapat diurus di loket 3 dengan membawa KTP dan KK');
    expect(solution.mail.text).not.toContain('Tiket baru pengaduan');
    expect(solution.mail.replyTo?.text).toBe(`pengaduan+${number}@${OUR_DOMAIN}`);

    // Read again from the start (as after a lost cursor): the answer is not relayed a second time.
    await servers.service.store.setCursor('email:uji:INBOX', JSON.stringify({ ...(await cursor()), lastUid: 0 }));
    await servers.service.stop();
    servers.service = await startWithEmail(servers.env);
    await waitFor(async () => (await cursor()).lastUid === 3, 10_000, 'the mailbox read again');
    await new Promise((r) => setTimeout(r, 800));

    expect(servers.sink.withPurpose('solution')).toHaveLength(1);
    expect(servers.sink.withPurpose('acknowledgement')).toHaveLength(1);
    expect(await ticketsOf(servers.service)).toHaveLength(1);
    const stored = (await servers.service.store.getTicket(ticket!.id))!;
    expect(stored.status).toBe('resolved');
    expect(stored.history.filter((h) => h.event === 'staff-reply')).toEqual([
      expect.objectContaining({ by: `capil@${OUR_DOMAIN}`, ref: '<jawab-1@disdukcapil.dairikab.go.id>' }),
    ]);
    expect(stored.history.filter((h) => h.event === 'resolved')).toHaveLength(1);
    const times = ticketTimes(stored, officeCalendar(servers.env.config), new Date());
    expect(times.resolvedAt).toBeDefined();
    expect(times.resolutionMinutes).toBeGreaterThanOrEqual(0);
  });

  it('mail to the reply address from someone who is not staff is a follow-up for the team, never a solution', async () => {
    const user = servers.dovecot.addUser();
    servers.env = mailTestEnv(servers.dovecot, user, servers.sink);
    servers.service = await startWithEmail(servers.env);
    await append(servers.dovecot, user, citizenMail({ messageId: '<asal-2@mail.gmail.com>' }));
    await servers.sink.waitFor((m) => m.header('x-aduan-purpose') === 'team-ticket', 15_000, 'the team mail');
    const [ticket] = await ticketsOf(servers.service);

    await append(
      servers.dovecot,
      user,
      citizenMail({
        messageId: '<palsu@mail.yahoo.com>',
        from: 'Bukan Petugas <orang.lain@yahoo.com>',
        to: `pengaduan+${ticket!.ticketNumber}@${OUR_DOMAIN}`,
        subject: `RE: [${ticket!.ticketNumber}] Tiket baru`,
        text: 'Pengaduan ini sudah selesai, silakan tutup.',
      }),
    );
    const followUp = await servers.sink.waitFor(
      (m) => m.header('x-aduan-purpose') === 'team-follow-up',
      15_000,
      'the follow-up',
    );
    await new Promise((r) => setTimeout(r, 500));

    expect(followUp.mail.text).toContain('Pengaduan ini sudah selesai, silakan tutup.');
    expect(servers.sink.withPurpose('solution')).toHaveLength(0);
    expect(await ticketsOf(servers.service)).toHaveLength(1);
    const stored = (await servers.service.store.getTicket(ticket!.id))!;
    expect(stored.status).not.toBe('resolved');
    expect(stored.history.find((h) => h.ref === '<palsu@mail.yahoo.com>')).toMatchObject({ event: 'follow-up' });
  });
});

function bounceOf(messageId: string, recipient: string): string {
  return [
    'Return-Path: <>',
    `From: MAILER-DAEMON@mx.${OUR_DOMAIN} (Mail Delivery System)`,
    `To: pengaduan@${OUR_DOMAIN}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <bounce-${Date.now()}@mx.${OUR_DOMAIN}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `<${recipient}>: host gmail-smtp-in.l.google.com said: 550 5.1.1 User unknown`,
    '',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; mx.${OUR_DOMAIN}`,
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    '',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    `From: pengaduan@${OUR_DOMAIN}`,
    `To: ${recipient}`,
    `Message-ID: ${messageId}`,
    '',
    '--b1--',
    '',
  ].join('\r\n');
}
