import type { ComplaintInput } from '../../../src/domain/complaint';
import { complaintIdentity, parseIdentifier, sharedIdentifierKeys } from '../../../src/domain/citizens/identifiers';

function complaint(overrides: Partial<ComplaintInput>): ComplaintInput {
  return {
    channel: 'email',
    sourceId: 'src-1',
    references: [],
    receivedAt: '2026-11-30T02:00:00.000Z',
    complainant: {},
    text: 'x',
    attachments: [],
    autoReplyAllowed: true,
    meta: {},
    ...overrides,
  };
}

const NONE = new Set<string>();

describe('complaintIdentity', () => {
  test.each([
    ['email', { email: 'Rosma@Example.COM' }, 'email:rosma@example.com'],
    ['messenger', { platformUserId: '24680135791' }, 'messenger:24680135791'],
    ['instagram', { platformUserId: '17841400000000001' }, 'instagram:17841400000000001'],
    ['whatsapp', { platformUserId: '1098765:6281234567890', phone: '+6281234567890' }, 'whatsapp:6281234567890'],
    ['whatsapp', { platformUserId: '1098765:ID.ab12cd34' }, 'whatsapp:ID.ab12cd34'],
    ['perkebbas', { platformUserId: 'akun-778' }, 'portal:akun-778'],
    ['call-center', { phone: '+6281234567890' }, 'phone:+6281234567890'],
    ['walk-in', { phone: '+6281234567890' }, 'phone:+6281234567890'],
  ] as const)('%s: the primary identifier of %j is %s', (channel, complainant, primary) => {
    expect(complaintIdentity(complaint({ channel, complainant: { ...complainant } }), NONE).primary).toBe(primary);
  });

  test('a portal record without a reply account names nobody', () => {
    const c = complaint({ channel: 'perkebbas', sourceId: 'rec-9', complainant: { platformUserId: 'rec-9' } });
    expect(complaintIdentity(c, NONE).primary).toBeUndefined();
  });

  test('other contacts are kept apart from the primary; only a valid NIK is kept', () => {
    const c = complaint({
      channel: 'perkebbas',
      complainant: { platformUserId: 'akun-778', phone: '+6281234567890', email: 'A@B.id', nik: '1211021505900001' },
    });
    expect(complaintIdentity(c, NONE)).toEqual({
      primary: 'portal:akun-778',
      contacts: ['phone:+6281234567890', 'email:a@b.id'],
      nik: '1211021505900001',
    });
    const bad = complaint({ complainant: { email: 'a@b.id', nik: '9999021505900001' } });
    expect(complaintIdentity(bad, NONE).nik).toBeUndefined();
  });

  test('shared identifiers are left out, also a shared phone writing on WhatsApp', () => {
    const { keys } = sharedIdentifierKeys(['0812-3456-7890', 'Desa.Sitinjo@gmail.com']);
    const wa = complaint({
      channel: 'whatsapp',
      complainant: { platformUserId: '1098765:6281234567890', phone: '+6281234567890' },
    });
    expect(complaintIdentity(wa, keys)).toEqual({ contacts: [] });
    const village = complaint({ complainant: { email: 'desa.sitinjo@GMAIL.com', nik: '1211021505900001' } });
    expect(complaintIdentity(village, keys)).toEqual({ contacts: [], nik: '1211021505900001' });
  });
});

describe('parseIdentifier', () => {
  test.each([
    ['+62 812-3456-7890', 'phone', '+6281234567890'],
    ['081234567890', 'phone', '+6281234567890'],
    ['6281234567890', 'phone', '+6281234567890'],
    ['Rosma@Example.com', 'email', 'rosma@example.com'],
    ['1211 0215 0590 0001', 'nik', '1211021505900001'],
    ['messenger:24680135791', 'messenger', '24680135791'],
    ['whatsapp:+6281234567890', 'whatsapp', '6281234567890'],
    ['portal:akun-778', 'portal', 'akun-778'],
  ])('%s → %s %s', (raw, kind, value) => {
    expect(parseIdentifier(raw)).toEqual({ kind, value });
  });

  test.each(['', 'halo', '12', '9999021505900001', 'messenger:', 'x'.repeat(300)])('%j names nothing', (raw) => {
    expect(parseIdentifier(raw)).toBeUndefined();
  });

  test('a shared-identifier list reports what it cannot read (and never takes a NIK)', () => {
    expect(sharedIdentifierKeys(['puskesmas.sidikalang@gmail.com', 'halo', '1211021505900001'])).toEqual({
      keys: new Set(['email:puskesmas.sidikalang@gmail.com']),
      invalid: ['halo', '1211021505900001'],
    });
  });
});
