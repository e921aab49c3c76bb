import { createPortalReplyTransport } from '../../../src/channels/portal';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { FakePortalServer, portalRecord } from '../../support/fake-portal-server';
import { createTestEnv, waitFor, type TestEnv } from '../../support/service-harness';
import { portalConfig, startPolling, TOKEN, type Polling } from '../portal/portal-test-env';

/**
 * Issue #22 §2 on the Perkebbas portal (the real poller and reply transport against the fake portal): the
 * account's own status question is answered to that account and recorded on its ticket; another account asking
 * about that number, and an account with no ticket, get the same "not found"; neither becomes a ticket.
 */

jest.setTimeout(60_000);

describe('status answer on the portal', () => {
  let env: TestEnv;
  let fake: FakePortalServer;
  let polling: Polling | undefined;
  afterEach(async () => {
    await polling?.stop();
    polling = undefined;
    await fake.close();
    await env.cleanup();
  });

  it('own account → status; another account and an account without tickets → not found', async () => {
    env = createTestEnv();
    fake = await FakePortalServer.start({ auth: { kind: 'bearer', token: TOKEN }, paging: 'page' });
    const at = (offsetSeconds: number) => new Date(Date.now() + offsetSeconds * 1000).toISOString();
    const record = (id: string, account: string, isi: string, offset: number) =>
      portalRecord(id, at(offset), { isi, pelapor: { nama: 'Marihot Padang', akun: account } });
    fake.records.push(
      record('PKB-1', 'akun-778', 'Akta kelahiran anak saya belum terbit padahal berkas lengkap.', -60),
    );
    const portal = portalConfig(fake, {
      mapping: {
        sourceId: 'id',
        receivedAt: 'dibuat_pada',
        text: 'isi',
        subject: 'judul',
        name: 'pelapor.nama',
        replyTo: 'pelapor.akun',
      },
      reply: {
        url: fake.url('/api/pengaduan/{{to}}/tanggapan'),
        auth: { kind: 'bearer', token: TOKEN },
        bodyTemplate: { pesan: '{{text}}', jenis: '{{purpose}}' },
      },
    });
    const outbox = new OutboxTransport(env.config.outbound.outboxDir, { address: 'pengaduan@aduan.test', name: 'A' });
    polling = await startPolling(env, portal, (s) => s, {
      transports: { citizen: { perkebbas: createPortalReplyTransport(portal, env.log)! }, team: outbox },
    });
    const store = polling.service.store;
    const [ticket] = await waitFor(
      async () => {
        const tickets = await store.listTickets({});
        return tickets.length ? tickets : undefined;
      },
      10_000,
      'the ticket',
    );
    const number = ticket!.ticketNumber;
    const repliesTo = (account: string) =>
      fake
        .callsTo('reply')
        .filter((c) => c.status === 201 && c.path === `/api/pengaduan/${account}/tanggapan`)
        .map((c) => c.body as { pesan: string; jenis: string });

    fake.records.push(record('PKB-2', 'akun-778', `Mohon cek status pengaduan ${number}`, -30));
    fake.records.push(record('PKB-3', 'akun-999', `cek status ${number}`, -20));
    fake.records.push(record('PKB-4', 'akun-555', 'Sudah sampai mana pengaduan saya?', -10));

    const own = await waitFor(
      async () => repliesTo('akun-778').find((b) => b.jenis === 'status-answer'),
      10_000,
      'the status answer',
    );
    expect(own.pesan).toContain(`Status pengaduan ${number}`);
    expect(own.pesan).toContain('Tahap saat ini: ');
    const other = await waitFor(async () => repliesTo('akun-999')[0], 10_000, 'the other account');
    const none = await waitFor(async () => repliesTo('akun-555')[0], 10_000, 'the account without tickets');
    expect(other).toEqual({ pesan: expect.stringContaining('tidak ditemukan untuk akun ini'), jenis: 'status-answer' });
    expect(other.pesan).not.toContain(number);
    expect(none).toEqual(other);
    expect(await store.listTickets({})).toHaveLength(1);
    const history = (await store.getTicket(ticket!.id))!.history;
    expect(history.filter((h) => h.event === 'status-question').map((h) => h.statusAnswer)).toEqual([
      { channel: 'perkebbas', to: 'akun-778' },
    ]);
  });
});
