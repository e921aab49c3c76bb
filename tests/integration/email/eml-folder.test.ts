import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EmlFolderIntake } from '../../../src/channels/email/eml-folder-intake';
import { parseEmail } from '../../../src/channels/email/parse';
import { createClassifier, type RunningService } from '../../../src/main';
import { FIRST_EFFECTS } from '../../../src/pipeline/queues';
import { createTestEnv, startTestService, waitFor, type TestEnv } from '../../support/service-harness';

/** The demo's email samples go through the same parsing as IMAP mail, from a folder of .eml files. */

jest.setTimeout(60_000);

const SAMPLES = path.resolve(__dirname, '../../../samples/email');
let env: TestEnv;
let service: RunningService;

beforeAll(async () => {
  env = createTestEnv();
  service = await startTestService(env, { classifier: createClassifier(env.config, env.configDir) });
});

afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

it('turns every sample .eml into a ticket with its reply and team mail, once', async () => {
  const intake = EmlFolderIntake.fromConfig(SAMPLES, env.config, service.store, env.log);
  await intake.start(service.sink);
  await intake.drained();
  expect(intake.health()).toMatchObject({ name: 'email:eml-folder', state: 'ok', submitted: 4 });

  const tickets = await waitFor(
    async () => {
      const all = await service.store.listTickets({});
      const missing = await service.store.listTicketsMissingEffects(
        [...FIRST_EFFECTS],
        new Date(Date.now() + 60_000).toISOString(),
        10,
      );
      return all.length === 4 && missing.length === 0 ? all : undefined;
    },
    20_000,
    'four tickets with their effects',
  );
  const bySource = Object.fromEntries(tickets.map((t) => [t.sourceId, t]));
  expect(bySource['<CAJx7pQm2v0sample1@mail.gmail.com>']).toMatchObject({
    subject: 'Permohonan surat keterangan belum menikah',
    signature: 'Hormat saya,\nRosmawati Sinaga\n0813-6123-4455',
  });
  expect(bySource['<20261130.8841.sample2@yahoo.co.id>']).toMatchObject({
    complainant: { name: 'Jhon Tumanggor', email: 'jhon.tumanggor@example.net', nik: '1211045706890002' },
    signature: 'Dikirim dari Yahoo Mail di Android',
  });
  expect(bySource['<SG2PR01MB4321SAMPLE3@SG2PR01MB4321.apcprd01.prod.exchangelabs.com>']).toMatchObject({
    subject: 'Akta kelahiran anak – salah penulisan nama',
    quotedText: expect.stringMatching(/^-----Original Message-----/),
  });
  const html = bySource['<CAK9mF0pQ2sVsample4@mail.gmail.com>']!;
  expect(html.text).toMatch(/^Selamat pagi,\n\nSaya sudah perekaman KTP-el/);
  expect(html.attachments).toEqual([
    expect.objectContaining({
      filename: 'bukti-perekaman.pdf',
      contentType: 'application/pdf',
      storedAt: expect.any(String),
    }),
  ]);
  expect(existsSync(html.attachments[0]!.storedAt!)).toBe(true);

  const outbox = env.config.outbound.outboxDir;
  const acks = readdirSync(outbox).filter((f) => f.endsWith('.ack.eml'));
  expect(acks).toHaveLength(4);
  const ack = await parseEmail(
    readFileSync(path.join(outbox, `${bySource['<CAJx7pQm2v0sample1@mail.gmail.com>']!.ticketNumber}.ack.eml`)),
  );
  expect(ack.inReplyTo).toBe('<CAJx7pQm2v0sample1@mail.gmail.com>');
  expect(ack.headers.get('auto-submitted')).toBe('auto-replied');

  // A second reader of the same folder (a restart) reads nothing again.
  const again = EmlFolderIntake.fromConfig(SAMPLES, env.config, service.store, env.log);
  await again.start(service.sink);
  await again.drained();
  expect(again.health().submitted).toBe(0);
  expect(await service.store.countTickets()).toBe(4);
});
