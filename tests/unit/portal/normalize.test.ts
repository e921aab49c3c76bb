import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recordMappingSchema } from '../../../src/channels/portal/config-schema';
import { readPath } from '../../../src/channels/shared/dot-path';
import { mapRecord } from '../../../src/channels/portal/normalize';

const records = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/portal/records.json'), 'utf8')) as { data: unknown[] }
).data;
const mapping = recordMappingSchema.parse({
  sourceId: 'id',
  receivedAt: 'dibuat_pada',
  text: 'isi',
  subject: 'judul',
  name: 'pelapor.nama',
  phone: 'pelapor.telepon',
  email: 'pelapor.email',
  nik: 'pelapor.nik',
  threadId: 'nomor_permohonan',
  replyTo: 'pelapor.id',
  meta: { status: 'status', lampiran: 'lampiran[0].nama' },
});
const context = { channel: 'perkebbas' as const, timeZone: 'Asia/Jakarta', dateOrder: 'dmy' as const };

describe('portal record mapping', () => {
  it('maps a complete record with dot paths: local time, +62 phone, NIK digits, reply address, meta', () => {
    expect(mapRecord(records[0], mapping, context)).toEqual({
      ok: true,
      warnings: [],
      complaint: expect.objectContaining({
        channel: 'perkebbas',
        sourceId: 'PKB-2026-11-00417',
        receivedAt: '2026-11-30T08:30:00+07:00',
        threadId: 'REQ-8812',
        subject: 'Pengaduan layanan akta',
        complainant: {
          name: 'Marihot Padang',
          phone: '+6281265553210',
          email: 'marihot@example.com',
          nik: '1211021507480001',
          platformUserId: '2231',
        },
        meta: { status: 'baru', lampiran: 'akta.jpg' },
      }),
    });
  });

  it('keeps a complaint whose contact fields are unusable, noting what was left out', () => {
    const mapped = mapRecord(records[1], mapping, context);
    expect(mapped.ok && mapped.complaint).toMatchObject({
      sourceId: '418',
      receivedAt: '2026-11-30T09:55:00+07:00',
      complainant: { name: 'Sarma Lingga', platformUserId: '2232' },
    });
    expect(mapped.ok && mapped.complaint.subject).toBeUndefined();
    expect(mapped.ok && mapped.complaint.meta.mappingWarnings).toBe(
      'nomor telepon pelapor tidak dikenali, diabaikan; alamat email pelapor tidak valid, diabaikan; NIK bukan 16 digit, diabaikan',
    );
  });

  it.each([
    [2, { ok: false, sourceId: 'PKB-2026-11-00419', reason: 'mapping text ← "isi": missing in the record' }],
    [3, { ok: false, reason: 'mapping sourceId ← "id": missing in the record' }],
    [
      4,
      {
        ok: false,
        sourceId: 'PKB-2026-11-00421',
        reason:
          'mapped record does not fit the complaint: text (mapping "isi"): complaint has no text, no subject and no attachment',
      },
    ],
    [5, { ok: false, reason: 'record is a string, not an object' }],
  ])('rejects record %i with a reason naming the mapping', (index, expected) => {
    expect(mapRecord(records[index], mapping, context)).toEqual(expected);
  });

  it('uses the sourceId as reply address when no replyTo is mapped, and rejects an unreadable time', () => {
    const { replyTo: _unused, ...withoutReply } = mapping;
    const mapped = mapRecord(records[0], withoutReply, context);
    expect(mapped.ok && mapped.complaint.complainant.platformUserId).toBe('PKB-2026-11-00417');
    expect(mapRecord({ id: 'X', dibuat_pada: { tanggal: '30/11' }, isi: 'a' }, mapping, context)).toEqual({
      ok: false,
      sourceId: 'X',
      reason: 'mapping receivedAt ← "dibuat_pada": time is a object, not text',
    });
  });
});

describe('readPath', () => {
  const value = { a: { b: [{ c: 1 }, { c: null }] }, 'x.y': 2 };
  it.each([
    ['a.b.0.c', 1],
    ['a.b[1].c', null],
    ['a.b[2].c', undefined],
    ['a.missing', undefined],
    ['', value],
    ['a.b.length', undefined],
  ])('%j', (p, expected) => {
    expect(readPath(value, p)).toEqual(expected);
  });
});

describe('portal record mapping: arrival at the office', () => {
  const withArrival = recordMappingSchema.parse({
    sourceId: 'id',
    receivedAt: 'dibuat_pada',
    text: 'isi',
    arrivedAt: 'diteruskan_pada',
  });
  const record = (extra: Record<string, unknown>) => ({
    id: 'PKB-9',
    dibuat_pada: '20/11/2026 09.00',
    isi: 'Akta belum terbit.',
    ...extra,
  });

  it('keeps the time the record reached the office apart from the citizen’s own time', () => {
    const mapped = mapRecord(record({ diteruskan_pada: '07/12/2026 08.00' }), withArrival, context);
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.complaint.receivedAt).toBe('2026-11-20T09:00:00+07:00');
    expect(mapped.complaint.arrivedAt).toBe('2026-12-07T08:00:00+07:00');
  });

  it('an empty arrival is none; an unreadable one rejects the record with its path', () => {
    const empty = mapRecord(record({ diteruskan_pada: '' }), withArrival, context);
    expect(empty.ok && empty.complaint.arrivedAt).toBeUndefined();
    expect(mapRecord(record({ diteruskan_pada: 'kemarin' }), withArrival, context)).toEqual({
      ok: false,
      sourceId: 'PKB-9',
      reason: expect.stringMatching(/^mapping arrivedAt ← "diteruskan_pada": /),
    });
  });
});
