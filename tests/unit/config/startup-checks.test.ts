import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, loadConfigWithOrigins } from '../../../src/config/load';
import { folderProblem, startupProblems } from '../../../src/config/startup-checks';
import { writeConfigDir } from '../../support/config-dir';

const SECRET = 'r'.repeat(40);
let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'aduan-startup-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Folders inside the temp dir, so the shipped relative defaults do not depend on the working directory. */
const local = (extra: Record<string, unknown>) => ({
  service: { dataDir: path.join(root, 'data') },
  outbound: { outboxDir: path.join(root, 'outbox') },
  ...extra,
});

describe('what start needs (startupProblems, shared by start and check-config)', () => {
  test('the shipped configuration in outbox mode needs nothing more', () => {
    expect(startupProblems(loadConfig(writeConfigDir(root, local({})), {}))).toEqual([]);
  });

  test('live mode needs outbound.smtp and the reply secret', () => {
    const config = loadConfig(writeConfigDir(root, local({ outbound: { mode: 'live' } })), {});
    expect(startupProblems(config)).toEqual([
      expect.stringMatching(/^outbound\.smtp: missing, but outbound\.mode is live/),
      expect.stringMatching(/^staff\.replySecret: missing \(set ADUAN_REPLY_SECRET/),
    ]);
    const withSmtp = loadConfig(
      writeConfigDir(root, local({ outbound: { mode: 'live', smtp: { host: 'smtp.example.org', user: 'u' } } })),
      { ADUAN_REPLY_SECRET: SECRET },
    );
    expect(startupProblems(withSmtp)).toEqual([
      'outbound.smtp.password: empty, but outbound.smtp.user is set; set it (e.g. through ${VAR} in local.yaml)',
    ]);
  });

  test('an enabled email channel needs its IMAP password, and says which variable gives it', () => {
    const loaded = loadConfigWithOrigins(writeConfigDir(root, local({ channels: { email: { enabled: true } } })), {});
    expect(startupProblems(loaded.config, { originOf: loaded.originOf })).toEqual([
      'channels.email.accounts.0.password: empty, but channels.email is enabled and logs in as disdukcapilkabdairi@gmail.com; set IMAP_PASSWORD (or IMAP_PASSWORD_FILE)',
    ]);
    const set = loadConfig(writeConfigDir(root, local({ channels: { email: { enabled: true } } })), {
      IMAP_PASSWORD: 'app-password',
    });
    expect(startupProblems(set)).toEqual([]);
  });

  test('folders the service writes must be creatable and writable', () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, '');
    const config = loadConfig(
      writeConfigDir(root, {
        service: { dataDir: path.join(file, 'data') },
        outbound: { outboxDir: file },
        channels: { callCenter: { enabled: true, folder: path.join(file, 'calls') } },
      }),
      {},
    );
    expect(startupProblems(config)).toEqual([
      `service.dataDir: ${file}/data cannot be created: ${file} is a file, not a folder`,
      `outbound.outboxDir: ${file} is a file, not a folder`,
      `channels.callCenter.folder: ${file}/calls cannot be created: ${file} is a file, not a folder`,
    ]);
  });

  test('a folder that does not exist yet but can be made is fine', () => {
    mkdirSync(path.join(root, 'exists'));
    expect(folderProblem(path.join(root, 'exists'))).toBeUndefined();
    expect(folderProblem(path.join(root, 'not', 'yet', 'there'))).toBeUndefined();
  });
});
