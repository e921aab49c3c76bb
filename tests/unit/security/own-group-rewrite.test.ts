import { classifyAutomatedMail } from '../../../src/channels/email/automated-mail';

/**
 * The intake address run as a Google Group (or Mailman with DMARC mitigation) rewrites the From of a
 * citizen whose provider publishes p=reject (Yahoo, Hotmail): `'Warga' via Pengaduan <pengaduan@…>`,
 * the citizen in Reply-To, our own List-Id. Such a complaint must not be hidden as forged own-address mail.
 */

const DOMAIN = 'disdukcapil.dairikab.go.id';
const CTX = { intakeAddresses: new Set([`pengaduan@${DOMAIN}`]), ownDomain: DOMAIN };

test('a citizen mail whose From our own group rewrote is not forged-own-address', () => {
  const viaGroup = {
    headers: new Map(
      Object.entries({
        'list-id': `<pengaduan.${DOMAIN}>`,
        'list-post': `<mailto:pengaduan@${DOMAIN}>`,
        'reply-to': 'warga.sidikalang@yahoo.com',
        'x-original-sender': 'warga.sidikalang@yahoo.com',
      }),
    ),
    sender: `pengaduan@${DOMAIN}`,
    subject: 'KTP-el belum jadi sejak Agustus',
    sourceId: '<1234.yahoo@mail.yahoo.com>',
    references: [],
    replyTag: undefined,
  };
  expect(classifyAutomatedMail(viaGroup, CTX)).toBeUndefined();
});

test('the same From without our list headers is still forged', () => {
  const forged = {
    headers: new Map<string, string>(),
    sender: `pengaduan@${DOMAIN}`,
    subject: 'Verifikasi kotak surat Anda',
    sourceId: '<x@evil.example>',
    references: [],
    replyTag: undefined,
  };
  expect(classifyAutomatedMail(forged, CTX)?.kind).toBe('forged-own-address');
});
