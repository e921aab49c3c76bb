import { parseEmail } from '../../../src/channels/email/parse';
import { normalizeEmail } from '../../../src/channels/email/normalize';
import { validateComplaint } from '../../../src/domain/complaint';
import { complaintOf, context, fixture, normalizeFixture } from './fixtures';

describe('normalizeEmail on captured mail', () => {
  it('turns a Gmail complaint into the complaint record, signature kept apart', async () => {
    const { complaint, automation, looksNew } = await complaintOf('gmail-new-complaint.eml');
    expect(complaint).toMatchObject({
      channel: 'email',
      sourceId: '<CAJx7pQm2v0Lz8f1rQ9Wd3kS5bN@mail.gmail.com>',
      references: [],
      receivedAt: '2026-11-30T02:12:28.000Z',
      complainant: { name: 'Rosmawati Sinaga', email: 'rosmawati.sinaga@gmail.com' },
      subject: 'Permohonan surat keterangan belum menikah',
      signature: 'Hormat saya,\nRosmawati Sinaga\n0813-6123-4455',
      autoReplyAllowed: true,
    });
    expect(complaint.text).toMatch(/^Dengan hormat,\n\nSaya Rosmawati Sinaga/);
    expect(complaint.text).toMatch(/Terima kasih\.$/);
    expect(automation.kind).toBe('human');
    expect(looksNew).toBe(true);
    expect(validateComplaint(complaint).ok).toBe(true);
  });

  it('prefers the IMAP arrival time over the Date header', async () => {
    const { complaint } = await complaintOf('gmail-new-complaint.eml', {
      receivedAt: new Date('2026-11-30T02:15:00Z'),
    });
    expect(complaint.receivedAt).toBe('2026-11-30T02:15:00.000Z');
  });

  it('keeps a reply chain apart and lists the ids it answers (ours included) as references', async () => {
    const { complaint, looksNew } = await complaintOf('gmail-follow-up.eml');
    expect(complaint.references).toEqual([
      '<CAJx7pQm2v0Lz8f1rQ9Wd3kS5bN@mail.gmail.com>',
      '<ADU-2026-000001.ack@disdukcapil.dairikab.go.id>',
    ]);
    expect(complaint.text).toMatch(/^Terima kasih atas balasannya\./);
    expect(complaint.text).toMatch(/lewat email\?$/);
    expect(complaint.quotedText).toMatch(/^Pada Sen, 30 Nov 2026 pukul 09\.13 .*\n.*menulis:/);
    expect(complaint.quotedText).toContain('> Yth. Rosmawati Sinaga,');
    expect(looksNew).toBe(false);
  });

  it('decodes Outlook quoted-printable Windows-1252 and splits "-----Original Message-----"', async () => {
    const { complaint } = await complaintOf('outlook-original-message.eml');
    expect(complaint.subject).toBe('RE: Akta kelahiran anak – salah penulisan nama');
    expect(complaint.text).toContain('tertulis “Kristin Simanjutak”, seharusnya “Kristin Simanjuntak”');
    expect(complaint.text).toContain('perbaikannya – apakah');
    expect(complaint.signature).toBe('Salam,\nLamhot Simanjuntak');
    expect(complaint.quotedText).toMatch(/^-----Original Message-----\nFrom: Lamhot/);
  });

  it('decodes base64 UTF-8 and treats "Dikirim dari Yahoo Mail di Android" as signature', async () => {
    const { complaint } = await complaintOf('yahoo-mobile.eml');
    expect(complaint.text).toMatch(
      /^Selamat pagi min, saya lupa password akun Perkebbas\..*Kec\. Sumbul\. Terima kasih\.$/s,
    );
    expect(complaint.signature).toBe('Dikirim dari Yahoo Mail di Android');
  });

  it('converts HTML-only mail to clean text without script, style or the quoted part', async () => {
    const { complaint } = await complaintOf('html-only-gmail-reply.eml');
    expect(complaint.subject).toBe('KTP-el belum dicetak sejak Agustus');
    expect(complaint.text).toMatch(
      /^Selamat pagi,\n\nSaya sudah perekaman KTP-el di kantor kecamatan Tigalingga pada bulan Agustus,/,
    );
    expect(complaint.text).toMatch(/Terima kasih$/);
    expect(complaint.text).not.toMatch(/<|alert\(|color:red|&nbsp;/);
    expect(complaint.quotedText).toMatch(/^On Tue, 1 Dec 2026 at 15:10, Maruli Capah/);
    expect(complaint.quotedText).toContain('> Draf pertanyaan KTP');
  });

  it('decodes ISO-8859-1 8-bit bodies and encoded words', async () => {
    const { complaint } = await complaintOf('iso-8859-1-8bit.eml');
    expect(complaint.subject).toBe('Biaya legalisir ± berapa?');
    expect(complaint.complainant.name).toBe('Parulian Berútu');
    expect(complaint.text).toContain('± Rp 5.000 per lembar.\nSuhu di kantor 30°C, antrean panjang ½ hari.');
  });

  it('decodes Windows-1252 quoted-printable (curly quotes, dash, euro, ellipsis)', async () => {
    const { complaint } = await complaintOf('windows-1252-qp.eml');
    expect(complaint.text).toContain(
      'NIK saya “tidak padan” dengan data Dukcapil. Saya tinggal di Sumbul sejak 2015 – apakah',
    );
    expect(complaint.text).toMatch(/€ 0 katanya gratis…$/);
    expect(complaint.signature).toBe('Salam hormat,\nTiurma Siregar');
  });

  it('decodes 8-bit text without a declared charset: UTF-8 when it is UTF-8, else Windows-1252', async () => {
    const { complaint } = await complaintOf('outlook-cp1252-8bit-no-charset.eml');
    expect(complaint.text).toContain(
      'Saya André Sitorus dari Desa Bangun. “Suket pindah” untuk keluarga kami\nsudah diajukan sejak 2 minggu – tapi belum terbit juga. Mohon info…',
    );
    expect(complaint.text).not.toContain('\ufffd');
    const utf8 = Buffer.from(
      'From: a@example.com\r\nTo: pengaduan@disdukcapil.dairikab.go.id\r\nSubject: x\r\nMessage-ID: <u8@example.com>\r\n' +
        'Content-Transfer-Encoding: 8bit\r\n\r\nSaya André, “suket pindah” – belum terbit.\r\n',
    );
    expect((await parseEmail(utf8)).text).toBe('Saya André, “suket pindah” – belum terbit.\n');
  });

  it('decodes UTF-8 B and Q encoded words (subject over two lines, emoji); an unauthenticated Reply-To is not answered', async () => {
    const { complaint, replyAddress } = await complaintOf('encoded-word-headers.eml');
    expect(complaint.subject).toBe('Akta kematian ayah – mohon dibantu 🙏');
    expect(complaint.complainant).toEqual({
      name: 'Nurhayati Pasaribu – Kec. Sidikalang',
      email: 'nurhayati.pasaribu@gmail.com',
    });
    expect(complaint.meta.from).toBeUndefined();
    expect(complaint.meta.replyTo).toBe('nurhayati.kerja@example.com');
    expect(complaint.meta.senderAuth).toBe('none');
    expect(replyAddress).toBe('nurhayati.pasaribu@gmail.com');
    expect(complaint.text).toContain('akta kematian');
  });

  it('answers Reply-To when the trusted server authenticated the From domain', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        'Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@gmail.com;\r\n       dmarc=pass (p=NONE) header.from=gmail.com\r\n',
      ),
      fixture('encoded-word-headers.eml'),
    ]);
    const trust = { authservIds: ['mx.google.com'], maxHeaders: 1, alignedSpf: false, trustUnauthenticatedFrom: false };
    const decision = normalizeEmail(await parseEmail(raw), context({ trust }));
    if (decision.kind !== 'complaint') throw new Error(decision.kind);
    expect(decision.complaint.complainant).toEqual({
      name: 'Nurhayati Pasaribu',
      email: 'nurhayati.kerja@example.com',
    });
    expect(decision.complaint.meta).toMatchObject({
      from: 'nurhayati.pasaribu@gmail.com',
      senderAuth: 'pass',
      senderAuthNote: 'dmarc=pass (mx.google.com)',
    });
    expect(decision.replyAddress).toBe('nurhayati.kerja@example.com');
  });

  it('unpacks a forwarded message/rfc822 into the text instead of keeping an opaque .eml (forwarded-messages.test)', async () => {
    const { complaint, files } = await complaintOf('forwarded-rfc822.eml');
    expect(complaint.text).toMatch(/^Berikut email dari bank/);
    expect(complaint.text).toContain('Subjek: Pembukaan rekening ditolak');
    expect(complaint.attachments).toEqual([]);
    expect(files).toEqual([]);
  });

  it('records attachments with sha256, size and type, stored by content hash', async () => {
    const { complaint, files } = await complaintOf('with-attachments.eml');
    expect(complaint.attachments).toEqual([
      {
        filename: 'akta kelahiran.pdf',
        contentType: 'application/pdf',
        size: 125,
        sha256: expect.any(String),
        storedAt: expect.stringMatching(/^\/var\/aduan\/attachments\/[0-9a-f]{2}\/[0-9a-f]{64}$/),
      },
      {
        filename: 'lampiran-2.png',
        contentType: 'image/png',
        size: 70,
        sha256: expect.any(String),
        storedAt: expect.any(String),
      },
    ]);
    expect(files.map((f) => f.path)).toEqual(complaint.attachments.map((a) => a.storedAt));
  });

  it('lists an attachment over the cap with a reason and does not store it', async () => {
    const { complaint, files } = await complaintOf('with-attachments.eml', {
      attachments: { folder: '/x', maxBytes: 100 },
    });
    expect(complaint.attachments[0]).toEqual({
      filename: 'akta kelahiran.pdf',
      contentType: 'application/pdf',
      size: 125,
      sha256: expect.any(String),
      skippedReason: 'tidak disimpan: ukuran 0,0 MB melebihi batas 0,0 MB',
    });
    expect(complaint.attachments[1]!.storedAt).toBeDefined();
    expect(files).toHaveLength(1);
  });

  it('reads what it can from malformed MIME (unclosed boundary, broken base64, bad QP)', async () => {
    const { complaint } = await complaintOf('malformed-mime.eml');
    expect(complaint.text).toMatch(/^Saya butuh surat keterangan domisili/);
    expect(complaint.attachments[0]).toMatchObject({ filename: 'surat pengantar.pdf', contentType: 'application/pdf' });
    expect(validateComplaint(complaint).ok).toBe(true);
  });

  it('removes control characters and broken 8-bit bytes from headers', async () => {
    const { complaint } = await complaintOf('header-8bit-garbage.eml');
    expect(complaint.subject).toBe('Pindah datang ( SKPWNI belum keluar');
    expect(complaint.complainant).toEqual({ name: 'Sondang Manik', email: 'sondang.manik@example.org' });
    expect(validateComplaint(complaint).ok).toBe(true);
  });

  it('accepts mail without From (no one to answer) and an empty body with a subject', async () => {
    const noFrom = await complaintOf('missing-from.eml');
    expect(noFrom.complaint.complainant).toEqual({});
    expect(noFrom.replyAddress).toBeUndefined();
    expect(validateComplaint(noFrom.complaint).ok).toBe(true);
    const empty = await complaintOf('empty-body.eml');
    expect(empty.complaint.text).toBe('');
    expect(validateComplaint(empty.complaint).ok).toBe(true);
  });

  it('produces a record the boundary rejects (quarantine) for mail with neither subject nor body', async () => {
    const { complaint } = await complaintOf('no-content.eml');
    expect(validateComplaint(complaint)).toEqual({
      ok: false,
      reason: 'text: complaint has no text, no subject and no attachment',
    });
  });

  it('derives a stable source id from the headers and body when Message-ID is missing', async () => {
    const a = await complaintOf('missing-message-id.eml');
    const b = await complaintOf('missing-message-id.eml', { now: new Date(), receivedAt: new Date() });
    expect(a.complaint.sourceId).toMatch(/^<no-message-id\.[0-9a-f]{40}@aduan\.invalid>$/);
    expect(b.complaint.sourceId).toBe(a.complaint.sourceId);
    const other = normalizeEmail(
      await parseEmail(Buffer.from(fixture('missing-message-id.eml').toString().replace('konsolidasi', 'perbaikan'))),
      context(),
    );
    expect(other.kind === 'complaint' && other.complaint.sourceId).not.toBe(a.complaint.sourceId);
  });

  it('skips copies of our own outgoing mail', async () => {
    expect(await normalizeFixture('own-team-mail.eml')).toMatchObject({
      kind: 'own-mail',
      sourceId: '<ADU-2026-000004.team@disdukcapil.dairikab.go.id>',
    });
  });

  it('keeps a staff reply (own address) as a record that threads to our team mail without an answer', async () => {
    const { complaint } = await complaintOf('staff-reply.eml');
    expect(complaint.references).toEqual(['<ADU-2026-000003.team@disdukcapil.dairikab.go.id>']);
    expect(complaint.autoReplyAllowed).toBe(false);
    expect(complaint.meta.automated).toBe('own');
  });
});

describe('normalizeEmail on automatic mail', () => {
  it('records an out-of-office reply to our acknowledgement as noise that still names its ticket', async () => {
    expect(await normalizeFixture('gmail-out-of-office.eml')).toMatchObject({
      kind: 'noise',
      noiseKind: 'auto-reply',
      reason: 'balasan otomatis (Auto-Submitted: auto-replied)',
      aboutStaffMail: false,
      sender: 'rosmawati.sinaga@gmail.com',
      references: ['<ADU-2026-000001.ack@disdukcapil.dairikab.go.id>'],
      replyTag: 'ADU-2026-000001',
      excerpt: expect.stringContaining('Saya sedang cuti sampai 7 Desember 2026'),
    });
  });

  it('attaches a bounce of our acknowledgement to its ticket via the Message-ID inside the report', async () => {
    const { complaint } = await complaintOf('dsn-postfix-ack.eml');
    expect(complaint.references).toEqual(['<ADU-2026-000001.ack@disdukcapil.dairikab.go.id>']);
    expect(complaint.autoReplyAllowed).toBe(false);
    expect(complaint.text).toBe(
      'Laporan server email: balasan otomatis kepada rosmawati.sinaga@gmial.com tidak dapat dikirim (status 5.1.1: 550 5.1.1 User unknown). Hubungi pelapor melalui kanal lain bila perlu.',
    );
    expect(complaint.quotedText).toContain('User unknown');
    expect(complaint.meta).toMatchObject({
      automated: 'bounce',
      bounceRecipient: 'rosmawati.sinaga@gmial.com',
      bounceStatus: '5.1.1',
    });
    expect(complaint.attachments).toEqual([]);
  });

  it('records a bounce of our team mail as noise (no follow-up that would bounce again)', async () => {
    expect(await normalizeFixture('dsn-gmail-team.eml')).toMatchObject({
      kind: 'noise',
      aboutStaffMail: true,
      report: {
        originalMessageIds: ['<ADU-2026-000003.team@disdukcapil.dairikab.go.id>'],
        recipient: 'capil.lama@gmail.com',
        status: '5.1.1',
      },
    });
  });

  it('records backscatter (a bounce of mail we never sent) as noise', async () => {
    expect(await normalizeFixture('dsn-unrelated-backscatter.eml')).toMatchObject({
      kind: 'noise',
      aboutStaffMail: false,
    });
  });

  it('records newsletters as noise; a no-reply notification stays a record without an automatic answer', async () => {
    expect(await normalizeFixture('newsletter-bulk.eml', { size: 777 })).toMatchObject({
      kind: 'noise',
      noiseKind: 'list',
      reason: 'email milis (List-Id)',
      subject: 'Buletin Desember: standar pelayanan adminduk',
      size: 777,
    });
    // A no-reply address alone is no proof of a machine: portals send citizens' complaints from such addresses.
    const robot = await complaintOf('noreply-bank.eml');
    expect(robot.complaint.meta.autoReplyBlocked).toBe('dikirim dari alamat sistem (no-reply); tidak dibalas');
  });
});

describe('very long mail', () => {
  test('a body far over the limit is cut to exactly what the complaint record takes, with a note', async () => {
    const body = 'Mohon KTP-el saya segera dicetak. '.repeat(10_000);
    const raw = Buffer.from(
      `From: a@example.net\r\nSubject: panjang\r\nMessage-ID: <long@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
    );
    const decision = normalizeEmail(await parseEmail(raw), context());
    if (decision.kind !== 'complaint') throw new Error(decision.reason);
    const { complaint } = decision;
    expect(complaint.text.length).toBe(200_000);
    expect(complaint.text.endsWith('[… teks dipotong karena terlalu panjang]')).toBe(true);
    expect(validateComplaint(complaint).ok).toBe(true);
  });
});

describe('zero-width characters', () => {
  test('stray ones go; a joiner inside an emoji sequence stays', async () => {
    const text = 'KTP\u200b-el\u200d hilang 👨\u200d👩\u200d👧 👩🏽\u200d💻 🏳️\u200d🌈 \u200dx';
    const raw = Buffer.from(
      `From: a@example.net\r\nSubject: zwj\r\nMessage-ID: <zwj@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`,
    );
    const decision = normalizeEmail(await parseEmail(raw), context());
    if (decision.kind !== 'complaint') throw new Error(decision.reason);
    expect(decision.complaint.text).toBe('KTP-el hilang 👨\u200d👩\u200d👧 👩🏽\u200d💻 🏳️\u200d🌈 x');
  });
});
