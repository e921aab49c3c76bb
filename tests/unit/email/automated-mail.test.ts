import { classifyAutomatedMail, type AutomatedMailFacts } from '../../../src/channels/email/automated-mail';
import { normalizeEmail } from '../../../src/channels/email/normalize';
import { parseEmail } from '../../../src/channels/email/parse';
import { context, normalizeFixture, OWN_DOMAIN } from './fixtures';

const CTX = { intakeAddresses: new Set([`pengaduan@${OWN_DOMAIN}`]), ownDomain: OWN_DOMAIN };

function mail(headers: Record<string, string>, extra: Partial<AutomatedMailFacts> = {}): AutomatedMailFacts {
  return {
    headers: new Map(Object.entries(headers)),
    sender: 'warga@gmail.com',
    subject: 'Pertanyaan KTP',
    sourceId: '<CAabc@mail.gmail.com>',
    references: [],
    replyTag: undefined,
    ...extra,
  };
}

describe('classifyAutomatedMail: each signal', () => {
  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'auto-reply', 'balasan otomatis (Auto-Submitted: auto-replied)'],
    [
      { 'auto-submitted': 'Auto-Replied; owner-email="x@y"' },
      'auto-reply',
      'balasan otomatis (Auto-Submitted: Auto-Replied)',
    ],
    [
      { 'auto-submitted': 'auto-generated' },
      'auto-generated',
      'pesan yang dibuat mesin (Auto-Submitted: auto-generated)',
    ],
    [
      { 'auto-submitted': 'auto-notified' },
      'auto-generated',
      'pesan yang dibuat mesin (Auto-Submitted: auto-notified)',
    ],
    [{ 'x-autoreply': 'yes' }, 'auto-reply', 'balasan otomatis (X-Autoreply)'],
    [{ 'x-autorespond': 'vacation' }, 'auto-reply', 'balasan otomatis (X-Autorespond)'],
    [{ precedence: 'auto_reply' }, 'auto-reply', 'balasan otomatis (Precedence: auto_reply)'],
    [{ 'x-auto-response-suppress': 'All' }, 'auto-generated', 'pesan yang dibuat mesin (X-Auto-Response-Suppress)'],
    [{ precedence: 'bulk' }, 'bulk', 'email massal (Precedence: bulk)'],
    [{ precedence: 'junk' }, 'bulk', 'email massal (Precedence: junk)'],
    [{ precedence: 'list' }, 'list', 'email milis (Precedence: list)'],
    [{ 'list-id': '<warga.lists.example>' }, 'list', 'email milis (List-Id)'],
    [{ 'list-post': '<mailto:warga@lists.example>' }, 'list', 'email milis (List-Post)'],
    [{ 'list-unsubscribe': '<mailto:u@x.example>' }, 'bulk', 'email massal/buletin (List-Unsubscribe)'],
    [
      { 'content-type': 'multipart/report; report-type=delivery-status; boundary="b"' },
      'delivery-report',
      'laporan pengiriman dari server email (Content-Type: multipart/report)',
    ],
    [
      { 'content-type': 'multipart/report; report-type="disposition-notification"; boundary="b"' },
      'delivery-report',
      'tanda terima baca (Content-Type: multipart/report; disposition-notification)',
    ],
    [{ 'x-failed-recipients': 'warga@gmial.com' }, 'delivery-report', 'laporan gagal kirim (X-Failed-Recipients)'],
    [{ 'return-path': '<>' }, 'auto-generated', 'alamat pengembalian kosong (Return-Path: <>), ciri pesan mesin'],
  ])('%j → %s', (headers, kind, reason) => {
    expect(classifyAutomatedMail(mail(headers), CTX)).toEqual({ kind, reason });
  });

  it.each(['MAILER-DAEMON@mx.example', 'postmaster@example.org'])(
    'treats mail from %s as a delivery report',
    (sender) => {
      expect(classifyAutomatedMail(mail({}, { sender: sender.toLowerCase() }), CTX)?.kind).toBe('delivery-report');
    },
  );

  it('an Outlook automatic reply: the subject counts together with X-Auto-Response-Suppress', () => {
    expect(
      classifyAutomatedMail(mail({ 'x-auto-response-suppress': 'All' }, { subject: 'Automatic reply: KTP' }), CTX),
    ).toEqual({
      kind: 'auto-reply',
      reason: 'balasan otomatis Outlook/Exchange (subjek dan X-Auto-Response-Suppress)',
    });
  });

  it('an auto-reply that also says Precedence: bulk is an auto-reply (the stronger signal first)', () => {
    expect(classifyAutomatedMail(mail({ 'auto-submitted': 'auto-replied', precedence: 'bulk' }), CTX)?.kind).toBe(
      'auto-reply',
    );
  });

  it('mail From our intake address without our Message-ID or a token is forged', () => {
    const forged = mail({}, { sender: `pengaduan@${OWN_DOMAIN}`, subject: 'Verifikasi kotak surat Anda' });
    expect(classifyAutomatedMail(forged, CTX)).toEqual({
      kind: 'forged-own-address',
      reason: `memakai alamat kantor sendiri (pengaduan@${OWN_DOMAIN}) tanpa Message-ID atau token kantor; kemungkinan email palsu`,
    });
    // +tag and letter case do not hide it.
    expect(classifyAutomatedMail({ ...forged, sender: `Pengaduan+x@${OWN_DOMAIN.toUpperCase()}` }, CTX)?.kind).toBe(
      'forged-own-address',
    );
    // A bare ticket tag proves nothing either (anyone can write pengaduan+ADU-…@).
    expect(classifyAutomatedMail({ ...forged, replyTag: 'ADU-2026-000001' }, CTX)?.kind).toBe('forged-own-address');
  });

  it('mail From our intake address that answers our mail (our Message-ID, a token tag) is not called forged', () => {
    const own = mail({}, { sender: `pengaduan@${OWN_DOMAIN}` });
    expect(
      classifyAutomatedMail({ ...own, references: [`<ADU-2026-000001-abcdefghijkl.team@${OWN_DOMAIN}>`] }, CTX),
    ).toBe(undefined);
    expect(classifyAutomatedMail({ ...own, replyTag: 'ADU-2026-000001-abcdefghijkl' }, CTX)).toBe(undefined);
  });
});

describe('classifyAutomatedMail: people are not machines', () => {
  it.each([
    ['Auto-Submitted: no', { 'auto-submitted': 'no' }],
    ['Precedence: normal', { precedence: 'normal' }],
    ['Precedence: first-class', { precedence: 'first-class' }],
    ['a Gmail X-Mailer', { 'x-mailer': 'Gmail Mobile', 'return-path': '<warga@gmail.com>' }],
    ['an ordinary Return-Path', { 'return-path': '<warga@gmail.com>' }],
    ['an Outlook inbox-rule forward', { 'x-ms-exchange-inbox-rules-loop': 'warga@outlook.com' }],
    [
      "a village office's Exchange rule forwarding a citizen's mail",
      {
        'x-ms-exchange-generated-message-source': 'Mailbox Rules Agent',
        'x-ms-exchange-inbox-rules-loop': 'desa@x.go.id',
      },
    ],
    ['a multipart/mixed mail', { 'content-type': 'multipart/mixed; boundary="x"' }],
  ])('%s', (_, headers) => {
    expect(classifyAutomatedMail(mail(headers), CTX)).toBe(undefined);
  });

  it('a reply in a thread without a list, with an out-of-office word in the subject only', () => {
    const reply = mail(
      { 'in-reply-to': '<CAold@mail.gmail.com>' },
      {
        subject: 'Out of office kemarin, baru sempat balas: KTP saya belum jadi',
        references: ['<CAold@mail.gmail.com>'],
      },
    );
    expect(classifyAutomatedMail(reply, CTX)).toBe(undefined);
  });

  it('a staff member (a team address, not the intake address) is not forged', () => {
    expect(classifyAutomatedMail(mail({}, { sender: `capil@${OWN_DOMAIN}` }), CTX)).toBe(undefined);
  });

  it('our own list (the intake address as a Google Group) adds list headers to a citizen mail: still a complaint', () => {
    const viaGroup = mail({
      'list-id': `<pengaduan.${OWN_DOMAIN}>`,
      'list-post': `<mailto:pengaduan@${OWN_DOMAIN}>`,
      'list-unsubscribe': `<mailto:googlegroups-manage+1+unsubscribe@googlegroups.com>`,
      precedence: 'list',
    });
    expect(classifyAutomatedMail(viaGroup, CTX)).toBe(undefined);
    expect(
      classifyAutomatedMail(mail({ 'list-post': `<mailto:pengaduan@${OWN_DOMAIN}>`, precedence: 'list' }), CTX),
    ).toBe(undefined);
    // A list of someone else's under a look-alike domain still counts.
    expect(classifyAutomatedMail(mail({ 'list-id': `<x.not${OWN_DOMAIN}>` }), CTX)?.kind).toBe('list');
  });
});

describe('classifyAutomatedMail: senders whose automated mail is a complaint', () => {
  const portal = mail({ 'auto-submitted': 'auto-generated', 'list-unsubscribe': '<mailto:u@lapor.go.id>' });
  it.each([['notifikasi@lapor.go.id'], ['@lapor.go.id'], ['@LAPOR.go.id'], ['Notifikasi@lapor.go.id']])(
    'acceptFrom %s lets a portal notification through',
    (entry) => {
      const sender = 'notifikasi+123@lapor.go.id';
      expect(classifyAutomatedMail({ ...portal, sender }, { ...CTX, acceptFrom: [entry] })).toBe(undefined);
    },
  );

  it('another sender or a look-alike domain is still noise', () => {
    for (const sender of ['notifikasi@lapor.go.id.evil.example', 'robot@lapor.go.id'])
      expect(
        classifyAutomatedMail(
          { ...portal, sender },
          { ...CTX, acceptFrom: ['notifikasi@lapor.go.id', '@x.lapor.go.id'] },
        ),
      ).toEqual({ kind: 'auto-generated', reason: 'pesan yang dibuat mesin (Auto-Submitted: auto-generated)' });
  });
});

describe('automated mail through parse and normalize', () => {
  it.each([
    ['gmail-out-of-office.eml', 'auto-reply'],
    ['outlook-automatic-reply.eml', 'auto-reply'],
    ['newsletter-bulk.eml', 'list'],
    ['dsn-unrelated-backscatter.eml', 'delivery-report'],
    ['dsn-gmail-team.eml', 'delivery-report'],
  ])('%s → noise (%s)', async (name, kind) => {
    expect(await normalizeFixture(name)).toMatchObject({ kind: 'noise', noiseKind: kind });
  });

  it.each([
    'gmail-new-complaint.eml',
    'yahoo-mobile.eml',
    'gmail-follow-up.eml',
    'noreply-bank.eml',
    'staff-reply.eml',
  ])('%s stays a complaint', async (name) => {
    expect((await normalizeFixture(name, { intakeAddresses: CTX.intakeAddresses })).kind).toBe('complaint');
  });

  it('a bounce of our reply to a citizen stays a follow-up for the team (they must reach the citizen another way)', async () => {
    expect((await normalizeFixture('dsn-postfix-ack.eml')).kind).toBe('complaint');
  });

  it('a phishing mail forged with the intake address is noise, not a ticket', async () => {
    const raw = Buffer.from(
      [
        `From: Admin Pengaduan <pengaduan@${OWN_DOMAIN}>`,
        `To: pengaduan@${OWN_DOMAIN}`,
        'Subject: Kotak surat Anda hampir penuh - verifikasi sekarang',
        'Message-ID: <phish-1@mailer.evil.example>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Klik tautan berikut untuk memverifikasi kotak surat Anda.',
      ].join('\r\n'),
    );
    const decision = normalizeEmail(await parseEmail(raw), context({ intakeAddresses: CTX.intakeAddresses }));
    expect(decision).toMatchObject({ kind: 'noise', noiseKind: 'forged-own-address', aboutStaffMail: false });
  });
});
