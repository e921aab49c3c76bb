import type { SubjectRef } from '../domain/data-subject';
import { maskedSubjectKey, subjectKey } from '../domain/data-subject';
import type { DataRequest, DataRequestKind, DataRequestStatus } from '../store/privacy-records';
import type { Store } from '../store/store';
import { timeOrderedId } from '../store/time-ordered-id';

/** A data-subject request is answered within 3×24 hours of calendar time (not office hours) from its receipt. */
export const REQUEST_DEADLINE_MS = 72 * 60 * 60_000;

export function deadlineOf(receivedAt: string): string {
  return new Date(Date.parse(receivedAt) + REQUEST_DEADLINE_MS).toISOString();
}

/**
 * The request being answered: the open one of the same kind for the same subject (recorded earlier, e.g.
 * an erasure refused while a ticket was open), else a new one received at `receivedAt`.
 */
export async function openRequest(
  store: Pick<Store, 'listDataRequests' | 'saveDataRequest'>,
  kind: DataRequestKind,
  ref: SubjectRef,
  fields: { receivedAt: string; by: string; verifiedBy?: string; reason?: string },
): Promise<DataRequest> {
  const subject = subjectKey(ref);
  const open = (await store.listDataRequests('open')).find((r) => r.kind === kind && r.subject === subject);
  if (open) return open;
  const request: DataRequest = {
    id: `dsr-${timeOrderedId()}`,
    kind,
    subject,
    receivedAt: fields.receivedAt,
    deadlineAt: deadlineOf(fields.receivedAt),
    status: 'open',
    by: fields.by,
    ...(fields.verifiedBy ? { verifiedBy: fields.verifiedBy } : {}),
    ...(fields.reason ? { reason: fields.reason } : {}),
  };
  await store.saveDataRequest(request);
  return request;
}

/** Closes (done, refused) or keeps open with the reason why, e.g. an erasure waiting for a ticket to close. */
export async function settleRequest(
  store: Pick<Store, 'saveDataRequest'>,
  request: DataRequest,
  status: DataRequestStatus,
  outcome: string,
  at: Date,
): Promise<DataRequest> {
  const settled: DataRequest = {
    ...request,
    status,
    outcome,
    ...(status === 'open' ? {} : { doneAt: at.toISOString() }),
  };
  await store.saveDataRequest(settled);
  return settled;
}

/** A request as staff and admins see it: the identifier masked. */
export function describeRequest(request: DataRequest): string {
  return `${request.id} ${request.kind} ${maskedSubjectKey(request.subject)}`;
}
