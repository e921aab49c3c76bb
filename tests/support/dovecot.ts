import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real Dovecot IMAP server on a private config: loopback only, plain text (no TLS), a passwd-file
 * with plain passwords, maildirs and state in a temp folder. Mail is owned by `nobody` (uid 65534,
 * above Dovecot's first_valid_uid), so it needs root to start, like Dovecot itself. Used by the
 * email integration tests and bench/email-latency.ts.
 */

export const DOVECOT_BINARY = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';
const MAIL_UID = 65534;
const MAIL_GID = 65534;

export interface DovecotUser {
  user: string;
  password: string;
}

export class Dovecot {
  private child: ChildProcess | undefined;
  private readonly users = new Map<string, string>();

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Starts a fresh server; `stop()` removes everything it wrote. */
  static async start(): Promise<Dovecot> {
    if (!existsSync(DOVECOT_BINARY))
      throw new Error(`${DOVECOT_BINARY} is missing: apt-get install dovecot-imapd (see .ci/run)`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-dovecot-'));
    // Dovecot's login processes (dovenull) and mail processes (nobody) must be able to reach it.
    chmodSync(dir, 0o755);
    const server = new Dovecot(dir, await freePort());
    server.writeConfig();
    await server.launch();
    return server;
  }

  get configFile(): string {
    return path.join(this.dir, 'dovecot.conf');
  }

  get host(): string {
    return '127.0.0.1';
  }

  /** A new mailbox user (fresh per test file); takes effect at once since the passwd-file is re-read. */
  addUser(prefix = 'warga'): DovecotUser {
    const user = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
    const password = `pw-${Math.random().toString(36).slice(2, 10)}`;
    this.users.set(user, password);
    const lines = [...this.users].map(
      ([u, p]) => `${u}:{PLAIN}${p}:${MAIL_UID}:${MAIL_GID}::${path.join(this.dir, 'mail', u)}::`,
    );
    // Written aside and renamed into place: Dovecot re-reads the file when it changes, and one read of a
    // half-written file (a busy machine) would fail logins until the next change.
    const passwd = path.join(this.dir, 'passwd');
    writeFileSync(`${passwd}.new`, lines.join('\n') + '\n', { mode: 0o644 });
    renameSync(`${passwd}.new`, passwd);
    return { user, password };
  }

  /** Kills the server (like a crash or a restart of the mail host); mail on disk stays. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    // The master has exited; give its children a moment to release the port.
    await waitUntil(async () => !(await portAnswers(this.port)), 5000, 'dovecot port to close');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs doveadm against this instance (e.g. to change a mailbox's UIDVALIDITY). */
  doveadm(...args: string[]): string {
    const result = spawnSync('doveadm', ['-c', this.configFile, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`doveadm ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
    return result.stdout;
  }

  log(): string {
    const file = path.join(this.dir, 'dovecot.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  private async launch(): Promise<void> {
    const child = spawn(DOVECOT_BINARY, ['-F', '-c', this.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.child = child;
    const failed = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`dovecot exited with ${code}: ${stderr}\n${this.log().slice(-2000)}`)),
      ),
    );
    failed.catch(() => undefined);
    await Promise.race([waitUntil(() => portAnswers(this.port), 10_000, 'dovecot to listen'), failed]);
  }

  private writeConfig(): void {
    const mail = path.join(this.dir, 'mail');
    mkdirSync(mail, { recursive: true });
    chownSync(mail, MAIL_UID, MAIL_GID);
    this.addUser('placeholder');
    const conf = `
instance_name = aduan-test-${path.basename(this.dir)}
base_dir = ${path.join(this.dir, 'run')}
state_dir = ${path.join(this.dir, 'state')}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
log_path = ${path.join(this.dir, 'dovecot.log')}
mail_location = maildir:~/Maildir
first_valid_uid = 500
mail_uid = ${MAIL_UID}
mail_gid = ${MAIL_GID}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${path.join(this.dir, 'passwd')}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${path.join(this.dir, 'passwd')}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
namespace inbox {
  inbox = yes
  separator = /
}
`;
    writeFileSync(this.configFile, conf);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
