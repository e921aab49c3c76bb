import type { RunningService } from '../../../src/main';
import { Dovecot } from '../../support/dovecot';
import { waitFor, type TestEnv } from '../../support/service-harness';
import { SmtpSink } from '../../support/smtp-sink';
import { mailTestEnv, startWithEmail } from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/** Its own Dovecot: the server slows down logins from an address after failures (auth penalty). */

jest.setTimeout(60_000);

let dovecot: Dovecot;
let sink: SmtpSink;
let env: TestEnv | undefined;
let service: RunningService | undefined;

beforeAll(async () => {
  [dovecot, sink] = await Promise.all([Dovecot.start(), SmtpSink.start()]);
});

afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
  await Promise.all([dovecot?.destroy(), sink?.stop()]);
});

it('marks the channel failed and alerts the admin exactly once while the login keeps failing, also across a restart', async () => {
  const user = dovecot.addUser();
  env = mailTestEnv(dovecot, { ...user, password: 'salah-sandi' }, sink, {
    authFailuresBeforeAlert: 1,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
  });
  const failedLogins = () => env!.logLines.filter((l) => l.includes('IMAP login failed')).length;
  service = await startWithEmail(env);
  await waitFor(async () => service!.channels[0]!.health().state === 'failed', 15_000, 'the channel to fail');
  await waitFor(async () => failedLogins() >= 2, 15_000, 'another failed login');

  const health = await service.health();
  expect(health.status).toBe('degraded');
  expect(health.channels).toEqual([
    expect.objectContaining({
      name: 'email:uji/INBOX',
      state: 'failed',
      lastError: expect.stringContaining('AUTHENTICATIONFAILED'),
    }),
  ]);

  // A restart while the problem lasts does not repeat the alert (the alert time is in the store).
  await service.stop();
  const before = failedLogins();
  service = await startWithEmail(env);
  await waitFor(async () => failedLogins() > before, 15_000, 'a failed login after the restart');

  const alerts = sink.withPurpose('alert');
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.envelope.to).toEqual(['admin@aduan.test']);
  expect(alerts[0]!.mail.subject).toBe('[aduan] Kanal email uji: login IMAP gagal');
  expect(alerts[0]!.mail.text).toContain(
    `Login ke kotak surat ${user.user} di 127.0.0.1:${dovecot.port} gagal 1 kali berturut-turut.`,
  );
  expect(alerts[0]!.mail.text).toContain('AUTHENTICATIONFAILED');
  expect(alerts[0]!.mail.text).not.toContain('salah-sandi');
  expect(env.logLines.join('\n')).not.toContain('salah-sandi');
});
