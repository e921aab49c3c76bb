import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runIntake } from '../../../src/cli/commands/intake';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { createTestEnv, type TestEnv } from '../../support/service-harness';

function capture() {
  let text = '';
  return {
    stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

describe('aduan intake (offline complaints)', () => {
  let env: TestEnv;
  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(() => env.cleanup());

  async function tickets() {
    const store = new SqliteStore(path.join(env.config.service.dataDir, 'aduan.sqlite'));
    await store.init();
    const all = await store.listTickets({});
    await store.close();
    return all;
  }

  test('a walk-in gets a printed receipt; entering it again gives the same ticket, not a second one', async () => {
    const form = {
      channel: 'walk-in',
      queue: 'A012',
      name: 'Hotman Nainggolan',
      phone: '0813 7000 4455',
      text: 'Mau mendaftarkan perkawinan langsung, pemberkatan di gereja tadi pagi.',
    };
    const first = capture();
    expect(await runIntake(env.config, env.configDir, form, env.log, first.stream, capture().stream)).toBe(0);
    expect(first.text()).toContain('TANDA TERIMA PENGADUAN');
    expect(first.text()).toMatch(/Nomor tiket\s+: ADU-\d{4}-000001\n/);
    expect(first.text()).toMatch(/Nomor antrian : A012/);
    expect(first.text()).toMatch(/Jenis\s+: Permohonan Perkawinan Langsung/);
    expect(first.text()).toMatch(/Target\s+: 15 menit \(paling lambat .* WIB\)/);

    const again = capture();
    expect(await runIntake(env.config, env.configDir, form, env.log, again.stream, capture().stream)).toBe(0);
    expect(again.text()).toMatch(/ADU-\d{4}-000001 \(sudah tercatat sebelumnya\)/);
    const all = await tickets();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      channel: 'walk-in',
      queueNumber: 'A012',
      complainant: { phone: '+6281370004455' },
      team: 'capil',
    });
  });

  test('slips from a file: one ticket each, a bad line reported with its number, the rest continue', async () => {
    const file = path.join(env.dir, 'slips.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({
          slip: 'KS-001',
          date: '2026-11-27',
          text: 'Petugas loket kurang ramah dan antrean sangat panjang.',
        }),
        '{broken',
        JSON.stringify({
          slip: 'KS-002',
          date: '2026-11-27',
          name: 'Ani',
          text: 'Apa saja syarat mengurus akta kematian orang tua?',
        }),
      ].join('\n') + '\n',
    );
    const out = capture();
    const err = capture();
    expect(await runIntake(env.config, env.configDir, { file }, env.log, out.stream, err.stream)).toBe(1);
    expect(err.text()).toContain('slips.jsonl:2: baris 2: bukan JSON yang sah');
    expect(out.text().match(/TANDA TERIMA PENGADUAN/g)).toHaveLength(2);
    // Typed in again after fixing line 2: the two good slips are not doubled.
    writeFileSync(
      file,
      [
        JSON.stringify({
          slip: 'KS-001',
          date: '2026-11-27',
          text: 'Petugas loket kurang ramah dan antrean sangat panjang.',
        }),
        JSON.stringify({ slip: 'KS-003', text: 'Toilet ruang tunggu rusak.' }),
      ].join('\n'),
    );
    expect(await runIntake(env.config, env.configDir, { file }, env.log, capture().stream, capture().stream)).toBe(0);
    const all = await tickets();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    expect(all.map((t) => t.sourceId).sort()).toEqual([
      'slip:utama:2026-11-27:KS-001',
      'slip:utama:2026-11-27:KS-002',
      `slip:utama:${today}:KS-003`,
    ]);
    expect(all.find((t) => t.sourceId.endsWith(':KS-002'))?.classification.category).toBe('document-requirements');
  });

  async function intake(options: Parameters<typeof runIntake>[2]) {
    const out = capture();
    const err = capture();
    const code = await runIntake(env.config, env.configDir, options, env.log, out.stream, err.stream);
    return { code, out: out.text(), err: err.text() };
  }

  test('slip 13 of December is not slip 13 of November; the same key with other words is refused, or a new key with --force-new', async () => {
    const file = path.join(env.dir, 'slips.jsonl');
    const write = (...slips: object[]) => writeFileSync(file, slips.map((l) => JSON.stringify(l)).join('\n'));
    write({ slip: '13', date: '04/11/2026', name: 'Ani', text: 'Antrean di loket KK terlalu panjang.' });
    expect((await intake({ file })).code).toBe(0);
    write({ slip: '13', date: '04/12/2026', name: 'Budi', text: 'Mohon sediakan kursi roda di ruang tunggu.' });
    const december = await intake({ file });
    expect(december.code).toBe(0);
    expect(december.out).toMatch(/Nomor tiket\s+: ADU-\d{4}-000002\n/);

    // Typed in again with a different text under the same box, date and number: refused, nobody else's receipt.
    write({ slip: '13', date: '4-12-26', name: 'Citra', text: 'Petugas parkir meminta uang.' });
    const clash = await intake({ file });
    expect(clash.code).toBe(1);
    expect(clash.out).toBe('');
    expect(clash.err).toMatch(
      /Slip 13 dari kotak saran "utama" tanggal 2026-12-04 sudah tercatat sebagai tiket ADU-\d{4}-000002 dengan isi yang berbeda; pengaduan ini TIDAK dicatat\. .*--force-new/,
    );
    expect(await tickets()).toHaveLength(2);

    const forced = await intake({ file, forceNew: true });
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/Nomor tiket\s+: ADU-\d{4}-000003\n/);
    expect(forced.out).toContain('Citra');
    // The same forced entry typed in once more is the same ticket, not a fourth.
    expect((await intake({ file, forceNew: true })).out).toMatch(/ADU-\d{4}-000003 \(sudah tercatat sebelumnya\)/);
    const all = await tickets();
    expect(all.map((t) => [t.sourceId, t.complainant.name]).sort()).toEqual([
      ['slip:utama:2026-11-04:13', 'Ani'],
      ['slip:utama:2026-12-04:13', 'Budi'],
      ['slip:utama:2026-12-04:13~2', 'Citra'],
    ]);
  });

  test("a second walk-in with the same queue number on the same day is refused, never given the first citizen's receipt", async () => {
    const first = await intake({
      channel: 'walk-in',
      queue: 'B007',
      name: 'Hotman Nainggolan',
      text: 'KTP-el belum dicetak sejak bulan lalu.',
    });
    expect(first.code).toBe(0);
    const second = await intake({
      channel: 'walk-in',
      queue: 'B007',
      name: 'Rugun Situmorang',
      text: 'Mau mengurus akta kematian ayah.',
    });
    expect(second.code).toBe(1);
    expect(second.out).not.toContain('Hotman');
    expect(second.err).toMatch(
      /Nomor antrian B007 tanggal \d{4}-\d{2}-\d{2} sudah tercatat sebagai tiket ADU-\d{4}-000001 dengan isi yang berbeda/,
    );
    const forced = await intake({
      channel: 'walk-in',
      queue: 'B007',
      name: 'Rugun Situmorang',
      text: 'Mau mengurus akta kematian ayah.',
      forceNew: true,
    });
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('Rugun Situmorang');
    expect(forced.out).not.toContain('Hotman');
    // The same queue number on an earlier day (typed in from the counter's log) is another visit.
    const earlier = await intake({
      channel: 'walk-in',
      queue: 'B007',
      date: '01/06/2026 10.00',
      name: 'Ani',
      text: 'Tanya syarat KIA.',
    });
    expect(earlier.code).toBe(0);
    expect((await tickets()).map((t) => t.sourceId).filter((id) => id.startsWith('walk-in:2026-06-01'))).toEqual([
      'walk-in:2026-06-01:B007',
    ]);
  });

  test('unknown fields and ambiguous or impossible dates are refused with the line number; the rest are entered', async () => {
    const file = path.join(env.dir, 'slips.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ slip: '1', date: '02/12/2026', nama: 'Ani', text: 'Antrean panjang.' }),
        JSON.stringify({ slip: '2', date: '12/31/2026', text: 'Toilet rusak.' }),
        JSON.stringify({ slip: '3', date: '02/12/2026', text: 'Kursi ruang tunggu kurang.' }),
      ].join('\n'),
    );
    const run = await intake({ file });
    expect(run.code).toBe(1);
    expect(run.err).toContain('slips.jsonl:1: baris 1: kolom "nama" tidak dikenal');
    expect(run.err).toContain('slips.jsonl:2: baris 2: tanggal "12/31/2026" tidak dikenali: tanggal itu tidak ada');
    expect((await tickets()).map((t) => t.sourceId)).toEqual(['slip:utama:2026-12-02:3']);
  });

  test('a slips file saved as "ANSI" (Windows-1252) in Notepad is read without garbling', async () => {
    const file = path.join(env.dir, 'slips-ansi.jsonl');
    const line = JSON.stringify({
      slip: '7',
      date: '02/12/2026',
      name: 'André Sitorus',
      text: 'Minta “suket pindah” – segera',
    });
    const special: Record<string, number> = { é: 0xe9, '“': 0x93, '”': 0x94, '–': 0x96 };
    writeFileSync(file, Buffer.from([...line].map((c) => special[c] ?? c.charCodeAt(0))));
    expect((await intake({ file })).code).toBe(0);
    expect((await tickets()).map((t) => [t.complainant.name, t.text])).toEqual([
      ['André Sitorus', 'Minta “suket pindah” – segera'],
    ]);
  });

  test('the shipped samples are in the documented format and enter cleanly', async () => {
    const samples = path.resolve(__dirname, '../../../samples');
    const slips = await intake({ file: path.join(samples, 'suggestion-box.jsonl') });
    expect([slips.code, slips.err]).toEqual([0, '']);
    const walkIns = await intake({ channel: 'walk-in', file: path.join(samples, 'walk-in.jsonl') });
    expect([walkIns.code, walkIns.err]).toEqual([0, '']);
    expect(walkIns.out.match(/TANDA TERIMA PENGADUAN/g)).toHaveLength(2);
    expect((await tickets()).map((t) => t.sourceId).sort()).toEqual([
      'slip:utama:2026-11-30:003',
      'walk-in:2026-11-30:A012',
      'walk-in:2026-11-30:A019',
    ]);
  });

  test('missing text is refused before anything is stored', async () => {
    const err = capture();
    expect(
      await runIntake(
        env.config,
        env.configDir,
        { channel: 'walk-in', queue: 'A1' },
        env.log,
        capture().stream,
        err.stream,
      ),
    ).toBe(2);
    expect(err.text()).toContain('--text');
  });
});
