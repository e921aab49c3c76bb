import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load';
import type { AppConfig } from '../../../src/config/schema';
import { ANONYMIZED_TEXT } from '../../../src/domain/anonymize';
import { FixedClock } from '../../../src/domain/clock';
import type { Ticket } from '../../../src/domain/complaint';
import { createLogger } from '../../../src/lib/logger';
import { attachmentFolders, createStore, officeCalendar } from '../../../src/main';
import { AttachmentFolders } from '../../../src/outbound/attachment-folder';
import { Anonymizer } from '../../../src/privacy/anonymizer';
import { RetentionJob } from '../../../src/privacy/retention-job';
import { buildRecapReport } from '../../../src/report/recap-report';
import type { Store } from '../../../src/store/store';
import { writeConfigDir } from '../../support/config-dir';
import { PERSONAL, planOctoberTickets } from '../../support/recap-tickets';

/**
 * The nightly retention run on a real SQLite store with a fixed clock: tickets past retention lose their
 * personal data and their files, open ones and those still within retention keep theirs, the October
 * recap computed before and after is the same, every run is audited, and a repeat does nothing twice.
 */

const log = createLogger({ level: 'silent' });
const RECAP = { from: '2026-10-01', to: '2026-10-31', now: new Date('2026-11-15T03:00:00Z') };
/** 02:30 WIB: after the default run time (02:00). */
const wibNight = (date: string) => new Date(`${date}T02:30:00+07:00`);

describe('retention run', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'aduan-retention-'));
  let config: AppConfig;
  let store: Store;
  let clock: FixedClock;
  let job: RetentionJob;
  let files: { own: string; shared: string; stray: string; recent: string };
  /** The tickets as first stored, before any run. */
  let stored: Ticket[];

  beforeAll(async () => {
    const configDir = writeConfigDir(root, {
      service: { dataDir: path.join(root, 'data') },
      // One kind short (30 days), everything else the documented default of two years.
      privacy: { retention: { byKind: { 'document-requirements': '30d' } } },
    });
    config = loadConfig(configDir, { ...process.env, MONGODB_URL: '' });
    store = createStore(config);
    await store.init();
    const folder = path.join(config.service.dataDir, 'attachments', 'ab');
    mkdirSync(folder, { recursive: true });
    files = {
      own: path.join(folder, 'own-scan'),
      shared: path.join(folder, 'shared-scan'),
      stray: path.join(folder, 'stray'),
      recent: path.join(folder, 'recent'),
    };
    for (const file of Object.values(files)) writeFileSync(file, 'KTP');
    // Files nothing names: one old (left over), one just written (its record may not be stored yet).
    utimesSync(files.stray, new Date('2026-10-01'), new Date('2026-10-01'));
    const plans = planOctoberTickets(config.categories, officeCalendar(config));
    let firstResolved = true;
    let firstOpen = true;
    for (const plan of plans) {
      const resolved = plan.later.some((l) => l.status === 'resolved');
      const attach = (storedAt: string) => ({ filename: 'ktp.jpg', contentType: 'image/jpeg', size: 3, storedAt });
      if (resolved && firstResolved) {
        plan.ticket.attachments = [attach(files.own), attach(files.shared)];
        firstResolved = false;
      } else if (!resolved && firstOpen) {
        plan.ticket.attachments = [attach(files.shared)];
        firstOpen = false;
      }
      plan.ticket.subject = `Pengaduan ${PERSONAL.name} HP ${PERSONAL.phone}`;
      plan.ticket.threadId = `thread-${plan.ticket.sourceId}`;
      const { ticket } = await store.insertTicket(plan.ticket, 2026);
      await store.attachFollowUp(ticket.id, ticket.channel, `${ticket.sourceId}-fu`, {
        at: ticket.receivedAt,
        event: 'follow-up',
        ref: `${ticket.sourceId}-fu`,
        note: `NIK saya ${PERSONAL.nik}`,
      });
      for (const step of plan.later) await store.appendHistory(ticket.id, step.entry, step.status);
    }
    stored = await store.listTickets({});
    clock = new FixedClock(wibNight('2026-10-31'));
    job = new RetentionJob({
      store,
      anonymizer: new Anonymizer(store, new AttachmentFolders(attachmentFolders(config))),
      rules: config.privacy.retention,
      runAt: config.privacy.retention.runAt,
      timeZone: config.service.timeZone,
      attachmentRoots: attachmentFolders(config),
      log,
      clock,
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  const all = () => store.listTickets({});
  const personalIn = (ticket: Ticket) => {
    // A LAPOR! report keeps its Tracking ID (the national report number, no personal data; the recap needs it).
    const { laporTrackingId: _kept, ...meta } = ticket.meta;
    const json = JSON.stringify({ ...ticket, meta });
    return [PERSONAL.nik, PERSONAL.phone, 'Situmorang', 'KTP saya', 'thread-', 'recap-test-'].filter((s) =>
      json.includes(s),
    );
  };

  test('nothing is due within retention; before the run time nothing runs', async () => {
    clock.set(new Date('2026-10-31T01:00:00+07:00'));
    expect(await job.runIfDue()).toBeUndefined();
    clock.set(wibNight('2026-10-31'));
    const run = await job.runIfDue();
    expect(run).toMatchObject({ date: '2026-10-31', anonymized: 0, filesDeleted: 0 });
    expect((await all()).filter((t) => t.anonymized)).toEqual([]);
    // The old file nothing names is gone, the one just written and the named ones stay.
    expect(run!.unreferencedFilesDeleted).toBe(1);
    expect(existsSync(files.stray)).toBe(false);
    expect(existsSync(files.recent)).toBe(true);
  });

  test('a kind with its own short retention is anonymized on its own schedule', async () => {
    clock.set(wibNight('2026-12-20'));
    const run = await job.runIfDue();
    const tickets = await all();
    const short = tickets.filter(
      (t) => t.classification.category === 'document-requirements' && t.status === 'resolved',
    );
    expect(short.length).toBeGreaterThan(0);
    expect(run!.anonymized).toBe(short.length);
    for (const t of tickets) expect(Boolean(t.anonymized)).toBe(short.includes(t));
  });

  test('two years after resolution: personal data and files gone, recap identical, audited, repeat-safe', async () => {
    const recapBefore = (await buildRecapReport(store, config, RECAP)).recap;
    const before = await all();
    const resolved = before.filter((t) => t.status === 'resolved');
    const open = before.filter((t) => t.status !== 'resolved');
    const pending = resolved.filter((t) => !t.anonymized);

    clock.set(wibNight('2028-11-20'));
    const run = await job.runIfDue();
    expect(run).toMatchObject({ date: '2028-11-20', anonymized: pending.length, filesDeleted: 1 });
    expect(run!.resolvedFrom! >= '2026-10-01T00:00:00+07:00').toBe(true);

    const after = await all();
    expect(after.map((t) => t.ticketNumber)).toEqual(before.map((t) => t.ticketNumber));
    for (const t of after) {
      if (t.status !== 'resolved') continue;
      expect(t.anonymized?.reason).toBe('retention');
      expect(t.text).toBe(ANONYMIZED_TEXT);
      expect(t.complainant).toEqual({});
      expect(t.subject).toBeUndefined();
      expect(personalIn(t)).toEqual([]);
      const original0 = stored.find((b) => b.id === t.id)!;
      if (t.channel === 'lapor') expect(t.meta.laporTrackingId).toBe(original0.sourceId);
      // The original message ids no longer lead to the ticket.
      const original = stored.find((b) => b.id === t.id)!;
      expect(await store.findBySource(original.channel, original.sourceId)).toBeUndefined();
      expect(await store.findByMessageRefs(original.channel, [`${original.sourceId}-fu`])).toBeUndefined();
    }
    // Open tickets keep everything: their purpose is not met.
    for (const t of after.filter((x) => x.status !== 'resolved')) {
      expect(t.anonymized).toBeUndefined();
      expect(t.complainant.nik).toBe(PERSONAL.nik);
    }
    expect(open.length).toBeGreaterThan(0);
    // The resolved ticket's own file is deleted; the one an open ticket still names stays.
    expect(existsSync(files.own)).toBe(false);
    expect(existsSync(files.shared)).toBe(true);

    const recapAfter = (await buildRecapReport(store, config, RECAP)).recap;
    expect(recapAfter).toEqual(recapBefore);

    const audit = (await store.listPrivacyAudit()).filter((a) => a.action === 'retention-run');
    expect(audit.map((a) => a.detail.date)).toEqual(['2028-11-20', '2026-12-20', '2026-10-31']);
    expect(audit[0]!.detail).toMatchObject({ anonymized: pending.length, filesDeleted: 1 });
    expect(JSON.stringify(audit)).not.toContain(PERSONAL.nik);

    // The same night again (a second check, a restart): nothing runs, nothing is written.
    clock.set(new Date('2028-11-20T23:00:00+07:00'));
    expect(await job.runIfDue()).toBeUndefined();
    expect(await all()).toEqual(after);
    expect((await store.listPrivacyAudit()).length).toBe(audit.length);
    // The next night: the anonymized tickets are not candidates any more.
    clock.set(wibNight('2028-11-21'));
    expect(await job.runIfDue()).toMatchObject({ anonymized: 0, filesDeleted: 0 });
    expect(statSync(files.shared).isFile()).toBe(true);
  });
});
