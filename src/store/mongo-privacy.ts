import type { ClientSession, Db, MongoClient } from 'mongodb';
import { storedFilesOf, storedFilesOfRecord } from '../domain/anonymize';
import type { ChannelKey } from '../domain/channels';
import type { Ticket } from '../domain/complaint';
import type { ContactMatch } from '../domain/data-subject';
import type {
  DataRequest,
  DataRequestStatus,
  PrivacyAuditRecord,
  PrivacyRecords,
  Restriction,
  UnticketedPurge,
} from './privacy-records';
import { timeOrderedId } from './time-ordered-id';

type TicketDoc = Ticket & { _id: string };

/** Regular-expression metacharacters escaped: an e-mail address matched case-insensitively, as text. */
function exactCaseInsensitive(value: string): RegExp {
  return new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
}

/**
 * The MongoDB side of PrivacyRecords (type-checked here; the contract suite runs it where MONGODB_URL
 * points at a server). The anonymization runs in one transaction like the store's other multi-step writes.
 */
export class MongoPrivacyRecords implements PrivacyRecords {
  constructor(
    private readonly db: () => Db,
    private readonly client: () => MongoClient,
  ) {}

  async init(): Promise<void> {
    await this.db().collection('data_requests').createIndex({ status: 1, receivedAt: -1 }, { name: 'status' });
    await this.db().collection('privacy_audit').createIndex({ at: -1 }, { name: 'at' });
  }

  private get tickets() {
    return this.db().collection<TicketDoc>('tickets');
  }
  private get requests() {
    return this.db().collection<DataRequest & { _id: string }>('data_requests');
  }
  private get restrictions() {
    return this.db().collection<Restriction & { _id: string }>('restrictions');
  }
  private get audit() {
    return this.db().collection<PrivacyAuditRecord & { _id: string }>('privacy_audit');
  }
  private get intake() {
    return this.db().collection<{ _id: string; payload: string; state: string }>('intake');
  }
  private get heldChat() {
    return this.db().collection<{
      _id: string;
      payload: string;
      mergedInto?: string;
      channel: string;
      receivedAt: string;
    }>('held_chat');
  }

  async findTicketsByContact(match: ContactMatch): Promise<Ticket[]> {
    const field = `complainant.${match.field}`;
    const value = match.field === 'email' ? exactCaseInsensitive(match.value) : match.value;
    const docs = await this.tickets
      .find({ [field]: value, ...(match.channel ? { channel: match.channel } : {}) })
      .sort({ createdAt: 1 })
      .toArray();
    return docs.map(strip);
  }

  async listRetentionCandidates(receivedBefore: string, limit: number, afterId = ''): Promise<Ticket[]> {
    const docs = await this.tickets
      .find({
        status: 'resolved',
        receivedAt: { $lt: receivedBefore },
        _id: { $gt: afterId },
        anonymized: { $exists: false },
      })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(strip);
  }

  replaceWithAnonymized(anonymized: Ticket): Promise<boolean> {
    return this.client().withSession((session: ClientSession) =>
      session.withTransaction(async () => {
        const before = await this.tickets.findOne({ _id: anonymized.id, anonymized: { $exists: false } }, { session });
        if (!before) return false;
        const db = this.db();
        const refs = db.collection<{ channel: string; ref: string; ticketId: string }>('message_refs');
        const former = [
          { channel: before.channel as string, ref: before.sourceId },
          ...(await refs.find({ ticketId: anonymized.id }, { session }).toArray()),
        ];
        await this.tickets.replaceOne({ _id: anonymized.id }, anonymized, { session });
        await refs.deleteMany({ ticketId: anonymized.id }, { session });
        await db.collection('effects').updateMany({ ticketId: anonymized.id }, { $unset: { detail: '' } }, { session });
        for (const { channel, ref } of former) {
          await this.intake.updateOne({ _id: `${channel}\u0000${ref}` }, { $set: { payload: '' } }, { session });
          await this.heldChat.deleteMany({ channel, mergedInto: ref }, { session });
        }
        return true;
      }),
    );
  }

  async listReferencedFiles(): Promise<string[]> {
    const files = new Set<string>();
    const withFiles = {
      $or: [{ 'attachments.storedAt': { $exists: true } }, { 'history.attachments.storedAt': { $exists: true } }],
    };
    for await (const doc of this.tickets.find(withFiles)) for (const file of storedFilesOf(strip(doc))) files.add(file);
    for await (const row of this.intake.find({ state: { $ne: 'done' }, payload: /"storedAt"/ }))
      for (const file of storedFilesOfRecord(row.payload)) files.add(file);
    for await (const row of this.heldChat.find({ mergedInto: { $exists: false }, payload: /"storedAt"/ }))
      for (const file of storedFilesOfRecord(row.payload)) files.add(file);
    for await (const row of this.db()
      .collection<{ payload: string }>('quarantine')
      .find({ payload: /"storedAt"/ }))
      for (const file of storedFilesOfRecord(row.payload)) files.add(file);
    return [...files];
  }

  async purgeUnticketedBefore(before: string): Promise<UnticketedPurge> {
    const db = this.db();
    return {
      heldChat: (await this.heldChat.deleteMany({ mergedInto: { $exists: false }, receivedAt: { $lt: before } }))
        .deletedCount,
      quarantine: (await db.collection('quarantine').deleteMany({ at: { $lt: before } })).deletedCount,
      noise: (await db.collection('noise').deleteMany({ at: { $lt: before } })).deletedCount,
    };
  }

  async saveDataRequest(request: DataRequest): Promise<void> {
    await this.requests.replaceOne({ _id: request.id }, request, { upsert: true });
  }

  async getDataRequest(id: string): Promise<DataRequest | undefined> {
    const doc = await this.requests.findOne({ _id: id });
    if (!doc) return undefined;
    const { _id, ...request } = doc;
    return request;
  }

  async listDataRequests(status?: DataRequestStatus): Promise<DataRequest[]> {
    const docs = await this.requests
      .find(status ? { status } : {})
      .sort({ receivedAt: -1, _id: -1 })
      .toArray();
    return docs.map(({ _id, ...request }) => request);
  }

  async setRestriction(subject: string, restriction: Restriction | undefined): Promise<void> {
    if (restriction) await this.restrictions.replaceOne({ _id: subject }, restriction, { upsert: true });
    else await this.restrictions.deleteOne({ _id: subject });
  }

  async findRestrictions(subjects: string[]): Promise<Restriction[]> {
    if (subjects.length === 0) return [];
    const docs = await this.restrictions.find({ _id: { $in: subjects } }).toArray();
    return docs.map(({ _id, ...restriction }) => restriction);
  }

  async appendPrivacyAudit(record: Omit<PrivacyAuditRecord, 'id'>): Promise<PrivacyAuditRecord> {
    const full: PrivacyAuditRecord = { id: timeOrderedId(), ...record };
    await this.audit.insertOne({ _id: full.id, ...full });
    return full;
  }

  async listPrivacyAudit(limit = 100): Promise<PrivacyAuditRecord[]> {
    const docs = await this.audit.find({}).sort({ at: -1, _id: -1 }).limit(limit).toArray();
    return docs.map(({ _id, ...record }) => record);
  }

  async getIntakePayload(channel: ChannelKey, sourceId: string): Promise<string | undefined> {
    const doc = await this.intake.findOne({ _id: `${channel}\u0000${sourceId}` }, { projection: { payload: 1 } });
    return doc?.payload ? doc.payload : undefined;
  }
}

function strip(doc: TicketDoc): Ticket {
  const { _id, ...ticket } = doc;
  return ticket;
}
