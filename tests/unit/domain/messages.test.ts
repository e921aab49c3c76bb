import type { Ticket } from '../../../src/domain/complaint';
import {
  composeAcknowledgement,
  composeTeamMail,
  renderTemplate,
  responseTemplateProblems,
} from '../../../src/domain/messages';
import { composeCallBackTask, composeSolution } from '../../../src/domain/coordination-messages';
import { chooseTeam } from '../../../src/domain/routing';

const ticket: Ticket = {
  id: 't1',
  ticketNumber: 'ADU-2026-000042',
  channel: 'email',
  sourceId: '<m1@example.com>',
  references: [],
  receivedAt: '2026-11-30T09:00:00+07:00',
  complainant: { name: 'Jhon\r\nBcc: victim@example.com', email: 'jhon@example.com', nik: '1211045706890002' },
  subject: 'NIK ditolak BPJS',
  text: 'NIK saya 1211045706890002 ditolak BPJS, hp 081234567890',
  attachments: [],
  autoReplyAllowed: true,
  meta: {},
  status: 'received',
  classification: { category: 'nik-consolidation', confidence: 0.93, evidence: ['bpjs', 'nik ditolak'] },
  targetMinutes: 5,
  dueAt: '2026-11-30T02:05:00.000Z',
  team: 'piak',
  createdAt: '2026-11-30T02:00:00.000Z',
  history: [],
};

describe('team mail', () => {
  const base = {
    ticket,
    label: 'Konsolidasi NIK',
    targetText: '5 menit',
    teamName: 'Bidang PIAK',
    timeZone: 'Asia/Jakarta',
  };

  test('subject has ticket number, kind and due time in WIB', () => {
    const { subject } = composeTeamMail({ ...base, maskNik: true });
    expect(subject).toContain('[ADU-2026-000042]');
    expect(subject).toContain('Konsolidasi NIK');
    expect(subject).toMatch(/09[.:]05 WIB/);
  });

  test('NIK masked except the last four digits, in the contact block and in the text', () => {
    const { text } = composeTeamMail({ ...base, maskNik: true });
    expect(text).not.toContain('1211045706890002');
    expect(text.match(/\*{12}0002/g)).toHaveLength(2);
    expect(text).toContain('081234567890');
  });

  test('config can ask for the full NIK', () => {
    expect(composeTeamMail({ ...base, maskNik: false }).text).toContain('1211045706890002');
  });

  test('a name carrying CR/LF cannot inject lines', () => {
    const { text } = composeTeamMail({ ...base, maskNik: true });
    expect(text).toContain('Jhon Bcc: victim@example.com');
    expect(text).not.toMatch(/\nBcc:/);
  });
});

describe('acknowledgement', () => {
  test('renders the template in Indonesian with a Re: subject carrying the ticket number', () => {
    const { subject, text } = composeAcknowledgement({
      ticket: { ...ticket, complainant: { name: 'Rosma' } },
      template: 'Yth. {{name}}, tiket {{ ticketNumber }} ({{label}}) selesai paling lambat {{dueAt}}. {{unknown}}',
      label: 'Konsolidasi NIK',
      targetText: '5 menit',
      timeZone: 'Asia/Jakarta',
    });
    expect(subject).toBe('Re: NIK ditolak BPJS [ADU-2026-000042]');
    expect(text).toContain('Yth. Rosma, tiket ADU-2026-000042 (Konsolidasi NIK)');
    expect(text).toMatch(/Senin, 30 November 2026/);
    expect(text).toContain('{{unknown}}');
  });

  test('without a name the citizen is addressed politely', () => {
    expect(renderTemplate('Yth. {{name}}', { name: 'Bapak/Ibu' })).toBe('Yth. Bapak/Ibu');
  });

  test('template problems: unknown placeholders and the old single-brace syntax are named', () => {
    expect(responseTemplateProblems('Yth. {{name}}, tiket {{ticketNumber}}')).toEqual([]);
    expect(responseTemplateProblems('Yth. {{nama}}, tiket {ticketNumber}')).toEqual([
      'unknown placeholder {{nama}}; allowed: {{name}} {{ticketNumber}} {{label}} {{target}} {{dueAt}}',
      '{ticketNumber} has single braces: write {{ticketNumber}}',
    ]);
  });
});

describe('routing', () => {
  const rules = {
    triageTeam: 'triase',
    byCategory: { 'nik-consolidation': 'piak' },
    byChannel: { 'walk-in': { 'nik-consolidation': 'informasi' } },
  };
  test('kind → team, channel overrides, other → triage', () => {
    expect(chooseTeam(rules, 'nik-consolidation', 'email')).toBe('piak');
    expect(chooseTeam(rules, 'nik-consolidation', 'walk-in')).toBe('informasi');
    expect(chooseTeam(rules, 'other', 'email')).toBe('triase');
    expect(chooseTeam(rules, 'deed-validity', 'email')).toBe('triase');
  });
});

describe('inline values from citizens', () => {
  test('CR/LF, control characters and bidi overrides cannot change what a header or line says', () => {
    const { sanitizeInline } = jest.requireActual(
      '../../../src/domain/messages',
    ) as typeof import('../../../src/domain/messages');
    expect(sanitizeInline('Budi\r\nBcc: attacker@evil.test')).toBe('Budi Bcc: attacker@evil.test');
    expect(sanitizeInline('Rina \u202egnirts\u202c \u2066x\u2069 👨‍👩‍👧')).toBe('Rina gnirts x 👨‍👩‍👧');
    expect(sanitizeInline('bukti\u202efdp.exe')).toBe('buktifdp.exe');
  });
});

describe('ticket life in the texts', () => {
  const base = {
    label: 'Konsolidasi NIK',
    targetText: '5 menit',
    teamName: 'Bidang PIAK',
    timeZone: 'Asia/Jakarta',
    maskNik: true,
  };
  const at = '2026-11-30T03:00:00.000Z';

  test('a reopening says "Dibuka kembali", with the new due time and the status', () => {
    const reopened = { ...ticket, status: 'reopened' as const, dueAt: '2026-11-30T03:05:00.000Z' };
    const { subject, text } = composeTeamMail({
      ...base,
      ticket: reopened,
      followUp: { text: 'Masih ditolak BPJS', receivedAt: at, life: 'reopened' },
    });
    expect(subject).toMatch(/^\[ADU-2026-000042\] Dibuka kembali: Konsolidasi NIK — batas .+10\.05 WIB$/);
    expect(text).toContain('Pelapor menulis lagi setelah tiket diselesaikan; tiket dibuka kembali.');
    expect(text).toContain('Status        : dibuka kembali');
    expect(text).toContain('Masih ditolak BPJS');
  });

  test("the citizen's answer to a question says how much the due time moved", () => {
    const { subject, text } = composeTeamMail({
      ...base,
      ticket: { ...ticket, status: 'routed' },
      followUp: { text: 'Ini foto KK', receivedAt: at, life: 'citizen-replied', waitedMinutes: 95 },
    });
    expect(subject).toContain('] Jawaban warga: ');
    expect(text).toContain(
      'Warga menanggapi pertanyaan petugas; tiket kembali ditangani dan batas waktu diperpanjang 95 menit kerja',
    );
    expect(text).toContain('Status        : ditangani tim');
  });

  test('a plain follow-up and a new ticket read as before; every team mail explains #tanya', () => {
    const followUp = composeTeamMail({ ...base, ticket, followUp: { text: 'tambahan', receivedAt: at } });
    expect(followUp.subject).toContain('] Tindak lanjut: ');
    const fresh = composeTeamMail({ ...base, ticket });
    expect(fresh.subject).toContain('] Tiket baru: ');
    expect(fresh.text).not.toContain('Status        :');
    expect(fresh.text).toContain('Awali dengan #tanya bila Anda meminta keterangan atau berkas');
  });

  test('a question to the citizen asks for their reply; a call-back task says it is a question', () => {
    expect(
      composeSolution({ ticket, solution: 'Mohon kirim KK.', timeZone: 'Asia/Jakarta', ask: true }).text,
    ).toContain('Mohon balas pesan ini dengan keterangan yang kami minta');
    expect(composeSolution({ ticket, solution: 'Sudah.', timeZone: 'Asia/Jakarta' }).text).toContain(
      'Bila masih ada kendala',
    );
    const task = composeCallBackTask({
      ticket,
      solution: 'Mohon kirim KK.',
      teamName: 'Bidang PIAK',
      reason: 'kanal ini tidak memiliki jalur balasan otomatis',
      timeZone: 'Asia/Jakarta',
      ask: true,
    });
    expect(task.subject).toBe('[ADU-2026-000042] Tugas: sampaikan pertanyaan kepada pelapor');
    expect(task.text).toContain('Pertanyaan yang disampaikan:');
    expect(task.text).toContain('Tiket menunggu tanggapan warga; batas waktu dihentikan sementara.');
  });
});
