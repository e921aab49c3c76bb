import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../src/config/load';
import type { AppConfig } from '../../../src/config/schema';
import type { Ticket } from '../../../src/domain/complaint';
import { createLogger } from '../../../src/lib/logger';
import { CommandError } from '../../../src/cli/command-context';
import {
  ERASE_REFUSED,
  runCitizenErase,
  runCitizenExport,
  runCitizenRequests,
  runCitizenRestrict,
} from '../../../src/cli/commands/citizen-requests';
import { createStore } from '../../../src/main';
import { AdminAlerts } from '../../../src/ops/admin-alerts';
import { AttachmentFolders } from '../../../src/outbound/attachment-folder';
import { OutboxTransport } from '../../../src/outbound/outbox-transport';
import { EffectsStage } from '../../../src/pipeline/effects-stage';
import { RequestDeadlineWatch } from '../../../src/privacy/request-deadline-watch';
import type { CitizenExport } from '../../../src/privacy/citizen-export';
import type { NewTicket, Store } from '../../../src/store/store';
import { writeConfigDir } from '../../support/config-dir';
import { outboxMessages } from '../../support/service-harness';

/**
 * `aduan citizen export|erase|restrict|requests` on a real SQLite store (the commands' run functions,
 * in process), the effects stage honouring a restriction, and the deadline alert of an open request.
 */

const NIK = '1211045706890002';
const PHONE = '+6281234567890';
const OTHER_PHONE = '+6281299990000';
const log = createLogger({ level: 'silent' });

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('aduan citizen', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-citizen-'));
  let config: AppConfig;
  let store: Store;
  let scan: string;
  let seq = 0;

  const draft = (over: Partial<NewTicket> = {}): NewTicket => {
    const [category, settings] = Object.entries(config.categories)[0]!;
    const at = new Date().toISOString();
    return {
      channel: 'whatsapp',
      sourceId: `wamid.${++seq}`,
      references: [],
      receivedAt: at,
      complainant: { name: 'Rugun Situmorang', phone: PHONE, nik: NIK },
      text: `NIK saya ${NIK}, KTP belum jadi`,
      attachments: [],
      autoReplyAllowed: true,
      meta: {},
      status: 'received',
      classification: { category: category as never, confidence: 0.9, evidence: [] },
      targetMinutes: 30,
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      team: settings.team,
      history: [{ at, event: 'received' }],
      ...over,
    };
  };
  const insert = async (over: Partial<NewTicket> = {}) => (await store.insertTicket(draft(over), 2026)).ticket;
  const resolve = (t: Ticket) =>
    store.appendHistory(t.id, { at: new Date().toISOString(), event: 'resolved', note: 'selesai' }, 'resolved');
  // The commands open their own store on the same file; this test's handle reads what they wrote.
  const reopen = async () => {
    await store.close();
    store = createStore(config);
    await store.init();
  };

  beforeAll(async () => {
    const configDir = writeConfigDir(root, { service: { dataDir: path.join(root, 'data') } });
    config = loadConfig(configDir, { ...process.env, MONGODB_URL: '' });
    store = createStore(config);
    await store.init();
    const folder = path.join(config.service.dataDir, 'attachments', 'cd');
    mkdirSync(folder, { recursive: true });
    scan = path.join(folder, 'scan-ktp');
    writeFileSync(scan, 'KTP');
  });
  afterAll(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('export: refused without --verified-by; with it, everything held, unmasked, and audited', async () => {
    const mine = await insert({
      attachments: [{ filename: 'ktp.jpg', contentType: 'image/jpeg', size: 3, storedAt: scan }],
    });
    // Same name, another phone: never matched (names are not identifiers).
    const stranger = await insert({ complainant: { name: 'Rugun Situmorang', phone: OTHER_PHONE } });
    const out = sink();
    const err = sink();
    await expect(runCitizenExport(config, { phone: '0812-3456-7890' }, out.stream, err.stream)).rejects.toThrow(
      /--verified-by/,
    );
    const file = path.join(root, 'export.json');
    const code = await runCitizenExport(
      config,
      { phone: '0812-3456-7890', verifiedBy: 'KTP asli dicocokkan di loket', out: file, operator: 'rina' },
      out.stream,
      err.stream,
    );
    expect(code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const data = JSON.parse(readFileSync(file, 'utf8')) as CitizenExport;
    expect(data.tickets.map((t) => t.ticket.ticketNumber)).toEqual([mine.ticketNumber]);
    expect(data.tickets[0]!.ticket.complainant.nik).toBe(NIK); // unmasked: the deliberate exception
    expect(data.contacts).toEqual([{ channel: 'whatsapp', name: 'Rugun Situmorang', phone: PHONE, nik: NIK }]);
    expect(data.attachments).toEqual([
      {
        ticketNumber: mine.ticketNumber,
        filename: 'ktp.jpg',
        contentType: 'image/jpeg',
        size: 3,
        path: scan,
        onDisk: true,
      },
    ]);
    expect(JSON.stringify(data)).not.toContain(stranger.ticketNumber);
    await reopen();
    const [request] = await store.listDataRequests();
    expect(request).toMatchObject({ kind: 'export', subject: `phone:${PHONE}`, status: 'done', by: 'operator:rina' });
    expect(Date.parse(request!.deadlineAt) - Date.parse(request!.receivedAt)).toBe(72 * 3_600_000);
    const [audit] = await store.listPrivacyAudit();
    expect(audit).toMatchObject({ action: 'export', by: 'operator:rina', detail: { tickets: [mine.ticketNumber] } });
    expect(JSON.stringify(audit)).not.toContain('81234567890');
    await resolve(mine);
  });

  test('erase: refused while a ticket is open (request stays open), done once resolved; files deleted', async () => {
    const open = await insert({ complainant: { email: 'Rugun@Example.com', name: 'Rugun' } });
    const out = sink();
    const err = sink();
    const refused = await runCitizenErase(
      config,
      { email: 'rugun@example.com', reason: 'surat permohonan 3 Des' },
      out.stream,
      err.stream,
    );
    expect(refused).toBe(ERASE_REFUSED);
    expect(err.text()).toContain(`Penghapusan ditolak: tiket masih terbuka (${open.ticketNumber})`);
    expect(err.text()).toContain('Erasure refused');
    await reopen();
    expect((await store.getTicket(open.id))!.anonymized).toBeUndefined();
    const pending = await store.listDataRequests('open');
    expect(pending).toHaveLength(1);
    expect(pending[0]!.outcome).toContain('--force');

    await resolve(open);
    expect(
      await runCitizenErase(
        config,
        { email: 'rugun@example.com', reason: 'surat permohonan 3 Des' },
        out.stream,
        err.stream,
      ),
    ).toBe(0);
    await reopen();
    const erased = (await store.getTicket(open.id))!;
    expect(erased.anonymized?.reason).toBe('erasure');
    expect(JSON.stringify(erased)).not.toMatch(/rugun/i);
    // The same request, now done: not a second one.
    const requests = (await store.listDataRequests()).filter((r) => r.kind === 'erase');
    expect(requests.map((r) => [r.id, r.status])).toEqual([[pending[0]!.id, 'done']]);

    // The phone's tickets (resolved above) and their scan.
    expect(
      await runCitizenErase(config, { phone: PHONE, reason: 'permintaan lisan di loket' }, out.stream, err.stream),
    ).toBe(0);
    expect(existsSync(scan)).toBe(false);
    await reopen();
    const audit = (await store.listPrivacyAudit()).filter((a) => a.action === 'erase');
    expect(audit[0]!.detail).toMatchObject({ filesDeleted: 1 });
    expect(await store.findTicketsByContact({ field: 'phone', value: PHONE })).toEqual([]);
  });

  test('erase --force anonymizes an open ticket', async () => {
    const open = await insert({ complainant: { phone: '+6281300001111' } });
    const out = sink();
    const code = await runCitizenErase(
      config,
      { phone: '081300001111', reason: 'x', force: true },
      out.stream,
      sink().stream,
    );
    expect(code).toBe(0);
    await reopen();
    expect((await store.getTicket(open.id))!.anonymized?.reason).toBe('erasure');
  });

  test('restrict: no automatic message to the citizen, team mail still flows; --lift restores', async () => {
    const outbox = path.join(root, 'outbox');
    const transport = new OutboxTransport(outbox, { address: 'pengaduan@aduan.test', name: 'Pengaduan' });
    const stage = () =>
      new EffectsStage({
        store,
        categories: config.categories,
        teams: config.teams,
        timeZone: config.service.timeZone,
        maskNikInTeamMail: true,
        fromAddress: 'pengaduan@aduan.test',
        replySecrets: { current: 'x'.repeat(40), previous: [] },
        attachmentFolders: new AttachmentFolders([config.service.dataDir]),
        citizenTransports: { whatsapp: transport },
        teamTransport: transport,
        sla: { reminderAtShare: 0.75, supervisorEmails: [] },
        log,
      });
    const phone = '+6281377772222';
    expect(await runCitizenRestrict(config, { waId: phone.slice(1), reason: 'keberatan' }, sink().stream)).toBe(0);
    await reopen();
    const restricted = await insert({ complainant: { phone, platformUserId: `1234567:${phone.slice(1)}` } });
    await stage().process({ ticketId: restricted.id, effects: ['route', 'respond'] });
    const files = outboxMessages(outbox);
    expect(files.filter((f) => f.includes(restricted.ticketNumber) && f.endsWith('.ack.json'))).toEqual([]);
    expect(files.filter((f) => f.includes(restricted.ticketNumber)).length).toBe(2); // team mail + not-sent notice
    const history = (await store.getTicket(restricted.id))!.history;
    expect(history.some((h) => h.note?.includes('pemrosesan dibatasi'))).toBe(true);
    expect((await store.getEffect(`${restricted.id}:respond`))!.detail).toContain('not sent');

    expect(await runCitizenRestrict(config, { waId: phone.slice(1), lift: true }, sink().stream)).toBe(0);
    await reopen();
    const lifted = await insert({ complainant: { phone, platformUserId: `1234567:${phone.slice(1)}` } });
    await stage().process({ ticketId: lifted.id, effects: ['route', 'respond'] });
    expect(outboxMessages(outbox).filter((f) => f.includes(lifted.ticketNumber) && f.includes('.ack'))).toHaveLength(1);
    await transport.close();
    const actions = (await store.listPrivacyAudit()).map((a) => a.action);
    expect(actions.slice(0, 2)).toEqual(['lift', 'restrict']);
  });

  test("citizen:<id>: export and restrict reach every linked record's tickets (not a stranger's); an unknown id none", async () => {
    const attach = (t: Ticket, primary: string) =>
      store.attachCitizen({ ticketId: t.id, primary, contacts: [], at: t.receivedAt });
    const wa = await insert({ complainant: { phone: '+6281311112222', platformUserId: '1234567:6281311112222' } });
    const mail = await insert({ channel: 'email', complainant: { email: 'rugun.linked@example.com' } });
    const other = await insert({ channel: 'email', complainant: { email: 'lain@example.com' } });
    const a = (await attach(wa, 'whatsapp:6281311112222')).citizenId;
    const b = (await attach(mail, 'email:rugun.linked@example.com')).citizenId;
    await attach(other, 'email:lain@example.com');
    await store.linkCitizens({ a, b, reason: 'KTP di loket', by: 'operator:rina', at: new Date().toISOString() });
    const file = path.join(root, 'export-citizen.json');
    const options = { citizen: `citizen:${a}`, verifiedBy: 'KTP asli', out: file };
    expect(await runCitizenExport(config, options, sink().stream, sink().stream)).toBe(0);
    const data = JSON.parse(readFileSync(file, 'utf8')) as CitizenExport;
    expect(data.tickets.map((t) => t.ticket.ticketNumber).sort()).toEqual([wa.ticketNumber, mail.ticketNumber].sort());
    const unknown = path.join(root, 'export-unknown.json');
    expect(
      await runCitizenExport(
        config,
        { citizen: 'nobody', verifiedBy: 'KTP', out: unknown },
        sink().stream,
        sink().stream,
      ),
    ).toBe(0);
    expect((JSON.parse(readFileSync(unknown, 'utf8')) as CitizenExport).tickets).toEqual([]);

    // Restricted through the record: the linked record's email ticket gets no automatic message either.
    expect(await runCitizenRestrict(config, { citizen: b }, sink().stream)).toBe(0);
    await reopen();
    const outbox = path.join(root, 'outbox-citizen');
    const transport = new OutboxTransport(outbox, { address: 'pengaduan@aduan.test', name: 'Pengaduan' });
    const stage = new EffectsStage({
      store,
      categories: config.categories,
      teams: config.teams,
      timeZone: config.service.timeZone,
      maskNikInTeamMail: true,
      fromAddress: 'pengaduan@aduan.test',
      replySecrets: { current: 'x'.repeat(40), previous: [] },
      attachmentFolders: new AttachmentFolders([config.service.dataDir]),
      citizenTransports: { whatsapp: transport, email: transport },
      teamTransport: transport,
      sla: { reminderAtShare: 0.75, supervisorEmails: [] },
      log,
    });
    await stage.process({ ticketId: wa.id, effects: ['respond'] });
    await stage.process({ ticketId: other.id, effects: ['respond'] });
    expect((await store.getEffect(`${wa.id}:respond`))!.detail).toContain('not sent');
    expect((await store.getEffect(`${other.id}:respond`))!.detail).not.toContain('not sent');
    await transport.close();
  });

  test('requests lists deadlines; the admins are alerted once when an open one is near its deadline', async () => {
    const received = new Date(Date.now() - 60 * 3_600_000).toISOString(); // 12 h left
    await insert({ complainant: { email: 'lambat@example.com' } });
    const code = await runCitizenErase(
      config,
      { email: 'lambat@example.com', reason: 'surat', receivedAt: received },
      sink().stream,
      sink().stream,
    );
    expect(code).toBe(ERASE_REFUSED);
    await reopen();
    const listing = sink();
    await runCitizenRequests(config, { open: true }, listing.stream);
    expect(listing.text()).toMatch(/erase\s+email:l\*\*\*@example\.com .*terbuka, sisa 12 jam/);
    expect(listing.text()).not.toContain('lambat@');

    const outbox = path.join(root, 'alerts');
    const transport = new OutboxTransport(outbox, { address: 'pengaduan@aduan.test', name: 'Pengaduan' });
    const alerts = new AdminAlerts(
      store,
      transport,
      { adminEmails: ['admin@aduan.test'], repeatAfterMinutes: 600 },
      log,
    );
    const watch = new RequestDeadlineWatch({
      store,
      alerts,
      alertBeforeHours: 24,
      timeZone: config.service.timeZone,
      log,
    });
    const far = new RequestDeadlineWatch({
      store,
      alerts,
      alertBeforeHours: 6,
      timeZone: config.service.timeZone,
      log,
    });
    expect(await far.runOnce()).toEqual([]);
    const [open] = await store.listDataRequests('open');
    expect(await watch.runOnce()).toEqual([open!.id]);
    expect(await watch.runOnce()).toEqual([]); // once per repeat interval
    const mails = outboxMessages(outbox);
    expect(mails).toHaveLength(1);
    const mail = readFileSync(path.join(outbox, mails[0]!), 'utf8');
    expect(mail).toContain('Permintaan data pribadi erase');
    expect(mail).not.toContain('lambat@');
    await transport.close();
  });

  test('a subject named twice or not at all is a clear error', async () => {
    await expect(runCitizenRestrict(config, { phone: PHONE, nik: NIK }, sink().stream)).rejects.toBeInstanceOf(
      CommandError,
    );
    await expect(runCitizenRestrict(config, {}, sink().stream)).rejects.toThrow(/exactly one identifier/);
    await expect(runCitizenRestrict(config, { nik: '123' }, sink().stream)).rejects.toThrow(/16 digits/);
  });
});
