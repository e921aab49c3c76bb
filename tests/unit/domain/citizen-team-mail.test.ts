import { citizenSummaryLines, describeIdentifier } from '../../../src/domain/citizens/team-mail-lines';

const line = (n: number) => ({
  ticketNumber: `ADU-2026-00000${n}`,
  channel: 'whatsapp' as const,
  category: 'nik-consolidation' as const,
  status: 'routed' as const,
  receivedAt: '2026-11-30T02:00:00.000Z',
});

describe('citizen lines of the team mail', () => {
  test('lists other tickets, says how many more, and hints without merging', () => {
    const lines = citizenSummaryLines(
      { others: [line(1)], moreOthers: 4, hints: [{ identifier: 'phone:+6281234567890', tickets: [line(2)] }] },
      (kind) => `label:${kind}`,
      (iso) => iso.slice(0, 10),
    );
    expect(lines).toEqual([
      'Tiket lain dari pelapor ini:',
      '  - ADU-2026-000001 | label:nik-consolidation | ditangani tim | WhatsApp | 2026-11-30',
      '  … dan 4 tiket lain (aduan citizen show).',
      '',
      'Mungkin orang yang sama: nomor telepon +62********890 juga dipakai pada tiket berikut',
      '(tidak digabung; hubungkan dengan `aduan citizen link` bila memang orang yang sama):',
      '  - ADU-2026-000002 | label:nik-consolidation | ditangani tim | WhatsApp | 2026-11-30',
      '',
    ]);
    expect(citizenSummaryLines({ others: [], moreOthers: 0, hints: [] }, String, String)).toEqual([]);
  });

  test.each([
    ['phone:+6281234567890', 'nomor telepon +62********890'],
    ['email:a@b.id', 'alamat email a@b.id'],
    ['whatsapp:6281234567890', 'nomor WhatsApp +62********890'],
    ['whatsapp:ID.ab12', 'akun WhatsApp'],
    ['nik:1211021505900001', 'NIK'],
    ['messenger:123', 'akun messenger'],
    ['nonsense', 'pengenal'],
  ])('%s reads %s (never a full phone or NIK)', (key, words) => {
    expect(describeIdentifier(key)).toBe(words);
  });
});
