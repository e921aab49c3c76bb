import type { ClientSession, Collection, Db } from 'mongodb';
import type { Ticket } from '../domain/complaint';
import type { SurveyResponse } from '../domain/survey-instrument';
import { effectKey } from './store';
import type { SubmitOutcome, SurveyLink } from './survey-storage';

type LinkDoc = SurveyLink & { _id: string };
type ResponseDoc = SurveyResponse & { _id: string };
type TicketDoc = Ticket & { _id: string };

/**
 * The MongoDB collections of the survey (see survey-storage.ts). A partial unique index on `ticketId` makes a
 * closure survey once per ticket; the response and the link's mark are written in one transaction.
 */
export class MongoSurveyRecords {
  constructor(
    private readonly db: () => Db,
    private readonly transaction: <T>(work: (session: ClientSession) => Promise<T>) => Promise<T>,
    private readonly isDuplicateKey: (error: unknown) => boolean,
  ) {}

  private get links(): Collection<LinkDoc> {
    return this.db().collection<LinkDoc>('survey_links');
  }
  private get responses(): Collection<ResponseDoc> {
    return this.db().collection<ResponseDoc>('survey_responses');
  }

  async init(): Promise<void> {
    await this.responses.createIndexes([
      {
        key: { ticketId: 1 },
        unique: true,
        name: 'ticket_unique',
        partialFilterExpression: { ticketId: { $type: 'string' } },
      },
      { key: { submittedAt: 1 }, name: 'submitted' },
    ]);
  }

  async addLink(link: Omit<SurveyLink, 'usedAt'>): Promise<void> {
    await this.links.updateOne({ _id: link.tokenHash }, { $setOnInsert: { ...link } }, { upsert: true });
  }

  async getLink(tokenHash: string): Promise<SurveyLink | undefined> {
    const doc = await this.links.findOne({ _id: tokenHash }, { projection: { _id: 0 } });
    return doc ?? undefined;
  }

  async submit(response: SurveyResponse, tokenHash: string | undefined): Promise<SubmitOutcome> {
    try {
      return await this.transaction(async (session) => {
        if (tokenHash) {
          const marked = await this.links.updateOne(
            { _id: tokenHash, usedAt: { $exists: false } },
            { $set: { usedAt: response.submittedAt } },
            { session },
          );
          if (marked.modifiedCount !== 1) return 'already-answered' as const;
        }
        await this.responses.insertOne({ ...response, _id: response.id }, { session });
        return 'accepted' as const;
      });
    } catch (error) {
      if (this.isDuplicateKey(error)) return 'already-answered';
      throw error;
    }
  }

  async ofTicket(ticketId: string): Promise<SurveyResponse | undefined> {
    const doc = await this.responses.findOne({ ticketId }, { projection: { _id: 0 } });
    return doc ?? undefined;
  }

  async between(from: string, to: string): Promise<SurveyResponse[]> {
    return this.responses
      .find({ submittedAt: { $gte: from, $lt: to } }, { projection: { _id: 0 } })
      .sort({ submittedAt: 1, id: 1 })
      .toArray();
  }

  async resolvedLacking(kind: string, since: string, limit: number): Promise<Ticket[]> {
    const out: Ticket[] = [];
    const tickets = this.db().collection<TicketDoc>('tickets');
    const effects = this.db().collection<{ _id: string; state: string }>('effects');
    const cursor = tickets.find({ status: 'resolved', createdAt: { $gte: since } }).sort({ createdAt: 1 });
    for await (const { _id, ...ticket } of cursor) {
      if (await effects.findOne({ _id: effectKey(_id, kind), state: 'done' }, { projection: { _id: 1 } })) continue;
      out.push(ticket);
      if (out.length >= limit) break;
    }
    return out;
  }
}
