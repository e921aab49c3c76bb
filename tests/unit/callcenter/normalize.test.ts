import { csvLayout, csvValues, jsonFieldsOf, jsonLabels, jsonValues } from '../../../src/channels/callcenter/columns';
import { callCenterChannelSchema } from '../../../src/channels/callcenter/config-schema';
import { logKindOf, matchesPattern } from '../../../src/channels/callcenter/file-patterns';
import { normalizeCall } from '../../../src/channels/callcenter/normalize';

const config = callCenterChannelSchema.parse({
  folder: '/tmp/x',
  columns: {
    time: 'Waktu',
    caller: 'Nomor Penelepon',
    agent: 'Agen',
    notes: 'Ringkasan',
    nik: 'NIK',
    line: 'Line',
    name: 'Nama Penelepon',
  },
});
const header = ['Waktu', 'nomor  penelepon', 'AGEN', 'Ringkasan', 'NIK', 'Line', 'Nama Penelepon'];
const layout = csvLayout(config.columns, header) as Extract<ReturnType<typeof csvLayout>, { ok: true }>;
const context = { timeZone: 'Asia/Jakarta', dateOrder: 'dmy' as const, file: 'log.csv', row: 2 };
const row = (fields: string[]) => normalizeCall(csvValues(fields, layout), layout.labels, context);

describe('call-center rows → complaint', () => {
  it('maps a row: office-local time, +62 caller, NIK, agent and line in meta', () => {
    const outcome = row([
      '30/11/2026 10.15',
      '0812-1111-0007',
      'Agen Line 1',
      '  KTP-el ibu belum dicetak  ',
      '1211021507480002',
      'Line 1',
      'Tiurma Manik',
    ]);
    expect(outcome).toEqual({
      kind: 'complaint',
      complaint: expect.objectContaining({
        channel: 'call-center',
        receivedAt: '2026-11-30T10:15:00+07:00',
        text: 'KTP-el ibu belum dicetak',
        complainant: { phone: '+6281211110007', nik: '1211021507480002', name: 'Tiurma Manik' },
        meta: { file: 'log.csv', row: '2', agent: 'Agen Line 1', line: 'Line 1' },
        autoReplyAllowed: true,
      }),
    });
  });

  it('gives the same sourceId to the same call whatever file, row or notation it is in, and another to another call', () => {
    const a = row(['30/11/2026 10.15', '0812-1111-0007', 'Agen Line 1', 'KTP-el ibu belum dicetak', '', 'Line 1', '']);
    const b = normalizeCall(
      csvValues(
        ['2026-11-30 10:15', '+62 812 1111 0007', 'Agen Line 1', 'KTP-el  ibu belum dicetak', '', 'Line 1', ''],
        layout,
      ),
      layout.labels,
      { ...context, file: 'renamed.csv', row: 40 },
    );
    const c = row(['30/11/2026 10.16', '0812-1111-0007', 'Agen Line 1', 'KTP-el ibu belum dicetak', '', 'Line 1', '']);
    const id = (o: ReturnType<typeof row>) => (o.kind === 'complaint' ? o.complaint.sourceId : o.kind);
    expect(id(a)).toMatch(/^cc-[0-9a-f]{24}$/);
    expect(id(b)).toBe(id(a));
    expect(id(c)).not.toBe(id(a));
  });

  it.each([
    [['kemarin', '0812', 'A', 'x'], 'column "Waktu" (time): "kemarin" is not a recognised date and time'],
    [['31/02/2026 10:00', '0812', 'A', 'x'], 'column "Waktu" (time): "31/02/2026 10:00" is not a valid date and time'],
    [['30/11/2026 10:00', '0812', 'A', '   '], 'column "Ringkasan" (notes) is empty'],
    [['30/11/2026 10:00', '0812'], 'column "Ringkasan" (notes) is missing from the row'],
  ])('rejects %j: %s', (fields, reason) => {
    expect(row(fields)).toEqual({ kind: 'bad', reason });
  });

  it('ignores a blank row and keeps a complaint whose caller number is unusable, with a note', () => {
    expect(row(['', '', '', '', '', '', ''])).toEqual({ kind: 'blank' });
    const outcome = row(['30/11/2026 10:00', 'privat', 'A', 'Tanya jam layanan', '12345', '', '']);
    expect(outcome.kind === 'complaint' && outcome.complaint.complainant).toEqual({});
    expect(outcome.kind === 'complaint' && outcome.complaint.meta.mappingWarnings).toBe(
      'nomor penelepon "privat" tidak dikenali; NIK bukan 16 digit, diabaikan',
    );
  });

  it('maps JSON-lines objects with dot paths', () => {
    const fields = { time: 'start', caller: 'from', agent: 'agent.name', notes: 'notes' };
    const outcome = normalizeCall(
      jsonValues({ start: 1796008500, from: '081200001111', agent: { name: 'IVR' }, notes: 'Status KIA' }, fields),
      jsonLabels(fields),
      context,
    );
    expect(
      outcome.kind === 'complaint' && [
        outcome.complaint.receivedAt,
        outcome.complaint.complainant.phone,
        outcome.complaint.meta.agent,
      ],
    ).toEqual(['2026-11-30T10:15:00+07:00', '+6281200001111', 'IVR']);
    expect(normalizeCall(jsonValues({ from: '0812' }, fields), jsonLabels(fields), context)).toEqual({
      kind: 'bad',
      reason: 'field "start" (time) is missing from the row',
    });
    expect(jsonFieldsOf(config)).toMatchObject({ time: 'Waktu', notes: 'Ringkasan', nik: 'NIK' });
  });

  it('names the columns a header lacks', () => {
    expect(csvLayout(config.columns, ['Tanggal', 'Nomor Penelepon', 'Agen', 'Catatan'])).toEqual({
      ok: false,
      reason:
        'header has no column "Waktu" (time), "Ringkasan" (notes); it has: "Tanggal", "Nomor Penelepon", "Agen", "Catatan"',
    });
    const withoutOptional = csvLayout(config.columns, ['Waktu', 'Nomor Penelepon', 'Agen', 'Ringkasan']);
    expect(withoutOptional.ok && withoutOptional.indexes).toEqual({ time: 0, caller: 1, agent: 2, notes: 3 });
    const byPosition = csvLayout({ time: 1, caller: 2, agent: 3, notes: 4 }, undefined);
    expect(byPosition.ok && byPosition.indexes).toEqual({ time: 0, caller: 1, agent: 2, notes: 3 });
  });
});

describe('file patterns', () => {
  it('matches names case-insensitively and skips Excel lock files and temporaries', () => {
    expect(matchesPattern('LOG-2026.CSV', '*.csv')).toBe(true);
    expect(matchesPattern('log.csv.1', '*.csv')).toBe(false);
    expect(logKindOf('calls.csv', config.files)).toBe('csv');
    expect(logKindOf('pbx.ndjson', config.files)).toBe('jsonl');
    expect(logKindOf('~$calls.csv', config.files)).toBeUndefined();
    expect(logKindOf('.calls.csv', config.files)).toBeUndefined();
    expect(logKindOf('notes.txt', config.files)).toBeUndefined();
  });
});

describe('callCenter config', () => {
  it('requires positions without a header, and jsonFields when columns are positions', () => {
    const base = { folder: 'x', columns: { time: 'Waktu', caller: 2, agent: 3, notes: 4 } };
    const noHeader = callCenterChannelSchema.safeParse({ ...base, csv: { hasHeader: false }, files: { jsonl: [] } });
    expect(noHeader.success ? [] : noHeader.error.issues.map((i) => i.message)).toEqual([
      'without a header row, columns are given by position (1, 2, …)',
    ]);
    const jsonl = callCenterChannelSchema.safeParse(base);
    expect(jsonl.success).toBe(false);
    const gateway = callCenterChannelSchema.safeParse({
      ...base,
      columns: { ...base.columns, caller: 'No', agent: 'Agen', notes: 'Isi' },
      enabled: true,
      gateway: { url: 'http://127.0.0.1:9/sms', auth: { kind: 'bearer', token: '' } },
    });
    expect(gateway.success ? [] : gateway.error.issues.map((i) => i.path.join('.'))).toEqual(['gateway.auth']);
  });
});

describe('WhatsApp consent of a caller (whatsappInitialResponse)', () => {
  const consentConfig = callCenterChannelSchema.parse({
    folder: '/tmp/x',
    columns: { time: 'Waktu', caller: 'Nomor', agent: 'Agen', notes: 'Ringkasan', waConsent: 'wa_consent' },
    whatsappInitialResponse: true,
  });
  const consentLayout = csvLayout(consentConfig.columns, [
    'Waktu',
    'Nomor',
    'Agen',
    'Ringkasan',
    'wa_consent',
  ]) as Extract<ReturnType<typeof csvLayout>, { ok: true }>;
  const call = (caller: string, consent: string, optIn = true) => {
    const outcome = normalizeCall(
      csvValues(['30/11/2026 10.15', caller, 'Agen', 'Menanyakan KIA', consent], consentLayout),
      consentLayout.labels,
      { ...context, whatsappOptIn: optIn },
    );
    return outcome.kind === 'complaint' ? outcome.complaint : undefined;
  };

  it('marks a consenting mobile caller only, and only when the option is on; consent does not change the source id', () => {
    expect(call('0812-1111-0007', 'Ya')?.meta.waOptIn).toBe('ya');
    expect(call('0812-1111-0007', 'setuju')?.meta.waOptIn).toBe('ya');
    expect(call('0812-1111-0007', 'tidak')?.meta.waOptIn).toBeUndefined();
    expect(call('0812-1111-0007', '')?.meta.waOptIn).toBeUndefined();
    expect(call('(0627) 21234', 'ya')?.meta.waOptIn).toBeUndefined();
    expect(call('0812-1111-0007', 'ya', false)?.meta.waOptIn).toBeUndefined();
    expect(call('0812-1111-0007', 'ya')?.sourceId).toBe(call('0812-1111-0007', 'tidak')?.sourceId);
  });

  it('needs the consent column', () => {
    const parsed = callCenterChannelSchema.safeParse({
      folder: 'x',
      columns: { time: 'Waktu', caller: 'Nomor', agent: 'Agen', notes: 'Ringkasan' },
      whatsappInitialResponse: true,
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual(['columns.waConsent']);
  });
});
