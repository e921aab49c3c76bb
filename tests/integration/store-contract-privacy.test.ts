import { anonymizeTicket } from '../../src/domain/anonymize';
import type { DataRequest } from '../../src/store/privacy-records';
import { effectKey, type NewTicket, type Store } from '../../src/store/store';
import { everyStore, newTicket as sharedTicket, type OpenStore } from '../support/contract-stores';

/** The personal-data methods of the store contract (PrivacyRecords), every store. MongoDB where MONGODB_URL is set. */

let n = 0;
const newTicket = (overrides: Partial<NewTicket> = {}): NewTicket =>
  sharedTicket({
    sourceId: `<p${++n}@mail.example.com>`,
    complainant: { name: 'Rosmawati', email: 'Rosma@Example.com', phone: '+6281234567890', nik: '1211045706890002' },
    ...overrides,
  });

const request = (id: string, status: DataRequest['status'], receivedAt: string): DataRequest => ({
  id,
  kind: 'erase',
  subject: 'phone:+6281234567890',
  receivedAt,
  deadlineAt: new Date(Date.parse(receivedAt) + 72 * 3_600_000).toISOString(),
  status,
  by: 'operator:rina',
});

function contract(name: string, open: OpenStore) {
  describe(`${name} store contract: personal data`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await open());
    });
    afterEach(async () => {
      await store.close();
      await dispose();
    });

    test('tickets by contact: exact field (email case-folded), channel-bound ids, never by name', async () => {
      const a = (await store.insertTicket(newTicket(), 2026)).ticket;
      const b = (
        await store.insertTicket(
          newTicket({ channel: 'messenger', complainant: { name: 'Rosmawati', platformUserId: '2488001' } }),
          2026,
        )
      ).ticket;
      const ids = async (m: Parameters<Store['findTicketsByContact']>[0]) =>
        (await store.findTicketsByContact(m)).map((t) => t.id);
      expect(await ids({ field: 'email', value: 'rosma@example.com' })).toEqual([a.id]);
      expect(await ids({ field: 'phone', value: '+6281234567890' })).toEqual([a.id]);
      expect(await ids({ field: 'nik', value: '1211045706890002' })).toEqual([a.id]);
      expect(await ids({ field: 'platformUserId', value: '2488001', channel: 'messenger' })).toEqual([b.id]);
      expect(await ids({ field: 'platformUserId', value: '2488001', channel: 'instagram' })).toEqual([]);
      expect(await ids({ field: 'email', value: 'rosma@example.co' })).toEqual([]);
    });

    test('retention candidates: resolved, not anonymized, received before the cut, paged by id', async () => {
      const old = [];
      for (let i = 0; i < 3; i++) {
        const { ticket } = await store.insertTicket(newTicket({ receivedAt: `2024-01-0${i + 1}T02:00:00.000Z` }), 2024);
        await store.appendHistory(ticket.id, { at: '2024-02-01T02:00:00.000Z', event: 'resolved' }, 'resolved');
        old.push(ticket);
      }
      await store.insertTicket(newTicket({ receivedAt: '2024-01-05T02:00:00.000Z' }), 2024); // open
      const recent = (await store.insertTicket(newTicket(), 2026)).ticket;
      await store.appendHistory(recent.id, { at: '2026-12-01T02:00:00.000Z', event: 'resolved' }, 'resolved');
      const page1 = await store.listRetentionCandidates('2025-01-01T00:00:00.000Z', 2);
      const page2 = await store.listRetentionCandidates('2025-01-01T00:00:00.000Z', 2, page1.at(-1)!.id);
      expect([...page1, ...page2].map((t) => t.id)).toEqual(old.map((t) => t.id));
      const gone = (await store.getTicket(old[0]!.id))!;
      expect(await store.replaceWithAnonymized(anonymizeTicket(gone, '2026-12-07T00:00:00.000Z', 'retention'))).toBe(
        true,
      );
      expect((await store.listRetentionCandidates('2025-01-01T00:00:00.000Z', 10)).map((t) => t.id)).toEqual(
        old.slice(1).map((t) => t.id),
      );
    });

    test('anonymizing writes once and forgets refs, intake copies, held chat and effect details', async () => {
      await store.acceptIntake('whatsapp', 'wamid.1', '{"text":"NIK 1211045706890002"}');
      await store.holdChatMessage({
        channel: 'whatsapp',
        sourceId: 'wamid.0',
        threadId: 't-1',
        receivedAt: '2026-11-30T01:59:00.000Z',
        payload: '{"text":"halo"}',
      });
      await store.markHeldChatMerged('whatsapp', 't-1', 'wamid.1');
      const { ticket } = await store.insertTicket(
        newTicket({ channel: 'whatsapp', sourceId: 'wamid.1', threadId: 't-1' }),
        2026,
      );
      await store.acceptIntake('whatsapp', 'wamid.2', '{"text":"lanjutan"}');
      await store.attachFollowUp(ticket.id, 'whatsapp', 'wamid.2', {
        at: '2026-11-30T03:00:00.000Z',
        event: 'follow-up',
        ref: 'wamid.2',
        note: 'lanjutan',
      });
      const key = effectKey(ticket.id, 'respond');
      await store.beginEffect(key, ticket.id, 'respond', 60_000);
      await store.completeEffect(key, 'sent to +6281234567890');
      expect(await store.getIntakePayload('whatsapp', 'wamid.2')).toBe('{"text":"lanjutan"}');

      const current = (await store.getTicket(ticket.id))!;
      const anonymized = anonymizeTicket(current, '2026-12-07T00:00:00.000Z', 'erasure');
      expect(await store.replaceWithAnonymized(anonymized)).toBe(true);
      expect(await store.replaceWithAnonymized(anonymized)).toBe(false);
      expect(await store.getTicket(ticket.id)).toEqual(anonymized);
      expect(await store.findBySource('whatsapp', 'wamid.1')).toBeUndefined();
      expect(await store.findByMessageRefs('whatsapp', ['wamid.2', 'thread:t-1'])).toBeUndefined();
      expect(await store.getIntakePayload('whatsapp', 'wamid.2')).toBeUndefined();
      expect(await store.isChatMessageHeld('whatsapp', 'wamid.0')).toBe(false);
      expect((await store.getEffect(key))?.detail).toBeUndefined();
      expect((await store.getEffect(key))?.state).toBe('done');
      // A redelivered message is still known as seen.
      expect(await store.acceptIntake('whatsapp', 'wamid.2', '{}')).not.toBe('new');
    });

    test('referenced files: tickets, answers, unfinished intake, unmerged held chat, quarantine', async () => {
      const file = (name: string) => ({
        filename: name,
        contentType: 'image/jpeg',
        size: 1,
        storedAt: `/data/att/${name}`,
      });
      const { ticket } = await store.insertTicket(
        newTicket({ attachments: [file('a'), { filename: 'x', contentType: 'text/plain', size: 1 }] }),
        2026,
      );
      await store.appendHistory(ticket.id, {
        at: '2026-11-30T03:00:00.000Z',
        event: 'staff-reply',
        attachments: [file('b')],
      });
      await store.acceptIntake('email', '<pending@x>', JSON.stringify({ attachments: [file('c')] }));
      await store.acceptIntake('email', '<done@x>', JSON.stringify({ attachments: [file('d')] }));
      await store.markIntakeDone('email', '<done@x>');
      await store.holdChatMessage({
        channel: 'whatsapp',
        sourceId: 'w1',
        threadId: 't',
        receivedAt: '2026-11-30T01:00:00.000Z',
        payload: JSON.stringify({ attachments: [file('e')] }),
      });
      await store.quarantine({
        channel: 'email',
        reason: 'bad',
        payload: JSON.stringify({ attachments: [file('f')] }),
      });
      expect((await store.listReferencedFiles()).sort()).toEqual(
        ['a', 'b', 'c', 'e', 'f'].map((x) => `/data/att/${x}`),
      );
    });

    test('what never became a ticket is purged once older than the cut; merged held messages stay with their ticket', async () => {
      const held = (sourceId: string, receivedAt: string) => ({
        channel: 'whatsapp' as const,
        sourceId,
        threadId: 't',
        receivedAt,
        payload: '{}',
      });
      await store.holdChatMessage(held('old', '2024-01-01T00:00:00.000Z'));
      await store.holdChatMessage(held('new', '2026-12-01T00:00:00.000Z'));
      await store.holdChatMessage({ ...held('merged', '2024-01-01T00:00:00.000Z'), threadId: 'm' });
      await store.markHeldChatMerged('whatsapp', 'm', 'wamid.x');
      await store.quarantine({ channel: 'email', reason: 'bad', payload: 'x' });
      await store.recordNoise({
        channel: 'email',
        mailbox: 'a/INBOX',
        sourceId: '<n@x>',
        kind: 'bulk',
        reason: 'r',
        size: 1,
        at: '2024-01-01T00:00:00.000Z',
      });
      expect(await store.purgeUnticketedBefore('2025-01-01T00:00:00.000Z')).toEqual({
        heldChat: 1,
        quarantine: 0,
        noise: 1,
      });
      expect(await store.isChatMessageHeld('whatsapp', 'old')).toBe(false);
      expect(await store.isChatMessageHeld('whatsapp', 'new')).toBe(true);
      expect(await store.isChatMessageHeld('whatsapp', 'merged')).toBe(true);
      expect(await store.listQuarantine()).toHaveLength(1);
      expect(await store.purgeUnticketedBefore('2999-01-01T00:00:00.000Z')).toEqual({
        heldChat: 1,
        quarantine: 1,
        noise: 0,
      });
    });

    test('data requests, restrictions and the audit trail', async () => {
      await store.saveDataRequest(request('r1', 'open', '2026-12-01T00:00:00.000Z'));
      await store.saveDataRequest(request('r2', 'open', '2026-12-02T00:00:00.000Z'));
      await store.saveDataRequest({ ...request('r1', 'done', '2026-12-01T00:00:00.000Z'), outcome: 'selesai' });
      expect((await store.listDataRequests()).map((r) => r.id)).toEqual(['r2', 'r1']);
      expect((await store.listDataRequests('open')).map((r) => r.id)).toEqual(['r2']);
      expect(await store.getDataRequest('r1')).toMatchObject({ status: 'done', outcome: 'selesai' });
      expect(await store.getDataRequest('nope')).toBeUndefined();

      const restriction = { subject: 'phone:+6281234567890', at: '2026-12-01T00:00:00.000Z', by: 'operator:rina' };
      await store.setRestriction(restriction.subject, restriction);
      expect(await store.findRestrictions(['email:x@y', restriction.subject])).toEqual([restriction]);
      expect(await store.findRestrictions([])).toEqual([]);
      await store.setRestriction(restriction.subject, undefined);
      expect(await store.findRestrictions([restriction.subject])).toEqual([]);

      const first = await store.appendPrivacyAudit({
        at: '2026-12-01T00:00:00.000Z',
        action: 'export',
        by: 'operator:rina',
        detail: { tickets: ['ADU-2026-000001'] },
      });
      await store.appendPrivacyAudit({
        at: '2026-12-02T00:00:00.000Z',
        action: 'retention-run',
        by: 'system',
        detail: { anonymized: 3 },
      });
      const audit = await store.listPrivacyAudit();
      expect(audit.map((a) => a.action)).toEqual(['retention-run', 'export']);
      expect(audit[1]).toEqual(first);
      expect(await store.listPrivacyAudit(1)).toHaveLength(1);
    });
  });
}

everyStore(contract, 'privacy store contract');
