import { anonymizeTicket, ANONYMIZED_TEXT, storedFilesOf } from '../../../src/domain/anonymize';
import type { Ticket } from '../../../src/domain/complaint';
import {
  maskedSubjectKey,
  parseSubject,
  subjectKey,
  subjectKeysOf,
  type SubjectRef,
} from '../../../src/domain/data-subject';
import { addRetention, receivedBeforeCutoff, resolvedAt, retentionEnds } from '../../../src/domain/retention';

const ticket = (over: Partial<Ticket> = {}): Ticket => ({
  id: 't1',
  ticketNumber: 'ADU-2026-000001',
  channel: 'whatsapp',
  sourceId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIDNBQ0',
  threadId: '106540352242922:6281234567890',
  references: [],
  receivedAt: '2026-01-10T02:00:00.000Z',
  createdAt: '2026-01-10T02:00:01.000Z',
  complainant: {
    name: 'Rugun',
    phone: '+6281234567890',
    platformUserId: '106540352242922:6281234567890',
    nik: '1211045706890002',
  },
  subject: 'KTP',
  text: 'NIK 1211045706890002',
  attachments: [{ filename: 'ktp-rugun.jpg', contentType: 'image/jpeg', size: 10, storedAt: '/d/a/x' }],
  autoReplyAllowed: true,
  meta: { from: 'Rugun' },
  status: 'resolved',
  classification: { category: 'nik-consolidation', confidence: 0.9, evidence: ['ktp'] },
  targetMinutes: 30,
  dueAt: '2026-01-10T02:30:00.000Z',
  team: 'pendaftaran',
  history: [
    { at: '2026-01-10T02:00:00.000Z', event: 'received' },
    { at: '2026-01-10T02:01:00.000Z', event: 'acknowledged', note: 'respon awal dikirim ke +6281234567890' },
    { at: '2026-01-11T02:00:00.000Z', event: 'follow-up', ref: 'wamid.2', note: 'saya Rugun' },
    {
      at: '2026-01-12T02:00:00.000Z',
      event: 'staff-reply',
      by: 'staf@x',
      note: 'KTP sudah jadi',
      attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', size: 1, storedAt: '/d/a/y' }],
    },
    { at: '2026-01-12T02:00:00.000Z', event: 'resolved', note: 'KTP sudah jadi' },
    { at: '2026-01-13T02:00:00.000Z', event: 'note', by: 'rugun.s@gmail.com', automated: 'auto-reply', note: 'cuti' },
    { at: '2026-01-13T03:00:00.000Z', event: 'staff-reply', by: 'rugun.s@gmail.com', unverified: 'bukan staf' },
  ],
  ...over,
});

describe('retention spans', () => {
  test('calendar units after the resolution', () => {
    const from = new Date('2026-01-31T00:00:00.000Z');
    expect(addRetention(from, '2y').toISOString()).toBe('2028-01-31T00:00:00.000Z');
    expect(addRetention(from, '18mo').toISOString()).toBe('2027-07-31T00:00:00.000Z');
    expect(addRetention(from, '2w').toISOString()).toBe('2026-02-14T00:00:00.000Z');
    expect(addRetention(from, '30d', -1).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(() => addRetention(from, '2 years')).toThrow(/2y, 18mo/);
  });

  test('counted from the last resolution; open tickets never; history without one from receipt', () => {
    const reopened = ticket({
      history: [
        ...ticket().history,
        { at: '2026-03-01T00:00:00.000Z', event: 'reopened' },
        { at: '2026-03-05T00:00:00.000Z', event: 'resolved' },
      ],
    });
    expect(resolvedAt(reopened)).toBe('2026-03-05T00:00:00.000Z');
    expect(resolvedAt(ticket({ status: 'routed' }))).toBeUndefined();
    expect(resolvedAt(ticket({ history: [], historicalImport: 'imp-1' }))).toBe('2026-01-10T02:00:00.000Z');
    const rules = { default: '2y', byKind: { 'nik-consolidation': '6mo' } };
    expect(retentionEnds(reopened, rules)?.toISOString()).toBe('2026-09-05T00:00:00.000Z');
    expect(receivedBeforeCutoff(new Date('2026-12-01T00:00:00.000Z'), rules).toISOString()).toBe(
      '2026-06-01T00:00:00.000Z',
    );
  });
});

describe('anonymized ticket', () => {
  test('keeps what the figures need, removes every trace of the citizen; idempotent', () => {
    const before = ticket();
    const after = anonymizeTicket(before, '2028-01-12T00:00:00.000Z', 'retention');
    expect(after).toMatchObject({
      id: 't1',
      ticketNumber: 'ADU-2026-000001',
      channel: 'whatsapp',
      status: 'resolved',
      team: 'pendaftaran',
      receivedAt: before.receivedAt,
      dueAt: before.dueAt,
      targetMinutes: 30,
      text: ANONYMIZED_TEXT,
      complainant: {},
      meta: {},
      sourceId: 'anonymized:t1',
      anonymized: { at: '2028-01-12T00:00:00.000Z', reason: 'retention' },
    });
    expect(after.history.map((h) => [h.at, h.event])).toEqual(before.history.map((h) => [h.at, h.event]));
    const json = JSON.stringify(after);
    for (const trace of [
      '81234567890',
      '1211045706890002',
      'Rugun',
      'wamid',
      'ktp-rugun',
      '/d/a/',
      'KTP sudah jadi',
      'rugun',
      'cuti',
    ])
      expect([trace, json.includes(trace)]).toEqual([trace, false]);
    expect(after.history[1]!.note).toBe('respon awal dikirim ke +62********890'); // system note kept, masked
    expect(after.history[3]!.by).toBe('staf@x'); // who answered for the office stays
    expect(anonymizeTicket(after, '2029-01-01T00:00:00.000Z', 'erasure')).toBe(after);
    expect(storedFilesOf(before)).toEqual(['/d/a/x', '/d/a/y']);
    expect(storedFilesOf(after)).toEqual([]);
  });
});

describe('data subjects', () => {
  const ok = (kind: SubjectRef['kind'], raw: string) => {
    const parsed = parseSubject(kind, raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    return subjectKey(parsed.ref);
  };

  test('identifiers are normalized; phone spellings name the same number', () => {
    expect(ok('phone', '0812-3456-7890')).toBe('phone:+6281234567890');
    expect(ok('phone', '+62 (0)812 3456 7890')).toBe('phone:+6281234567890');
    expect(ok('phone', '6281234567890')).toBe('phone:+6281234567890');
    expect(ok('email', ' Rosma@Example.COM ')).toBe('email:rosma@example.com');
    expect(ok('nik', '1211.0457.0689.0002')).toBe('nik:1211045706890002');
    expect(ok('ticket', 'adu-2026-000123')).toBe('ticket:ADU-2026-000123');
    for (const [kind, raw] of [
      ['phone', '12'],
      ['nik', '123'],
      ['email', 'nope'],
      ['psid', 'abc'],
      ['wa-id', '+62'],
    ] as const)
      expect(parseSubject(kind, raw).ok).toBe(false);
  });

  test('a ticket answers to every identifier on it; masked keys keep only a hint', () => {
    expect(subjectKeysOf(ticket())).toEqual([
      'ticket:ADU-2026-000001',
      'phone:+6281234567890',
      'nik:1211045706890002',
      'wa-id:6281234567890',
    ]);
    expect(maskedSubjectKey('phone:+6281234567890')).toBe('phone:***********890');
    expect(maskedSubjectKey('email:rosma@example.com')).toBe('email:r***@example.com');
  });
});
