import { messageValues, renderTemplate, renderUrl } from '../../../src/channels/shared/body-template';
import { authHeaders } from '../../../src/channels/shared/http-auth';
import { signBody, verifyBodySignature } from '../../../src/channels/portal/webhook-signature';
import type { OutgoingMessage } from '../../../src/outbound/message';

const message: OutgoingMessage = {
  id: 'ADU-2026-000123.ack',
  purpose: 'acknowledgement',
  channel: 'perkebbas',
  to: ['PKB/17'],
  subject: 'Pengaduan diterima',
  text: 'Terima kasih, "tiket" ADU-2026-000123.',
};

describe('message templates', () => {
  const values = messageValues(message, 'PKB/17');
  it('replaces whole placeholders with the value and interpolates the rest, keeping JSON valid', () => {
    expect(
      renderTemplate(
        { tanggapan: '{{text}}', ref: 'Tiket {{ ticketNumber }} ({{purpose}})', tetap: 5, daftar: ['{{to}}'] },
        values,
      ),
    ).toEqual({
      tanggapan: 'Terima kasih, "tiket" ADU-2026-000123.',
      ref: 'Tiket ADU-2026-000123 (acknowledgement)',
      tetap: 5,
      daftar: ['PKB/17'],
    });
    expect(renderUrl('https://p/api/pengaduan/{{to}}/tanggapan', values)).toBe(
      'https://p/api/pengaduan/PKB%2F17/tanggapan',
    );
  });
});

describe('auth headers', () => {
  it.each([
    [{ kind: 'none' as const }, {}],
    [{ kind: 'bearer' as const, token: 't0k' }, { authorization: 'Bearer t0k' }],
    [
      { kind: 'basic' as const, username: 'aduan', password: 'p:w' },
      { authorization: `Basic ${Buffer.from('aduan:p:w').toString('base64')}` },
    ],
    [{ kind: 'api-key' as const, header: 'X-API-Key', value: 'k' }, { 'x-api-key': 'k' }],
  ])('%j', (auth, headers) => {
    expect(authHeaders(auth)).toEqual(headers);
  });
});

describe('webhook signatures', () => {
  const body = Buffer.from('{"id":"PKB-1"}');
  const secret = 'a-shared-secret-of-enough-length';
  it('accepts hex (with or without sha256=) and base64 HMAC-SHA256 of the raw body', () => {
    expect(verifyBodySignature(body, signBody(body, secret), secret, 'hex')).toBe(true);
    expect(verifyBodySignature(body, `sha256=${signBody(body, secret).toUpperCase()}`, secret, 'hex')).toBe(true);
    expect(verifyBodySignature(body, signBody(body, secret, 'base64'), secret, 'base64')).toBe(true);
  });
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['other body', signBody('{"id":"PKB-2"}', secret)],
    ['other secret', signBody(body, 'another-secret-entirely')],
    ['not hex', 'sha256=xyz'],
    ['truncated', signBody(body, secret).slice(0, 63)],
  ])('refuses %s', (_label, header) => {
    expect(verifyBodySignature(body, header, secret, 'hex')).toBe(false);
  });
  it('refuses everything when no secret is configured', () => {
    expect(verifyBodySignature(body, signBody(body, ''), '', 'hex')).toBe(false);
  });
});

describe('review #14 L3: a placeholder value cannot climb out of the configured path', () => {
  it.each(['.', '..'])('refuses the value %j', (to) => {
    const url = 'https://p/api/pengaduan/{{to}}/tanggapan';
    expect(() => renderUrl(url, messageValues(message, to))).toThrow(/not allowed/);
  });
  it('still encodes values that merely contain dots', () => {
    expect(renderUrl('https://p/api/{{to}}', messageValues(message, '...a.b'))).toBe('https://p/api/...a.b');
  });
});
