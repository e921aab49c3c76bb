import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AutoReplyLimit } from '../../../src/channels/email/auto-reply-limit';
import { RateWindow } from '../../../src/ops/rate-window';
import { emailChannelSchema } from '../../../src/channels/email/config-schema';
import { emailSettings } from '../../../src/channels/email/settings';
import { loadConfig } from '../../../src/config/load';
import { classifyError } from '../../../src/lib/errors';
import { SqliteStore } from '../../../src/store/sqlite-store';

const CONFIG_DIR = path.resolve(__dirname, '../../../config');

describe('email channel config', () => {
  it('ships a documented, disabled email section that validates', () => {
    const config = loadConfig(CONFIG_DIR, { IMAP_PASSWORD: 'rahasia' });
    expect(config.channels.email).toMatchObject({
      enabled: false,
      idle: true,
      markSeen: false,
      accounts: [expect.objectContaining({ name: 'pengaduan', security: 'tls', mailboxes: ['INBOX'] })],
    });
    expect(config.channels.email?.moveTo).toBeUndefined();
  });

  it('refuses an enabled channel without accounts, duplicate names and unknown keys', () => {
    expect(emailChannelSchema.safeParse({ enabled: true }).success).toBe(false);
    const account = { name: 'a', host: 'imap.example', user: 'u', password: 'p' };
    expect(emailChannelSchema.safeParse({ enabled: true, accounts: [account, account] }).success).toBe(false);
    expect(emailChannelSchema.safeParse({ enabled: true, accounts: [account], markseen: true }).success).toBe(false);
    expect(emailChannelSchema.parse({ enabled: true, accounts: [account] }).accounts[0]).toMatchObject({
      port: 993,
      security: 'tls',
      mailboxes: ['INBOX'],
    });
  });

  it('counts our sender, team and admin addresses as our own', () => {
    const settings = emailSettings(loadConfig(CONFIG_DIR, {}));
    expect(settings.ownDomain).toBe('disdukcapil.dairikab.go.id');
    for (const address of [
      'pengaduan@disdukcapil.dairikab.go.id',
      'capil@disdukcapil.dairikab.go.id',
      'admin-aduan@disdukcapil.dairikab.go.id',
    ]) {
      expect(settings.ownAddresses.has(address)).toBe(true);
    }
    expect(settings.attachmentsFolder).toBe(path.resolve('data/runtime/attachments/email'));
  });
});

describe('AutoReplyLimit', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-limit-'));
    store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('allows N automatic replies per sender per window, durably, and counts a message once', async () => {
    const limit = new AutoReplyLimit(store, { perSender: 3, windowMinutes: 60 });
    const t0 = Date.parse('2026-12-01T01:00:00Z');
    expect(await limit.admit('robot@helpdesk.example', '<1@x>', t0)).toBe(true);
    expect(await limit.admit('robot@helpdesk.example', '<1@x>', t0 + 1000)).toBe(true);
    expect(await limit.admit('robot@helpdesk.example', '<2@x>', t0 + 2000)).toBe(true);
    expect(await limit.admit('robot@helpdesk.example', '<3@x>', t0 + 3000)).toBe(true);
    expect(await limit.admit('warga@gmail.com', '<9@x>', t0 + 3000)).toBe(true);
    const afterRestart = new AutoReplyLimit(store, { perSender: 3, windowMinutes: 60 });
    expect(await afterRestart.admit('robot@helpdesk.example', '<4@x>', t0 + 4000)).toBe(false);
    expect(await afterRestart.admit('robot@helpdesk.example', '<2@x>', t0 + 5000)).toBe(true);
    expect(await afterRestart.admit('robot@helpdesk.example', '<5@x>', t0 + 61 * 60_000)).toBe(true);
  });

  it('caps replies to all senders together per hour; a sender refused by the total cap keeps its own slot', async () => {
    const limit = new AutoReplyLimit(store, { perSender: 3, windowMinutes: 60, totalPerHour: 2 });
    const t0 = Date.parse('2026-12-01T01:00:00Z');
    expect(await limit.refusal('a@x.example', '<a1@x>', t0)).toBeUndefined();
    expect(await limit.refusal('b@x.example', '<b1@x>', t0)).toBeUndefined();
    expect(await limit.refusal('c@x.example', '<c1@x>', t0)).toBe(
      'batas balasan otomatis keseluruhan tercapai: 2 balasan otomatis dalam 60 menit terakhir',
    );
    expect(await limit.refusal('c@x.example', '<c2@x>', t0 + 61 * 60_000)).toBeUndefined();
  });

  it('counts concurrent checks of one key one after another: never more than the limit', async () => {
    const window = new RateWindow(store, 'test:window', { max: 3, windowMinutes: 60 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => window.admit('same-sender', `<${i}@x>`)));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  it('counts concurrent checks of one key one after another across instances (the reader and the effects stage)', async () => {
    // The email reader and the channel's reply budget each hold their own AutoReplyLimit on the same store.
    const reader = new AutoReplyLimit(store, { perSender: 3, windowMinutes: 60, totalPerHour: 8 });
    const effects = new AutoReplyLimit(store, { perSender: 3, windowMinutes: 60, totalPerHour: 8 });
    const perSender = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? reader : effects).admit('robot@x.example', `<${i}@x>`)),
    );
    expect(perSender.filter(Boolean)).toHaveLength(3);
    const total = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? reader : effects).admit(`s${i}@x.example`, `<t${i}@x>`)),
    );
    expect(total.filter(Boolean)).toHaveLength(5); // 8 in all, 3 taken above
  });
});

describe('classifyError for mail', () => {
  it('treats a refused IMAP login as permanent and a dropped connection as retryable', () => {
    expect(
      classifyError(
        Object.assign(new Error('Command failed'), {
          authenticationFailed: true,
          serverResponseCode: 'AUTHENTICATIONFAILED',
        }),
      ),
    ).toBe('permanent');
    expect(classifyError(Object.assign(new Error('Connection not available'), { code: 'NoConnection' }))).toBe(
      'retryable',
    );
    expect(classifyError(Object.assign(new Error('Socket timeout'), { code: 'ETIMEOUT' }))).toBe('retryable');
  });

  it('retries SMTP 4xx and gives up on 5xx', () => {
    expect(classifyError(Object.assign(new Error('451 4.3.0 Coba lagi nanti'), { responseCode: 451 }))).toBe(
      'retryable',
    );
    expect(classifyError(Object.assign(new Error('550 5.1.1 User unknown'), { responseCode: 550 }))).toBe('permanent');
  });
});
