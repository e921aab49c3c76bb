import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { laporChannelSchema } from '../../../src/channels/lapor/config-schema';
import { runLaporIntake } from '../../../src/cli/commands/lapor';
import { createClassifier } from '../../../src/main';
import type { ComplaintClassifier } from '../../../src/domain/classifier';
import { Dovecot, type DovecotUser } from '../../support/dovecot';
import { DOVECOT, skipFileUnless } from '../../support/required-program';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';
import { authResults, TRUSTED_AUTHSERV_ID } from '../../support/staff-mail';
import { append, citizenMail } from '../email/mail-env';
import type { RunningService } from '../../../src/main';

skipFileUnless(DOVECOT);
jest.setTimeout(90_000);

const ADMIN = 'penghubung@aduan.test';
const LAPOR = 'SP4N-LAPOR! <notifikasi@lapor.go.id>';
const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/lapor', name), 'utf8');

/**
 * LAPOR! notifications through a real Dovecot: the office's LAPOR! mailbox is read like any IMAP mailbox, a
 * genuine notification (its From domain authenticated by the trusted receiving server, as staff answers
 * must be) becomes the report's ticket, and a forged or foreign one is recorded as noise, never a ticket.
 */
describe('LAPOR! notification mailbox (real Dovecot)', () => {
  let dovecot: Dovecot;
  let user: DovecotUser;
  let env: TestEnv;
  let service: RunningService | undefined;
  let classifier: ComplaintClassifier | undefined;

  beforeAll(async () => {
    dovecot = await Dovecot.start();
  });
  afterAll(async () => {
    await dovecot?.destroy();
  });
  beforeEach(() => {
    user = dovecot.addUser('lapor');
    env = createTestEnv((c) => ({
      ...c,
      channels: {
        ...c.channels,
        lapor: laporChannelSchema.parse({
          enabled: true,
          adminPenghubung: [ADMIN],
          notifications: {
            account: {
              name: 'lapor',
              host: dovecot.host,
              port: dovecot.port,
              security: 'plain',
              user: user.user,
              password: user.password,
              senderAuth: { authservIds: [TRUSTED_AUTHSERV_ID] },
            },
          },
        }),
      },
    }));
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await env.cleanup();
  });

  const start = async () => {
    classifier ??= createClassifier(env.config, env.configDir);
    service = await startTestService(env, { channels: undefined, classifier });
    return service;
  };
  const notification = (opts: {
    id: string;
    subject: string;
    text: string;
    auth?: 'pass' | 'fail' | 'none';
    from?: string;
  }) =>
    citizenMail({
      from: opts.from ?? LAPOR,
      to: `lapor@${'disdukcapil.dairikab.go.id'}`,
      messageId: `<${opts.id}@notifikasi.lapor.go.id>`,
      subject: opts.subject,
      text: opts.text,
      onTop: opts.auth === 'none' ? [] : [`Authentication-Results: ${authResults('lapor.go.id', opts.auth ?? 'pass')}`],
    });

  test('a genuine notification is the ticket; forged and foreign mail is refused and recorded; one ticket per Tracking ID', async () => {
    const s = await start();
    const forgedText = fixture('disposisi-1916449.txt').replace(/1916449/g, '2999001');
    await append(
      dovecot,
      user,
      notification({
        id: 'asli-1',
        subject: 'LAPOR! Disposisi laporan #1916449',
        text: fixture('disposisi-1916449.txt'),
      }),
      notification({ id: 'palsu-1', subject: 'LAPOR! Disposisi laporan #2999001', text: forgedText, auth: 'fail' }),
      notification({ id: 'palsu-2', subject: 'LAPOR! Disposisi laporan #2999001', text: forgedText, auth: 'none' }),
      notification({
        id: 'palsu-3',
        subject: 'LAPOR! Disposisi laporan #2999001',
        text: forgedText,
        from: 'SP4N-LAPOR! <notifikasi@lapor-go-id.example>',
      }),
      notification({
        id: 'asli-2',
        subject: 'LAPOR! Pengingat laporan #1916449',
        text: fixture('disposisi-1916449.txt'),
      }),
    );
    await waitFor(async () => (await s.store.listNoise(10)).length === 3, 30_000, 'three refusals recorded');
    const ticket = await waitFor(() => s.store.findBySource('lapor', '1916449'), 30_000, 'the ticket');
    await waitFor(
      async () => (await s.store.listEffects(ticket.id)).some((e) => e.kind === 'route' && e.state === 'done'),
      15_000,
      'routed',
    );

    expect(ticket.meta).toMatchObject({
      laporTrackingId: '1916449',
      laporEntry: 'mail',
      laporForwardedAt: '2026-12-02T03:15:00.000Z',
      laporDisposedAt: '2026-12-03T01:30:00.000Z',
      laporClockBasis: 'forwarded',
      laporSlug: 'ktp-elektronik-belum-dicetak-1916449',
      senderAuth: 'pass',
    });
    expect(ticket.complainant).toEqual({ name: 'Rugun Simbolon' });
    expect(ticket.text).toContain('KTP saya belum dicetak');
    expect(await s.store.findBySource('lapor', '2999001')).toBeUndefined();
    const noise = await s.store.listNoise(10);
    expect(noise.map((n) => n.kind).sort()).toEqual(['forged-lapor', 'forged-lapor', 'not-lapor']);
    expect(noise.find((n) => n.sourceId === '<palsu-1@notifikasi.lapor.go.id>')?.reason).toBe(
      'notifikasi LAPOR! ditolak: pengirim tidak terautentikasi (dmarc=fail (mx.google.com))',
    );
    expect(noise.find((n) => n.sourceId === '<palsu-2@notifikasi.lapor.go.id>')?.reason).toContain(
      'tidak ada Authentication-Results dari server penerima tepercaya',
    );

    // The Admin Penghubung types the same report in from the dashboard: still the one ticket.
    let printed = '';
    const out = new Writable({
      write(chunk: Buffer, _e, done) {
        printed += chunk.toString();
        done();
      },
    });
    const code = await runLaporIntake(
      env.config,
      env.configDir,
      { trackingId: '1916449', forwardedAt: '02/12/2026 10.15', text: 'KTP belum dicetak' },
      env.log,
      out,
      out,
    );
    expect(code).toBe(0);
    expect(printed).toContain(`sudah tercatat sebagai tiket ${ticket.ticketNumber}`);
    expect(await s.store.countTickets()).toBe(1);
  });
});
