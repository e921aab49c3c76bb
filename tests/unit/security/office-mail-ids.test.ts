import {
  citizenMailId,
  citizenReplyAddress,
  namesTicket,
  messageIdFor,
  parseOwnMessageId,
  parseReplyTag,
  provenTicket,
  replyTagOf,
  staffMailId,
  staffReplyAddress,
  ticketToken,
  unnamedNoticeId,
  verifyTicketToken,
} from '../../../src/domain/office-mail-ids';

const OLD = 'old-secret-0123456789abcdef0123456789abcdef';
const NEW = 'new-secret-fedcba9876543210fedcba9876543210';
const DOMAIN = 'disdukcapil.dairikab.go.id';

describe('reply tokens', () => {
  test('are 12 lower-case base32 characters, deterministic per ticket and secret, different across tickets and secrets', () => {
    const token = ticketToken('ADU-2026-000123', NEW);
    expect(token).toMatch(/^[a-z2-7]{12}$/);
    expect(ticketToken('adu-2026-000123', NEW)).toBe(token);
    expect(ticketToken('ADU-2026-000124', NEW)).not.toBe(token);
    expect(ticketToken('ADU-2026-000123', OLD)).not.toBe(token);
  });

  test('verify under the current secret and every previous one; fail under none, for another ticket or a changed character', () => {
    const oldToken = ticketToken('ADU-2026-000123', OLD);
    const newToken = ticketToken('ADU-2026-000123', NEW);
    const rotated = { current: NEW, previous: [OLD] };
    expect(verifyTicketToken('ADU-2026-000123', newToken, rotated)).toBe(true);
    expect(verifyTicketToken('ADU-2026-000123', oldToken, rotated)).toBe(true);
    expect(verifyTicketToken('ADU-2026-000123', oldToken.toUpperCase(), rotated)).toBe(true);
    expect(verifyTicketToken('ADU-2026-000123', oldToken, { current: NEW, previous: [] })).toBe(false);
    expect(verifyTicketToken('ADU-2026-000124', newToken, rotated)).toBe(false);
    const flipped = newToken.slice(0, -1) + (newToken.endsWith('a') ? 'b' : 'a');
    expect(verifyTicketToken('ADU-2026-000123', flipped, rotated)).toBe(false);
    expect(verifyTicketToken('ADU-2026-000123', newToken.slice(0, 8), rotated)).toBe(false);
    expect(verifyTicketToken('ADU-2026-000123', '', rotated)).toBe(false);
    expect(verifyTicketToken('ADU-2026-000123', newToken, { current: '', previous: [] })).toBe(false);
  });
});

describe('our reply addresses and Message-IDs, built and parsed in one place', () => {
  const secrets = { current: NEW, previous: [] };
  const token = ticketToken('ADU-2026-000123', NEW);

  test('staff mail carries the token in its Reply-To and Message-ID; citizen mail does not', () => {
    expect(staffReplyAddress(`pengaduan@${DOMAIN}`, 'ADU-2026-000123', secrets)).toBe(
      `pengaduan+ADU-2026-000123-${token}@${DOMAIN}`,
    );
    expect(citizenReplyAddress(`pengaduan@${DOMAIN}`, 'ADU-2026-000123')).toBe(`pengaduan+ADU-2026-000123@${DOMAIN}`);
    expect(messageIdFor(staffMailId('ADU-2026-000123', 'team', secrets), DOMAIN)).toBe(
      `<ADU-2026-000123-${token}.team@${DOMAIN}>`,
    );
  });

  test('parse back what they build', () => {
    const id = messageIdFor(staffMailId('ADU-2026-000123', 'remind', secrets), DOMAIN);
    expect(parseOwnMessageId(id, DOMAIN.toUpperCase())).toEqual({
      purpose: 'team',
      ticketNumber: 'ADU-2026-000123',
      token,
      suffix: 'remind',
    });
    expect(parseOwnMessageId(`<ADU-2026-000123.ack@${DOMAIN}>`, DOMAIN)).toEqual({
      purpose: 'acknowledgement',
      ticketNumber: 'ADU-2026-000123',
      suffix: 'ack',
    });
    expect(parseOwnMessageId(`<alert.email-auth.1@${DOMAIN}>`, DOMAIN)).toEqual({ purpose: 'alert' });
    expect(parseOwnMessageId(`<ADU-2026-000123.team@evil.example>`, DOMAIN)).toBeUndefined();
    const tag = replyTagOf(staffReplyAddress(`pengaduan@${DOMAIN}`, 'ADU-2026-000123', secrets))!;
    expect(parseReplyTag(tag)).toEqual({ ticketNumber: 'ADU-2026-000123', token });
    expect(parseReplyTag('ADU-2026-000123')).toEqual({ ticketNumber: 'ADU-2026-000123' });
  });

  test('only a valid token proves the ticket: a bare tag, a token-less or guessed Message-ID do not', () => {
    expect(provenTicket(parseReplyTag(`ADU-2026-000123-${token}`), secrets)).toBe('ADU-2026-000123');
    expect(provenTicket(parseReplyTag('ADU-2026-000123'), secrets)).toBeUndefined();
    expect(provenTicket(parseReplyTag('ADU-2026-000123-k7f3q9x2ab4c'), secrets)).toBeUndefined();
    expect(provenTicket(parseOwnMessageId(`<ADU-2026-000123.team@${DOMAIN}>`, DOMAIN), secrets)).toBeUndefined();
    // A token of one ticket does not prove another.
    expect(provenTicket(parseReplyTag(`ADU-2026-000124-${token}`), secrets)).toBeUndefined();
  });
});

test('a citizen message id names its ticket, except a notice that must not (a NIK-only join)', () => {
  expect(namesTicket(citizenMailId('ADU-2026-000123', 'join-abc'))).toBe(true);
  expect(namesTicket(unnamedNoticeId('join', '0123456789abcdef01234567'))).toBe(false);
  expect(unnamedNoticeId('join', 'k')).not.toMatch(/ADU-/);
});
