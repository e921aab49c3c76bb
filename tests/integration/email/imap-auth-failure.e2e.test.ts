import { waitFor } from '../../support/service-harness';
import { mailTestEnv, startWithEmail, useMailServers } from './mail-env';
import { DOVECOT, skipFileUnless } from '../../support/required-program';

skipFileUnless(DOVECOT);

/** Its own Dovecot: the server slows down logins from an address after failures (auth penalty). */

jest.setTimeout(60_000);

const servers = useMailServers();

it('marks the channel failed and alerts the admin exactly once while the login keeps failing, also across a restart', async () => {
  const user = servers.dovecot.addUser();
  servers.env = mailTestEnv(servers.dovecot, { ...user, password: 'salah-sandi' }, servers.sink, {
    authFailuresBeforeAlert: 1,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
  });
  const failedLogins = () => servers.env!.logLines.filter((l) => l.includes('IMAP login failed')).length;
  servers.service = await startWithEmail(servers.env);
  await waitFor(async () => servers.service!.channels[0]!.health().state === 'failed', 15_000, 'the channel to fail');
  await waitFor(async () => failedLogins() >= 2, 15_000, 'another failed login');

  const health = await servers.service.health();
  expect(health.status).toBe('degraded');
  expect(health.channels).toEqual([
    expect.objectContaining({
      name: 'email:uji/INBOX',
      state: 'failed',
      lastError: expect.stringContaining('AUTHENTICATIONFAILED'),
    }),
  ]);

  // A restart while the problem lasts does not repeat the alert (the alert time is in the store).
  await servers.service.stop();
  const before = failedLogins();
  servers.service = await startWithEmail(servers.env);
  await waitFor(async () => failedLogins() > before, 15_000, 'a failed login after the restart');

  const alerts = servers.sink.withPurpose('alert');
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.envelope.to).toEqual(['admin@aduan.test']);
  expect(alerts[0]!.mail.subject).toBe('[aduan] Kanal email uji: login IMAP gagal');
  expect(alerts[0]!.mail.text).toContain(
    `Login ke kotak surat ${user.user} di 127.0.0.1:${servers.dovecot.port} gagal 1 kali berturut-turut.`,
  );
  expect(alerts[0]!.mail.text).toContain('AUTHENTICATIONFAILED');
  expect(alerts[0]!.mail.text).not.toContain('salah-sandi');
  expect(servers.env.logLines.join('\n')).not.toContain('salah-sandi');
});
