import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HistoryEntry, Ticket, TicketStatus } from '../../src/domain/complaint';
import { SqliteStore } from '../../src/store/sqlite-store';
import { effectKey, type Store } from '../../src/store/store';
import { everyStore, newTicket, type OpenStore } from '../support/contract-stores';

function contract(name: string, open: OpenStore) {
  describe(`${name} store contract`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await open());
    });
    afterEach(async () => {
      await store.close();
      await dispose();
    });

    test('the same channel + source id yields one ticket', async () => {
      const first = await store.insertTicket(newTicket({ sourceId: '<same@x>' }), 2026);
      const again = await store.insertTicket(newTicket({ sourceId: '<same@x>', text: 'changed' }), 2026);
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.ticket.id).toBe(first.ticket.id);
      expect(again.ticket.text).toBe('Mohon surat keterangan domisili');
      expect(await store.countTickets()).toBe(1);
      // Same source id on another channel is another message.
      expect((await store.insertTicket(newTicket({ sourceId: '<same@x>', channel: 'perkebbas' }), 2026)).created).toBe(
        true,
      );
    });

    test('ticket numbers are unique and increase per year', async () => {
      const numbers: string[] = [];
      const inserts = Array.from({ length: 20 }, () => store.insertTicket(newTicket(), 2026));
      for (const result of await Promise.all(inserts)) numbers.push(result.ticket.ticketNumber);
      expect(new Set(numbers).size).toBe(20);
      expect([...numbers].sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `ADU-2026-${String(i + 1).padStart(6, '0')}`),
      );
      expect((await store.insertTicket(newTicket(), 2027)).ticket.ticketNumber).toBe('ADU-2027-000001');
    });

    test('lookups by id, number, source and message refs', async () => {
      const { ticket } = await store.insertTicket(newTicket({ sourceId: '<orig@x>', threadId: 'conv-1' }), 2026);
      expect((await store.getTicket(ticket.id))?.ticketNumber).toBe(ticket.ticketNumber);
      expect((await store.getTicketByNumber(ticket.ticketNumber.toLowerCase()))?.id).toBe(ticket.id);
      expect((await store.findBySource('email', '<orig@x>'))?.id).toBe(ticket.id);
      expect((await store.findByMessageRefs('email', ['<nope@x>', '<orig@x>']))?.id).toBe(ticket.id);
      expect((await store.findByMessageRefs('email', ['thread:conv-1']))?.id).toBe(ticket.id);
      expect(await store.findByMessageRefs('messenger', ['<orig@x>'])).toBeUndefined();
      expect(await store.getTicket('missing')).toBeUndefined();
    });

    test('a message of a conversation with an open ticket joins it instead of creating another', async () => {
      const first = await store.insertTicket(
        newTicket({ channel: 'messenger', sourceId: 'mid.1', threadId: 'page:user' }),
        2026,
      );
      const second = await store.insertTicket(
        newTicket({ channel: 'messenger', sourceId: 'mid.2', threadId: 'page:user' }),
        2026,
      );
      expect(second).toMatchObject({ created: false, joinedConversation: true });
      expect(second.ticket.id).toBe(first.ticket.id);
      // Once resolved, the conversation starts a new ticket.
      await store.appendHistory(first.ticket.id, { at: 'x', event: 'resolved' }, 'resolved');
      const third = await store.insertTicket(
        newTicket({ channel: 'messenger', sourceId: 'mid.3', threadId: 'page:user' }),
        2026,
      );
      expect(third.created).toBe(true);
      expect((await store.findByMessageRefs('messenger', ['thread:page:user']))?.id).toBe(third.ticket.id);
    });

    test('messages of one conversation arriving together make one ticket, before and after it is resolved', async () => {
      const burst = (ids: string[]) =>
        Promise.all(
          ids.map((sourceId) =>
            store.insertTicket(newTicket({ channel: 'messenger', sourceId, threadId: 'page:burst' }), 2026),
          ),
        );
      const first = await burst(['b.1', 'b.2', 'b.3', 'b.4']);
      const created = first.filter((r) => r.created);
      expect(created).toHaveLength(1);
      expect(new Set(first.map((r) => r.ticket.id))).toEqual(new Set([created[0]!.ticket.id]));
      await store.appendHistory(created[0]!.ticket.id, { at: 'x', event: 'resolved' }, 'resolved');
      // The resolved ticket's thread is moved to one new ticket, however many messages race for it.
      const again = await burst(['b.5', 'b.6', 'b.7']);
      const next = again.filter((r) => r.created);
      expect(next).toHaveLength(1);
      expect(new Set(again.map((r) => r.ticket.id))).toEqual(new Set([next[0]!.ticket.id]));
      expect((await store.findByMessageRefs('messenger', ['thread:page:burst']))?.id).toBe(next[0]!.ticket.id);
      expect(await store.countTickets()).toBe(2);
    });

    test('a follow-up is attached once', async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      const entry = {
        at: '2026-11-30T03:00:00.000Z',
        event: 'follow-up' as const,
        ref: '<reply@x>',
        note: 'sudah 2 hari',
      };
      expect(await store.attachFollowUp(ticket.id, 'email', '<reply@x>', entry)).toBe(true);
      expect(await store.attachFollowUp(ticket.id, 'email', '<reply@x>', entry)).toBe(false);
      const stored = (await store.getTicket(ticket.id)) as Ticket;
      expect(stored.history.filter((h) => h.event === 'follow-up')).toHaveLength(1);
      expect((await store.findByMessageRefs('email', ['<reply@x>']))?.id).toBe(ticket.id);
    });

    test('status only moves forward', async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      await store.appendHistory(ticket.id, { at: 'a', event: 'routed' }, 'routed');
      await store.appendHistory(ticket.id, { at: 'b', event: 'acknowledged' }, 'acknowledged');
      const stored = (await store.getTicket(ticket.id)) as Ticket;
      expect(stored.status).toBe('routed');
      expect(stored.history.map((h) => h.event)).toEqual(['received', 'routed', 'acknowledged']);
      await expect(store.appendHistory('missing', { at: 'c', event: 'note' })).rejects.toThrow(/not found/);
    });

    test('status moves by the life rules: waits, returns, resolves, reopens; nothing else moves it back', async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      const statusAfter = async (event: HistoryEntry['event'], status: TicketStatus) => {
        await store.appendHistory(ticket.id, { at: '2026-11-30T03:00:00.000Z', event }, status);
        return ((await store.getTicket(ticket.id)) as Ticket).status;
      };
      expect(await statusAfter('routed', 'routed')).toBe('routed');
      expect(await statusAfter('waiting-citizen', 'waiting-citizen')).toBe('waiting-citizen');
      expect(await statusAfter('acknowledged', 'acknowledged')).toBe('waiting-citizen'); // a late effect
      expect(await statusAfter('routed', 'routed')).toBe('waiting-citizen'); // a late team mail: still waiting
      expect(await statusAfter('citizen-replied', 'routed')).toBe('routed');
      expect(await statusAfter('resolved', 'resolved')).toBe('resolved');
      expect(await statusAfter('routed', 'routed')).toBe('resolved'); // a late team mail never reopens
      expect(await statusAfter('reopened', 'reopened')).toBe('reopened');
      expect(await statusAfter('reopened', 'reopened')).toBe('reopened');
      expect(await statusAfter('resolved', 'resolved')).toBe('resolved');
      expect((await store.listTickets({ status: 'resolved' })).map((t) => t.id)).toEqual([ticket.id]);
    });

    test('a follow-up with a status change applies it once, with its due time, only where the rules allow', async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      await store.appendHistory(ticket.id, { at: '2026-11-30T02:10:00.000Z', event: 'resolved' }, 'resolved');
      const entry = {
        at: '2026-11-30T04:00:00.000Z',
        event: 'reopened' as const,
        ref: '<lagi@x>',
        note: 'masih salah',
      };
      const change = { status: 'reopened' as const, dueAt: '2026-11-30T04:30:00.000Z' };
      expect(await store.attachFollowUp(ticket.id, 'email', '<lagi@x>', entry, change)).toBe(true);
      // The retried job: nothing recorded, nothing moved (the ticket is resolved again meanwhile).
      await store.appendHistory(ticket.id, { at: '2026-11-30T05:00:00.000Z', event: 'resolved' }, 'resolved');
      expect(await store.attachFollowUp(ticket.id, 'email', '<lagi@x>', entry, change)).toBe(false);
      let stored = (await store.getTicket(ticket.id)) as Ticket;
      expect(stored.status).toBe('resolved');
      expect(stored.dueAt).toBe('2026-11-30T04:30:00.000Z');
      expect(stored.history.filter((h) => h.event === 'reopened')).toHaveLength(1);
      // A change the rules refuse (a resumed wait on a resolved ticket) keeps the status and the due time.
      const resumed = { ...entry, event: 'citizen-replied' as const, ref: '<balas@x>' };
      expect(
        await store.attachFollowUp(ticket.id, 'email', '<balas@x>', resumed, {
          status: 'routed',
          dueAt: '2026-12-30T00:00:00.000Z',
        }),
      ).toBe(true);
      stored = (await store.getTicket(ticket.id)) as Ticket;
      expect([stored.status, stored.dueAt]).toEqual(['resolved', '2026-11-30T04:30:00.000Z']);
      const [candidate] = await store.listTickets({ status: 'resolved' });
      expect(candidate?.dueAt).toBe('2026-11-30T04:30:00.000Z');
    });

    test('effects are leases: busy while held, retry after a release, in doubt after a crash, then done once', async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      const key = effectKey(ticket.id, 'respond');
      const LEASE = 60_000;
      expect(await store.beginEffect(key, ticket.id, 'respond', LEASE)).toBe('new');
      expect(await store.beginEffect(key, ticket.id, 'respond', LEASE)).toBe('busy'); // another attempt may still be sending
      await store.releaseEffect(key); // that attempt failed before sending
      expect(await store.beginEffect(key, ticket.id, 'respond', LEASE)).toBe('retry');
      // The holder crashed: once the lease has run out (0 here), the next attempt takes over.
      expect(await store.beginEffect(key, ticket.id, 'respond', 0)).toBe('in-doubt');
      expect((await store.getEffect(key))?.attempts).toBe(3);
      await store.completeEffect(key, 'sent', { entry: { at: 'x', event: 'acknowledged' }, status: 'acknowledged' });
      await store.completeEffect(key, 'sent again', {
        entry: { at: 'y', event: 'acknowledged' },
        status: 'acknowledged',
      });
      expect(await store.beginEffect(key, ticket.id, 'respond', LEASE)).toBe('done');
      await store.releaseEffect(key); // no effect on a done effect
      expect(await store.beginEffect(key, ticket.id, 'respond', 0)).toBe('done');
      const effect = await store.getEffect(key);
      expect(effect).toMatchObject({ state: 'done', detail: 'sent', kind: 'respond', ticketId: ticket.id });
      const stored = (await store.getTicket(ticket.id)) as Ticket;
      expect(stored.status).toBe('acknowledged');
      expect(stored.history.filter((h) => h.event === 'acknowledged')).toHaveLength(1);
      expect(await store.listEffects(ticket.id)).toHaveLength(1);
      await expect(store.completeEffect(effectKey(ticket.id, 'never'), 'x')).rejects.toThrow(/never begun/);
    });

    test('tickets missing effects are listed until their effects are done', async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      const later = new Date(Date.now() + 60_000).toISOString();
      expect(await store.listTicketsMissingEffects(['respond', 'route'], later, 10)).toEqual([
        { ticketId: ticket.id, missing: ['respond', 'route'] },
      ]);
      for (const kind of ['respond', 'route']) {
        await store.beginEffect(effectKey(ticket.id, kind), ticket.id, kind, 60_000);
        await store.completeEffect(effectKey(ticket.id, kind), 'ok');
      }
      expect(await store.listTicketsMissingEffects(['respond', 'route'], later, 10)).toEqual([]);
      expect(await store.listTicketsMissingEffects(['respond'], '2000-01-01T00:00:00.000Z', 10)).toEqual([]);
      const { ticket: other } = await store.insertTicket(newTicket(), 2026);
      expect(await store.listTicketsMissingEffects(['respond'], later, 10, '2000-01-01T00:00:00.000Z')).toEqual([
        { ticketId: other.id, missing: ['respond'] },
      ]);
      expect(await store.listTicketsMissingEffects(['respond'], later, 10, later)).toEqual([]);
    });

    test('SLA candidates: open, routed, not escalated, soonest due first, with the reminder state', async () => {
      const done = async (ticketId: string, kind: string) => {
        await store.beginEffect(effectKey(ticketId, kind), ticketId, kind, 60_000);
        await store.completeEffect(effectKey(ticketId, kind), 'ok');
      };
      const insert = async (dueAt: string) => (await store.insertTicket(newTicket({ dueAt }), 2026)).ticket;
      const late = await insert('2026-11-30T05:00:00.000Z');
      const soon = await insert('2026-11-30T03:00:00.000Z');
      const notRouted = await insert('2026-11-30T01:00:00.000Z');
      const escalated = await insert('2026-11-30T01:00:00.000Z');
      const resolved = await insert('2026-11-30T01:00:00.000Z');
      const waiting = await insert('2026-11-30T01:00:00.000Z');
      for (const t of [late, soon, escalated, resolved, waiting]) await done(t.id, 'route');
      // Waiting on the citizen: the SLA clock is paused.
      await store.appendHistory(
        waiting.id,
        { at: '2026-11-30T02:10:00.000Z', event: 'waiting-citizen' },
        'waiting-citizen',
      );
      await done(late.id, 'remind');
      await done(escalated.id, 'escalate');
      await done(notRouted.id, 'respond');
      await store.appendHistory(resolved.id, { at: '2026-11-30T02:10:00.000Z', event: 'resolved' }, 'resolved');

      const since = '2000-01-01T00:00:00.000Z';
      expect(await store.listSlaCandidates(since, 10)).toEqual([
        { ticketId: soon.id, receivedAt: soon.receivedAt, dueAt: '2026-11-30T03:00:00.000Z', reminded: false },
        { ticketId: late.id, receivedAt: late.receivedAt, dueAt: '2026-11-30T05:00:00.000Z', reminded: true },
      ]);
      expect(await store.listSlaCandidates(since, 1)).toHaveLength(1);
      // A report that reached the office after its own date (LAPOR!) carries its arrival for the reminder's timing.
      const arrived = (
        await store.insertTicket(
          newTicket({ dueAt: '2026-11-30T06:00:00.000Z', arrivedAt: '2026-11-30T02:00:00.000Z' }),
          2026,
        )
      ).ticket;
      await done(arrived.id, 'route');
      expect((await store.listSlaCandidates(since, 10)).find((c) => c.ticketId === arrived.id)?.arrivedAt).toBe(
        '2026-11-30T02:00:00.000Z',
      );
      expect(await store.listSlaCandidates(new Date(Date.now() + 60_000).toISOString(), 10)).toEqual([]);
    });

    test('open tickets of one channel: not resolved, not forwarded, created since, oldest first', async () => {
      const lapor = (sourceId: string) =>
        newTicket({ channel: 'lapor', sourceId, complainant: {}, meta: { laporTrackingId: sourceId } });
      const first = (await store.insertTicket(lapor('1916449'), 2026)).ticket;
      const ready = (await store.insertTicket(lapor('1916450'), 2026)).ticket;
      const posted = (await store.insertTicket(lapor('1916451'), 2026)).ticket;
      const forwarded = (await store.insertTicket(lapor('1916452'), 2026)).ticket;
      await store.insertTicket(newTicket(), 2026);
      await store.appendHistory(ready.id, { at: '2026-11-30T03:00:00.000Z', event: 'lapor-handoff' }, 'lapor-ready');
      await store.appendHistory(posted.id, { at: '2026-11-30T03:00:00.000Z', event: 'lapor-handoff' }, 'lapor-ready');
      await store.appendHistory(posted.id, { at: '2026-11-30T04:00:00.000Z', event: 'lapor-posted' }, 'resolved');
      await store.appendHistory(forwarded.id, { at: '2026-11-30T04:00:00.000Z', event: 'forwarded' }, 'forwarded');

      const since = '2000-01-01T00:00:00.000Z';
      const open = await store.listOpenTicketsOfChannel('lapor', since, 10);
      expect(open.map((t) => [t.sourceId, t.status])).toEqual([
        ['1916449', 'received'],
        ['1916450', 'lapor-ready'],
      ]);
      expect(open[0]!.id).toBe(first.id);
      expect(open[0]!.meta.laporTrackingId).toBe('1916449');
      expect(await store.listOpenTicketsOfChannel('lapor', since, 1)).toHaveLength(1);
      expect(await store.listOpenTicketsOfChannel('lapor', new Date(Date.now() + 60_000).toISOString(), 10)).toEqual(
        [],
      );
      expect((await store.listOpenTicketsOfChannel('email', since, 10)).map((t) => t.channel)).toEqual(['email']);
    });

    test("SLA candidates of a reopened ticket: its current period's reminder and escalation records", async () => {
      const done = async (ticketId: string, kind: string) => {
        await store.beginEffect(effectKey(ticketId, kind), ticketId, kind, 60_000);
        await store.completeEffect(effectKey(ticketId, kind), 'ok');
      };
      const { ticket } = await store.insertTicket(newTicket({ dueAt: '2026-11-30T03:00:00.000Z' }), 2026);
      for (const kind of ['route', 'remind', 'escalate']) await done(ticket.id, kind);
      const since = '2000-01-01T00:00:00.000Z';
      expect(await store.listSlaCandidates(since, 10)).toEqual([]);
      const reopen = async (at: string, dueAt: string) => {
        await store.appendHistory(ticket.id, { at: '2026-11-30T04:00:00.000Z', event: 'resolved' }, 'resolved');
        await store.attachFollowUp(
          ticket.id,
          'email',
          `<${at}@x>`,
          { at, event: 'reopened' },
          { status: 'reopened', dueAt },
        );
      };
      await reopen('2026-11-30T05:00:00.000Z', '2026-11-30T06:00:00.000Z');
      const period1 = { ticketId: ticket.id, receivedAt: ticket.receivedAt, dueAt: '2026-11-30T06:00:00.000Z' };
      expect(await store.listSlaCandidates(since, 10)).toEqual([
        { ...period1, reminded: false, period: 1, periodStart: '2026-11-30T05:00:00.000Z' },
      ]);
      await done(ticket.id, 'remind@1');
      expect(await store.listSlaCandidates(since, 10)).toEqual([
        { ...period1, reminded: true, period: 1, periodStart: '2026-11-30T05:00:00.000Z' },
      ]);
      await done(ticket.id, 'escalate@1');
      expect(await store.listSlaCandidates(since, 10)).toEqual([]);
      // A second reopening: period 2, nothing of it done yet.
      await reopen('2026-11-30T07:00:00.000Z', '2026-11-30T08:00:00.000Z');
      expect(await store.listSlaCandidates(since, 10)).toEqual([
        {
          ...period1,
          dueAt: '2026-11-30T08:00:00.000Z',
          reminded: false,
          period: 2,
          periodStart: '2026-11-30T07:00:00.000Z',
        },
      ]);
    });

    test('the intake inbox accepts once and lists what is pending', async () => {
      expect(await store.acceptIntake('email', '<a@x>', '{"x":1}')).toBe('new');
      expect(await store.acceptIntake('email', '<a@x>', '{"x":2}')).toBe('pending');
      const later = new Date(Date.now() + 60_000).toISOString();
      expect(await store.listPendingIntake(later, 10)).toEqual([
        { channel: 'email', sourceId: '<a@x>', payload: '{"x":1}', acceptedAt: expect.any(String) },
      ]);
      await store.markIntakeDone('email', '<a@x>');
      expect(await store.listPendingIntake(later, 10)).toEqual([]);
      expect(await store.acceptIntake('email', '<a@x>', '{"x":3}')).toBe('done');
      // Creating the ticket for an accepted message closes its inbox entry in the same write.
      await store.acceptIntake('email', '<b@x>', '{}');
      await store.insertTicket(newTicket({ sourceId: '<b@x>' }), 2026);
      expect(await store.listPendingIntake(later, 10)).toEqual([]);
      expect(await store.acceptIntake('email', '<b@x>', '{}')).toBe('done');
    });

    test('pending intake is read page by page, each page after the last entry of the one before', async () => {
      const ids = Array.from({ length: 7 }, (_, i) => `<p${i}@x>`);
      // Accepted in one burst: several share an accepted-at time, which the position still tells apart.
      await Promise.all(ids.map((id) => store.acceptIntake('email', id, '{}')));
      const later = new Date(Date.now() + 60_000).toISOString();
      const seen: string[] = [];
      let after: Awaited<ReturnType<Store['listPendingIntake']>>[number] | undefined;
      for (let page = 0; page < 10; page++) {
        const entries = await store.listPendingIntake(later, 3, after);
        seen.push(...entries.map((e) => e.sourceId));
        if (entries.length < 3) break;
        after = entries.at(-1);
      }
      expect(seen.sort()).toEqual([...ids].sort());
    });

    test('an entry whose job died is dead: not pending, listed as dead, pending again when revived', async () => {
      const later = new Date(Date.now() + 60_000).toISOString();
      await store.acceptIntake('email', '<dead@x>', '{"x":1}');
      await store.acceptIntake('email', '<done@x>', '{}');
      await store.markIntakeDone('email', '<done@x>');
      await store.markIntakeDead('email', '<dead@x>');
      await store.markIntakeDead('email', '<done@x>'); // done stays done
      expect(await store.listPendingIntake(later, 10)).toEqual([]);
      expect(await store.listDeadIntake(10)).toEqual([
        { channel: 'email', sourceId: '<dead@x>', acceptedAt: expect.any(String) },
      ]);
      expect(await store.acceptIntake('email', '<dead@x>', '{}')).toBe('dead');
      await store.reviveIntake('email', '<dead@x>');
      expect((await store.listPendingIntake(later, 10)).map((e) => [e.sourceId, e.payload])).toEqual([
        ['<dead@x>', '{"x":1}'],
      ]);
      expect(await store.listDeadIntake(10)).toEqual([]);
    });

    test('a started effect renews its lease; a done one does not', async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      const key = effectKey(ticket.id, 'respond');
      expect(await store.beginEffect(key, ticket.id, 'respond', 200)).toBe('new');
      await new Promise((r) => setTimeout(r, 150));
      expect(await store.renewEffect(key)).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      // 250 ms after it began, 100 ms after the renewal: still held.
      expect(await store.beginEffect(key, ticket.id, 'respond', 200)).toBe('busy');
      await store.completeEffect(key, 'sent');
      expect(await store.renewEffect(key)).toBe(false);
    });

    test('cursors and quarantine', async () => {
      expect(await store.getCursor('imap:inbox')).toBeUndefined();
      await store.setCursor('imap:inbox', '42:100');
      await store.setCursor('imap:inbox', '42:101');
      expect(await store.getCursor('imap:inbox')).toBe('42:101');
      const q = await store.quarantine({
        channel: 'email',
        sourceId: '<bad@x>',
        reason: 'text: too long',
        payload: '{}',
      });
      expect((await store.listQuarantine())[0]).toEqual(q);
      expect(q.repeated).toBeUndefined();
    });

    test('the same bad record is quarantined once; a changed one or another source id again', async () => {
      const record = {
        channel: 'perkebbas',
        sourceId: 'PKB-2',
        reason: 'mapping text: missing',
        payload: '{"id":"PKB-2"}',
      };
      const first = await store.quarantine(record);
      const again = await Promise.all([
        store.quarantine(record),
        store.quarantine({ ...record, reason: 'worded differently' }),
      ]);
      expect(again).toEqual([
        { ...first, repeated: true },
        { ...first, repeated: true },
      ]);
      const changed = await store.quarantine({ ...record, payload: '{"id":"PKB-2","judul":"x"}' });
      const otherId = await store.quarantine({ ...record, sourceId: 'PKB-3' });
      const otherChannel = await store.quarantine({ ...record, channel: 'lapor' });
      const noId = { channel: 'perkebbas', reason: 'no id', payload: '{"x":1}' };
      await store.quarantine(noId);
      expect((await store.quarantine(noId)).repeated).toBe(true);
      expect([changed, otherId, otherChannel].map((q) => q.repeated)).toEqual([undefined, undefined, undefined]);
      expect(await store.listQuarantine()).toHaveLength(5);
    });

    test('noise is recorded once per channel, mailbox and source id; listed newest first; counted by kind', async () => {
      const record = {
        channel: 'email',
        mailbox: 'kantor/INBOX',
        sourceId: '<ooo-1@mail.gmail.com>',
        kind: 'auto-reply',
        reason: 'balasan otomatis (Auto-Submitted: auto-replied)',
        sender: 'warga@gmail.com',
        subject: 'Balasan Otomatis: Re: KTP',
        size: 1234,
        ticketNumber: 'ADU-2026-000001',
        at: '2026-12-01T02:00:00.000Z',
      };
      const first = await store.recordNoise(record);
      expect(first).toEqual({ ...record, id: expect.any(String) });
      const again = await Promise.all([store.recordNoise(record), store.recordNoise({ ...record, reason: 'lain' })]);
      expect(again).toEqual([
        { ...first, repeated: true },
        { ...first, repeated: true },
      ]);
      const otherBox = await store.recordNoise({ ...record, mailbox: 'kantor/Arsip', at: '2026-12-01T03:00:00.000Z' });
      const { sender: _s, subject: _j, ticketNumber: _t, ...bare } = record;
      const newsletter = await store.recordNoise({
        ...bare,
        sourceId: '<buletin@lists.example>',
        kind: 'list',
        at: '2026-12-01T04:00:00.000Z',
      });
      expect(otherBox.repeated).toBeUndefined();
      expect(newsletter).toEqual({
        ...bare,
        sourceId: '<buletin@lists.example>',
        kind: 'list',
        id: expect.any(String),
        at: '2026-12-01T04:00:00.000Z',
      });
      expect((await store.listNoise()).map((n) => n.id)).toEqual([newsletter.id, otherBox.id, first.id]);
      expect(await store.listNoise(1)).toEqual([newsletter]);
      expect((await store.countNoise()).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        { channel: 'email', kind: 'auto-reply', count: 2 },
        { channel: 'email', kind: 'list', count: 1 },
      ]);
      expect(await store.countTickets()).toBe(0);
    });

    test('listTickets filters by received time and status', async () => {
      await store.insertTicket(newTicket({ receivedAt: '2026-10-31T20:00:00.000Z' }), 2026);
      await store.insertTicket(newTicket({ receivedAt: '2026-11-15T02:00:00.000Z' }), 2026);
      const { ticket } = await store.insertTicket(newTicket({ receivedAt: '2026-11-20T02:00:00.000Z' }), 2026);
      await store.appendHistory(ticket.id, { at: 'x', event: 'resolved' }, 'resolved');
      expect(
        await store.listTickets({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }),
      ).toHaveLength(2);
      expect(await store.listTickets({ status: 'resolved' })).toHaveLength(1);
      expect(await store.listTickets({})).toHaveLength(3);
    });

    test("keeps held chat messages once, lists a conversation's unmerged ones oldest first, marks them merged", async () => {
      const held = (sourceId: string, receivedAt: string, threadId = 'page:7001') => ({
        channel: 'messenger' as const,
        sourceId,
        threadId,
        receivedAt,
        payload: JSON.stringify({ sourceId }),
      });
      expect(await store.holdChatMessage(held('m2', '2026-11-30T02:01:00.000Z'))).toBe(true);
      expect(await store.holdChatMessage(held('m1', '2026-11-30T02:00:00.000Z'))).toBe(true);
      expect(await store.holdChatMessage(held('m1', '2026-11-30T02:00:00.000Z'))).toBe(false);
      expect(await store.holdChatMessage(held('m9', '2026-11-30T02:00:00.000Z', 'page:7002'))).toBe(true);
      expect((await store.heldChatMessages('messenger', 'page:7001')).map((m) => m.sourceId)).toEqual(['m1', 'm2']);
      expect(await store.heldChatMessages('instagram', 'page:7001')).toEqual([]);
      await store.markHeldChatMerged('messenger', 'page:7001', 'm3');
      expect(await store.heldChatMessages('messenger', 'page:7001')).toEqual([]);
      expect(await store.isChatMessageHeld('messenger', 'm1')).toBe(true);
      expect(await store.isChatMessageHeld('messenger', 'm3')).toBe(false);
      expect((await store.heldChatMessages('messenger', 'page:7002')).map((m) => m.sourceId)).toEqual(['m9']);
    });

    test("updates a ticket's classification", async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      const classification = { category: 'nik-consolidation' as const, confidence: 0.97, evidence: ['konsolidasi'] };
      await store.updateClassification(ticket.id, classification);
      expect((await store.getTicket(ticket.id))!.classification).toEqual(classification);
    });

    test('follow-up plans: one per period and problem, a later write replaces it, listed up to a month', async () => {
      const plan = {
        period: '2026-11',
        problem: 'rising:nik-consolidation',
        who: 'Kabid PIAK',
        due: '2026-12-15',
        status: 'open' as const,
        action: 'Tambah petugas loket konsolidasi',
        updatedAt: '2026-12-01T02:00:00.000Z',
        updatedBy: 'operator:kadis',
      };
      expect(await store.saveFollowUpPlan(plan)).toEqual(plan);
      await store.saveFollowUpPlan({ ...plan, problem: 'repeat:other', who: 'Kasi' });
      await store.saveFollowUpPlan({ ...plan, period: '2026-10', problem: 'reopened:other' });
      await store.saveFollowUpPlan({ ...plan, period: '2026-12', problem: 'rising:other' });
      const done = { ...plan, status: 'done' as const, updatedAt: '2026-12-10T02:00:00.000Z' };
      await store.saveFollowUpPlan(done);
      const listed = await store.listFollowUpPlans('2026-11');
      expect(listed.map((p) => `${p.period} ${p.problem}`)).toEqual([
        '2026-10 reopened:other',
        '2026-11 repeat:other',
        '2026-11 rising:nik-consolidation',
      ]);
      expect(listed[2]).toEqual(done);
      expect(await store.listFollowUpPlans('2026-09')).toEqual([]);
    });
  });
}

test('SQLite: a closed store can be opened again and sees what it wrote', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aduan-store-'));
  const store = new SqliteStore(path.join(dir, 'aduan.sqlite'));
  await store.init();
  await store.insertTicket(newTicket(), 2026);
  await store.close();
  await store.init();
  expect(await store.countTickets()).toBe(1);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

everyStore(contract);
