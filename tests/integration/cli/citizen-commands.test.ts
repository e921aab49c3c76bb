import path from 'node:path';
import { runCitizenLink, runCitizenShow } from '../../../src/cli/commands/citizen-identity';
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

const NIK = '1211045706890002';

describe('aduan citizen show / link / unlink', () => {
  let env: TestEnv;
  beforeEach(() => {
    env = createTestEnv();
  });
  afterEach(() => env.cleanup());

  async function walkIn(queue: string, phone: string, text: string, nik?: string): Promise<string> {
    const receipt = capture();
    const code = await runIntake(
      env.config,
      env.configDir,
      { channel: 'walk-in', queue, name: 'Rugun', phone, text, ...(nik ? { nik } : {}) },
      env.log,
      receipt.stream,
      capture().stream,
    );
    expect(code).toBe(0);
    return /ADU-\d{4}-\d{6}/.exec(receipt.text())![0];
  }

  async function show(who: string) {
    const out = capture();
    const err = capture();
    const code = await runCitizenShow(env.config, who, {}, out.stream, err.stream);
    return { code, out: out.text(), err: err.text() };
  }

  async function link(action: 'link' | 'unlink', a: string, b: string, reason = 'datang ke loket dengan KTP') {
    const out = capture();
    const err = capture();
    const code = await runCitizenLink(env.config, action, [a, b], { reason, by: 'rina' }, out.stream, err.stream);
    return { code, out: out.text(), err: err.text() };
  }

  test('show by phone in any spelling lists identifiers (NIK masked) and tickets; staff link and unlink, audited', async () => {
    const first = await walkIn('A001', '0812-3456-7890', 'NIK saya ditolak saat daftar BPJS, mohon konsolidasi', NIK);
    const again = await walkIn('A002', '+62 812 3456 7890', 'Mau urus akta kelahiran anak saya');
    const other = await walkIn('A003', '0813 7000 2222', 'KTP saya hilang, bagaimana mengurus yang baru?');

    const shown = await show('6281234567890');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^Catatan warga [0-9a-f-]{36} \(sejak /);
    expect(shown.out).toContain('  utama    phone:+6281234567890');
    expect(shown.out).toContain('  NIK      nik:************0002');
    expect(shown.out).not.toContain(NIK);
    expect(shown.out).toContain('Tiket (2):');
    expect(shown.out).toContain(`  ${first} | Konsolidasi NIK | `);
    expect(shown.out).toContain(`  ${again} | `);
    expect(shown.out).toContain('| Tatap muka |');
    expect(shown.out).toContain('Terhubung dengan: -');

    const linked = await link('link', '0812 3456 7890', '081370002222');
    expect(linked.code).toBe(0);
    expect(linked.out).toMatch(/dihubungkan oleh operator:rina/);
    expect((await link('link', '081370002222', '081234567890')).out).toContain('sudah terhubung; tidak diubah');
    const both = await show('081370002222');
    expect(both.out).toContain('Tiket (3):');
    expect(both.out).toContain(`  ${other} | `);
    expect(both.out).toMatch(/Terhubung dengan: [0-9a-f-]{36}/);
    expect(both.out).toMatch(/dihubungkan .* oleh operator:rina: datang ke loket dengan KTP/);

    const unlinked = await link('unlink', '081370002222', '081234567890', 'ternyata kakak beradik');
    expect(unlinked.out).toContain('dipisahkan oleh operator:rina');
    const after = await show('081370002222');
    expect(after.out).toContain('Tiket (1):');
    expect(after.out).toMatch(/dipisahkan .* oleh operator:rina: ternyata kakak beradik/);

    // By NIK and by record id: the same record.
    const byNik = await show(NIK);
    const id = /Catatan warga ([0-9a-f-]{36})/.exec(byNik.out)![1]!;
    expect((await show(id)).out).toBe(byNik.out);
    const json = capture();
    await runCitizenShow(env.config, id, { json: true }, json.stream, capture().stream);
    const parsed = JSON.parse(json.text()) as { identifiers: Array<{ key: string }>; tickets: unknown[] };
    expect(parsed.identifiers.map((i) => i.key)).toEqual(['phone:+6281234567890', 'nik:************0002']);
    expect(parsed.tickets).toHaveLength(2);
  });

  test('unknown, unreadable and ambiguous identifiers get a clear message and a non-zero exit', async () => {
    await walkIn('A001', '0812-3456-7890', 'KTP saya hilang, bagaimana mengurus yang baru?');
    // The same phone given as a contact on another record (a portal form): two records carry it.
    const store = new SqliteStore(path.join(env.config.service.dataDir, 'aduan.sqlite'));
    await store.init();
    await store.attachCitizen({
      ticketId: 'portal-ticket',
      primary: 'portal:akun-9',
      contacts: ['phone:+6281234567890'],
      at: '2026-12-01T00:00:00Z',
    });
    await store.close();

    expect(await show('0899 1111 2222')).toMatchObject({
      code: 1,
      err: expect.stringContaining('tidak ada catatan warga'),
    });
    expect(await show('halo')).toMatchObject({ code: 1, err: expect.stringContaining('bukan id catatan') });
    // A NIK with a province that does not exist is refused, not looked up.
    expect((await show('9911045706890002')).code).toBe(1);
    expect((await show('0812 3456 7890')).out.match(/Catatan warga/g)).toHaveLength(2);
    const ambiguous = await link('link', '0812 3456 7890', 'portal:akun-9');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain('ada pada 2 catatan');
    expect(await link('link', 'portal:akun-9', 'portal:akun-9')).toMatchObject({ code: 2 });
    expect(await link('link', 'portal:akun-9', '0812 3456 7890', '  ')).toMatchObject({ code: 2 });
  });
});
