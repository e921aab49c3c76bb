import type { Store } from '../../src/store/store';
import { everyStore, newTicket, type OpenStore } from '../support/contract-stores';

const AT = '2026-11-30T02:00:00.000Z';
const NIK = '1211024507900003';

function contract(name: string, open: OpenStore) {
  describe(`${name} citizen records`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await open());
    });
    afterEach(async () => {
      await store.close();
      await dispose();
    });

    async function ticket(overrides: Parameters<typeof newTicket>[0] = {}) {
      return (await store.insertTicket(newTicket(overrides), 2026)).ticket;
    }

    test('one record per primary identifier; attaching is idempotent per ticket', async () => {
      const t1 = await ticket();
      const t2 = await ticket();
      const first = await store.attachCitizen({
        ticketId: t1.id,
        primary: 'email:rosma@example.com',
        contacts: [],
        at: AT,
      });
      expect(first.created).toBe(true);
      const again = await store.attachCitizen({
        ticketId: t1.id,
        primary: 'email:other@example.com',
        contacts: [],
        at: AT,
      });
      expect(again).toEqual({ citizenId: first.citizenId, created: false, linkedByNik: [] });
      const second = await store.attachCitizen({
        ticketId: t2.id,
        primary: 'email:rosma@example.com',
        contacts: ['phone:+6281234567890'],
        at: AT,
      });
      expect(second).toEqual({ citizenId: first.citizenId, created: false, linkedByNik: [] });
      expect(await store.citizenOfTicket(t2.id)).toBe(first.citizenId);
      const record = await store.getCitizen(first.citizenId);
      expect(record!.identifiers.map((i) => [i.key, i.role])).toEqual([
        ['email:rosma@example.com', 'primary'],
        ['phone:+6281234567890', 'contact'],
      ]);
      expect((await store.citizenTickets(first.citizenId)).map((t) => t.ticketNumber)).toEqual(
        [t1.ticketNumber, t2.ticketNumber].sort().reverse(),
      );
    });

    test('a complaint without a primary identifier gets a record of its own', async () => {
      const a = await store.attachCitizen({ ticketId: (await ticket()).id, contacts: [], at: AT });
      const b = await store.attachCitizen({ ticketId: (await ticket()).id, contacts: [], at: AT });
      expect(a.created && b.created).toBe(true);
      expect(a.citizenId).not.toBe(b.citizenId);
    });

    test('the same contact on two records is found on both, never merged', async () => {
      const wa = await store.attachCitizen({
        ticketId: (await ticket({ channel: 'whatsapp' })).id,
        primary: 'whatsapp:6281234567890',
        contacts: ['phone:+6281234567890'],
        at: AT,
      });
      const cc = await store.attachCitizen({
        ticketId: (await ticket({ channel: 'call-center' })).id,
        primary: 'phone:+6281234567890',
        contacts: [],
        at: AT,
      });
      expect(cc.citizenId).not.toBe(wa.citizenId);
      const found = await store.findCitizen('phone:+6281234567890');
      // The record it is primary of comes first.
      expect(found.map((r) => r.id)).toEqual([cc.citizenId, wa.citizenId]);
      expect(await store.linkedCitizens(cc.citizenId)).toEqual([cc.citizenId]);
      expect(await store.findCitizen('phone:+620000')).toEqual([]);
    });

    test('a matching NIK links records (audited as the system); staff unlinking sticks', async () => {
      const email = await store.attachCitizen({
        ticketId: (await ticket()).id,
        primary: 'email:rosma@example.com',
        contacts: [],
        nik: NIK,
        at: AT,
      });
      const waTicket = await ticket({ channel: 'whatsapp', receivedAt: '2026-12-01T02:00:00.000Z' });
      const wa = await store.attachCitizen({
        ticketId: waTicket.id,
        primary: 'whatsapp:6281234567890',
        contacts: [],
        nik: NIK,
        at: AT,
      });
      expect(wa.linkedByNik).toEqual([email.citizenId]);
      expect((await store.linkedCitizens(email.citizenId)).sort()).toEqual([email.citizenId, wa.citizenId].sort());
      const tickets = await store.citizenTickets(email.citizenId);
      expect(tickets[0]).toMatchObject({
        citizenId: wa.citizenId,
        ticketNumber: waTicket.ticketNumber,
        channel: 'whatsapp',
      });
      expect(tickets[0]!.category).toBe('domicile-certificate');
      expect(tickets).toHaveLength(2);
      expect((await store.citizenAudit(wa.citizenId)).map((e) => [e.action, e.by, e.reason])).toEqual([
        ['link', 'system', 'NIK sama'],
      ]);
      // Staff confirming the system's link is recorded (the pair now speaks for each other), once.
      const confirm = { a: email.citizenId, b: wa.citizenId, reason: 'KTP diperiksa', by: 'operator:rina', at: AT };
      expect(await store.linkCitizens(confirm)).toBe(true);
      expect(await store.linkCitizens(confirm)).toBe(false);
      expect((await store.citizenAudit(wa.citizenId)).map((e) => [e.action, e.by])).toEqual([
        ['link', 'system'],
        ['link', 'operator:rina'],
      ]);

      const unlink = { a: wa.citizenId, b: email.citizenId, reason: 'ibu dan anak', by: 'operator:rina', at: AT };
      expect(await store.unlinkCitizens(unlink)).toBe(true);
      expect(await store.unlinkCitizens(unlink)).toBe(false);
      // Another ticket with the same NIK does not link them again.
      const later = await store.attachCitizen({
        ticketId: (await ticket({ channel: 'whatsapp' })).id,
        primary: 'whatsapp:6281234567890',
        contacts: [],
        nik: NIK,
        at: AT,
      });
      expect(later.linkedByNik).toEqual([]);
      expect(await store.linkedCitizens(email.citizenId)).toEqual([email.citizenId]);
    });

    test('staff link and unlink with a reason; links are transitive; every change is audited', async () => {
      const ids: string[] = [];
      for (const primary of ['email:a@x.id', 'messenger:111', 'instagram:222']) {
        ids.push(
          (await store.attachCitizen({ ticketId: (await ticket()).id, primary, contacts: [], at: AT })).citizenId,
        );
      }
      const [a, b, c] = ids as [string, string, string];
      const by = 'operator:rina';
      expect(await store.linkCitizens({ a, b, reason: 'datang ke kantor', by, at: AT })).toBe(true);
      expect(await store.linkCitizens({ a: b, b: a, reason: 'lagi', by, at: AT })).toBe(false);
      expect(await store.linkCitizens({ a: b, b: c, reason: 'KTP diperiksa', by, at: AT })).toBe(true);
      expect((await store.linkedCitizens(a)).sort()).toEqual([...ids].sort());
      expect(await store.citizenTickets(c)).toHaveLength(3);
      await expect(store.linkCitizens({ a, b: 'no-such-record', reason: 'x', by, at: AT })).rejects.toThrow(
        /does not exist/,
      );
      await expect(store.linkCitizens({ a, b: a, reason: 'x', by, at: AT })).rejects.toThrow(/itself/);
      expect(await store.unlinkCitizens({ a: c, b: b, reason: 'salah orang', by, at: AT })).toBe(true);
      expect((await store.linkedCitizens(a)).sort()).toEqual([a, b].sort());
      expect((await store.citizenAudit(b)).map((e) => [e.action, e.reason, e.by])).toEqual([
        ['link', 'datang ke kantor', by],
        ['link', 'KTP diperiksa', by],
        ['unlink', 'salah orang', by],
      ]);
    });
  });
}

everyStore(contract, 'citizen-record contract');
