import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load';
import { createStore } from '../../../src/main';
import { writeConfigDir } from '../../support/config-dir';
import { runAduan } from '../cli/run-aduan';

/** `aduan citizen` through the real binary on a real store: exit codes and messages an operator sees. */

describe('aduan citizen (binary)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-citizen-cli-'));
  let configDir: string;
  let number: string;

  beforeAll(async () => {
    configDir = writeConfigDir(root, { service: { dataDir: path.join(root, 'data') } });
    const config = loadConfig(configDir, { ...process.env, MONGODB_URL: '' });
    const store = createStore(config);
    await store.init();
    const [category, settings] = Object.entries(config.categories)[0]!;
    const at = new Date().toISOString();
    const { ticket } = await store.insertTicket(
      {
        channel: 'call-center',
        sourceId: 'log.csv#1',
        references: [],
        receivedAt: at,
        complainant: { name: 'Rugun', phone: '+6281234567890', nik: '1211045706890002' },
        text: 'KTP belum jadi',
        attachments: [],
        autoReplyAllowed: false,
        meta: {},
        status: 'routed',
        classification: { category: category as never, confidence: 0.9, evidence: [] },
        targetMinutes: 30,
        dueAt: at,
        team: settings.team,
        history: [{ at, event: 'received' }],
      },
      2026,
    );
    number = ticket.ticketNumber;
    await store.close();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const aduan = (...args: string[]) => runAduan([...args, '-c', configDir], { MONGODB_URL: '' });

  test('export without --verified-by is refused; with it the JSON is unmasked', async () => {
    const refused = await aduan('citizen', 'export', '--phone', '0812 3456 7890');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--verified-by');
    const done = await aduan('citizen', 'export', '--phone', '0812 3456 7890', '--verified-by', 'KTP asli');
    expect(done.status).toBe(0);
    const data = JSON.parse(done.stdout) as { tickets: Array<{ ticket: { complainant: { nik: string } } }> };
    expect(data.tickets[0]!.ticket.complainant.nik).toBe('1211045706890002');
  });

  test('erase of an open ticket is refused with exit 3 and a message in both languages; requests lists it masked', async () => {
    const refused = await aduan('citizen', 'erase', '--nik', '1211045706890002', '--reason', 'surat');
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain(`Penghapusan ditolak: tiket masih terbuka (${number})`);
    expect(refused.stderr).toContain('Erasure refused');
    const list = await aduan('citizen', 'requests', '--open');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/erase\s+nik:\*{13}002/);
    expect(list.stdout).not.toContain('1211045706890002');
    const forced = await aduan('citizen', 'erase', '--nik', '1211045706890002', '--reason', 'surat', '--force');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain(`1 tiket dianonimkan, 0 berkas dihapus: ${number}`);
  });
});
