import path from 'node:path';
import { CallCenterLogIntake } from '../../../src/channels/callcenter';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';

describe('the demo sample agent log', () => {
  let env: TestEnv;
  afterEach(async () => env.cleanup());

  it('reads samples/callcenter through the real watcher with the shipped column config: one ticket per row', async () => {
    env = createTestEnv();
    const shipped = env.config.channels.callCenter!;
    const config = { ...shipped, enabled: true, folder: path.resolve(__dirname, '../../../samples/callcenter') };
    const service = await startTestService(env);
    const watcher = new CallCenterLogIntake({
      config,
      store: service.store,
      log: env.log,
      timeZone: env.config.service.timeZone,
      alerts: service.alerts,
    });
    try {
      await watcher.start(service.sink);
      await watcher.scanNow(); // resolves once every row present now is handed over
      expect(watcher.stats()).toEqual({ queued: 3, duplicate: 0, quarantined: 0, blank: 0 });
      expect(watcher.health().state).toBe('ok');
      // The notes with a `;` in them are whole, and nothing spilled into the NIK column.
      await waitFor(async () => (await service.store.countTickets()) === 3, 10_000, 'three tickets');
      const akta = (await service.store.listTickets({})).find((t) => t.meta.row === '4')!;
      expect(akta.text).toBe(
        'Akta kelahiran anak yang diajukan lewat desa tiga minggu lalu belum selesai; penelepon minta kepastian kapan bisa diambil.',
      );
      expect(akta.complainant).toEqual({ phone: '+6281362224455', name: 'Rosmawati Sinaga' });
      expect(akta.meta.mappingWarnings).toBeUndefined();
    } finally {
      await watcher.stop();
      await service.stop();
    }
  });
});
