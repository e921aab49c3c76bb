import { assessAutomation, canonicalAddress, type MailFacts } from '../../../src/channels/email/loop-guard';
import { parseEmail } from '../../../src/channels/email/parse';
import { fixture } from './fixtures';

const OWN = new Set(['pengaduan@disdukcapil.dairikab.go.id', 'capil@disdukcapil.dairikab.go.id']);

function facts(headers: Record<string, string>, sender = 'warga@gmail.com', extra: Partial<MailFacts> = {}): MailFacts {
  return {
    headers: new Map(Object.entries(headers)),
    sender,
    subject: 'Pertanyaan KTP',
    isDeliveryReport: false,
    ...extra,
  };
}

describe('assessAutomation', () => {
  it('lets an ordinary citizen mail be answered', () => {
    expect(assessAutomation(facts({ 'auto-submitted': 'no' }), OWN)).toEqual({ kind: 'human' });
    expect(assessAutomation(facts({ 'return-path': '<warga@gmail.com>' }), OWN)).toEqual({ kind: 'human' });
  });

  it.each([
    [
      { 'auto-submitted': 'auto-replied' },
      'auto-reply',
      'pesan otomatis (Auto-Submitted: auto-replied); tidak dibalas',
    ],
    [
      { 'auto-submitted': 'auto-generated; owner-email="x@y"' },
      'robot',
      'pesan otomatis (Auto-Submitted: auto-generated); tidak dibalas',
    ],
    [{ 'auto-submitted': 'auto-notified' }, 'robot', 'pesan otomatis (Auto-Submitted: auto-notified); tidak dibalas'],
    [{ precedence: 'bulk' }, 'bulk', 'email massal (Precedence: bulk); tidak dibalas'],
    [{ precedence: 'list' }, 'bulk', 'email massal (Precedence: list); tidak dibalas'],
    [{ precedence: 'junk' }, 'bulk', 'email massal (Precedence: junk); tidak dibalas'],
    [{ precedence: 'auto_reply' }, 'auto-reply', 'balasan otomatis (Precedence: auto_reply); tidak dibalas'],
    [{ 'x-autoreply': 'yes' }, 'auto-reply', 'balasan otomatis (X-Autoreply); tidak dibalas'],
    [{ 'x-autorespond': 'vacation' }, 'auto-reply', 'balasan otomatis (X-Autorespond); tidak dibalas'],
    [
      { 'x-auto-response-suppress': 'All' },
      'robot',
      'pengirim meminta tanpa balasan otomatis (X-Auto-Response-Suppress); tidak dibalas',
    ],
    [{ 'list-id': '<warga.lists.example>' }, 'bulk', 'email milis/massal (List-Id); tidak dibalas'],
    [{ 'list-unsubscribe': '<mailto:u@x>' }, 'bulk', 'email milis/massal (List-Unsubscribe); tidak dibalas'],
    [{ 'return-path': '<>' }, 'robot', 'alamat pengembalian kosong (Return-Path: <>); tidak dibalas'],
    [
      { 'x-failed-recipients': 'warga@gmial.com' },
      'bounce',
      'laporan gagal kirim (bounce) dari server email; tidak dibalas',
    ],
  ])('blocks %j', (headers, kind, reason) => {
    expect(assessAutomation(facts(headers), OWN)).toEqual({ kind, reason });
  });

  it.each(['MAILER-DAEMON@mx.example', 'postmaster@example.org'])('treats %s as a bounce sender', (sender) => {
    expect(assessAutomation(facts({}, sender), OWN).kind).toBe('bounce');
  });

  it.each([
    'noreply@bank.example',
    'no-reply@bpjs.example',
    'do-not-reply@x.example',
    'donotreply@x.example',
    'notifications@x.example',
  ])('treats %s as a robot', (sender) => {
    expect(assessAutomation(facts({}, sender), OWN).kind).toBe('robot');
  });

  it('does not answer our own addresses, also with a +tag or another case', () => {
    for (const sender of [
      'pengaduan@disdukcapil.dairikab.go.id',
      'Pengaduan+ADU-2026-000001@Disdukcapil.Dairikab.go.id',
      'capil@disdukcapil.dairikab.go.id',
    ]) {
      expect(assessAutomation(facts({}, sender), OWN)).toMatchObject({ kind: 'own' });
    }
  });

  it('recognises out-of-office subjects in Indonesian and English', () => {
    for (const subject of [
      'Balasan Otomatis: Re: KTP',
      'Automatic reply: Akta',
      'Out of Office: Re: KIA',
      'Autoreply: pengaduan',
    ]) {
      expect(assessAutomation(facts({}, 'warga@gmail.com', { subject }), OWN).kind).toBe('auto-reply');
    }
    expect(
      assessAutomation(facts({}, 'warga@gmail.com', { subject: 'Kenapa balasan otomatis tidak masuk?' }), OWN).kind,
    ).toBe('human');
  });

  it('recognises a delivery-status report and Exchange auto-replies from captured mail', async () => {
    const cases: Array<[string, string]> = [
      ['dsn-postfix-ack.eml', 'bounce'],
      ['dsn-gmail-team.eml', 'bounce'],
      ['gmail-out-of-office.eml', 'auto-reply'],
      ['outlook-automatic-reply.eml', 'auto-reply'],
      ['newsletter-bulk.eml', 'bulk'],
      ['gmail-new-complaint.eml', 'human'],
      ['outlook-original-message.eml', 'human'],
    ];
    for (const [name, kind] of cases) {
      const mail = await parseEmail(fixture(name));
      const headers = new Map(
        mail.headerLines.map(({ key, line }) => [key, line.slice(line.indexOf(':') + 1).trim()] as [string, string]),
      );
      const contentType = mail.headers.get('content-type') as { value: string };
      const result = assessAutomation(
        {
          headers,
          sender: mail.from?.value[0]?.address,
          subject: mail.subject,
          isDeliveryReport: contentType.value === 'multipart/report',
        },
        OWN,
      );
      expect([name, result.kind]).toEqual([name, kind]);
    }
  });
});

describe('canonicalAddress', () => {
  it('lower-cases and drops the +tag', () => {
    expect(canonicalAddress(' Pengaduan+ADU-2026-000001@Example.GO.ID ')).toBe('pengaduan@example.go.id');
  });
});
