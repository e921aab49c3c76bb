import type { SurveyResponse } from '../../src/domain/survey-instrument';
import { effectKey, type Store } from '../../src/store/store';
import { everyStore, newTicket, type OpenStore } from '../support/contract-stores';

/** The survey part of the store contract (survey-storage.ts), against every store. */

function response(overrides: Partial<SurveyResponse> = {}): SurveyResponse {
  return {
    id: Math.random().toString(36).slice(2),
    source: 'closure',
    submittedAt: '2026-12-01T03:00:00.000Z',
    answers: { U1: 3, U2: 4 },
    overall: 4,
    via: 'page',
    ...overrides,
  };
}

function contract(name: string, open: OpenStore) {
  describe(`${name} store contract: survey`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await open());
    });
    afterEach(async () => {
      await store.close();
      await dispose();
    });

    test('a link is kept by its hash; one response per link and per ticket, however it comes', async () => {
      const { ticket } = await store.insertTicket(newTicket(), 2026);
      const link = {
        tokenHash: 'a'.repeat(64),
        source: 'closure' as const,
        ticketId: ticket.id,
        createdAt: '2026-12-01T02:00:00.000Z',
        expiresAt: '2026-12-15T02:00:00.000Z',
      };
      await store.addSurveyLink(link);
      await store.addSurveyLink({ ...link, tokenHash: 'b'.repeat(64) });
      expect(await store.getSurveyLink(link.tokenHash)).toEqual(link);
      expect(await store.getSurveyLink('c'.repeat(64))).toBeUndefined();

      const first = response({ ticketId: ticket.id, ticketNumber: ticket.ticketNumber });
      const [a, b] = await Promise.all([
        store.submitSurvey(first, link.tokenHash),
        store.submitSurvey(response({ ticketId: ticket.id }), link.tokenHash),
      ]);
      expect([a, b].sort()).toEqual(['accepted', 'already-answered']);
      expect((await store.getSurveyLink(link.tokenHash))?.usedAt).toBeDefined();
      // Another link of the same ticket, or a chat answer: still one response, and that link stays unused.
      expect(await store.submitSurvey(response({ ticketId: ticket.id }), 'b'.repeat(64))).toBe('already-answered');
      expect((await store.getSurveyLink('b'.repeat(64)))?.usedAt).toBeUndefined();
      expect(await store.submitSurvey(response({ ticketId: ticket.id, via: 'chat' }))).toBe('already-answered');
      expect((await store.getSurveyResponseOfTicket(ticket.id))?.ticketId).toBe(ticket.id);
      expect(await store.getSurveyResponseOfTicket('missing')).toBeUndefined();
    });

    test('service surveys without a ticket are all kept; listing by submission time', async () => {
      for (const at of ['2026-11-01T00:00:00.000Z', '2026-11-15T00:00:00.000Z', '2026-12-01T00:00:00.000Z'])
        expect(await store.submitSurvey(response({ source: 'service', submittedAt: at }))).toBe('accepted');
      const november = await store.listSurveyResponses('2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');
      expect(november.map((r) => r.submittedAt)).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-15T00:00:00.000Z']);
      expect(november[0]).toMatchObject({ source: 'service', answers: { U1: 3, U2: 4 }, overall: 4 });
    });

    test('resolved tickets lacking a done effect of a kind', async () => {
      const resolved = (await store.insertTicket(newTicket({ status: 'resolved' }), 2026)).ticket;
      const invited = (await store.insertTicket(newTicket({ status: 'resolved' }), 2026)).ticket;
      await store.insertTicket(newTicket({ status: 'routed' }), 2026);
      await store.beginEffect(effectKey(invited.id, 'survey'), invited.id, 'survey', 60_000);
      await store.completeEffect(effectKey(invited.id, 'survey'), 'sent');
      const since = '2000-01-01T00:00:00.000Z';
      expect((await store.listResolvedTicketsLacking('survey', since, 10)).map((t) => t.id)).toEqual([resolved.id]);
      expect(await store.listResolvedTicketsLacking('survey', since, 0)).toHaveLength(0);
      expect(await store.listResolvedTicketsLacking('survey', '2999-01-01T00:00:00.000Z', 10)).toHaveLength(0);
    });
  });
}

everyStore(contract, 'survey store contract');
