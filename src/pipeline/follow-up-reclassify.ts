import { createHash } from 'node:crypto';
import type { CategoryConfig } from '../config/categories-schema';
import type { CategoryKey } from '../domain/categories';
import type { Classification, ComplaintClassifier } from '../domain/classifier';
import type { ClassificationResult, ComplaintInput, Ticket } from '../domain/complaint';
import { chooseTeam, type RoutingRules } from '../domain/routing';
import { effectKey, type Store } from '../store/store';
import type { EffectJob } from './queues';

export interface ReclassifyDeps {
  store: Store;
  classifier: ComplaintClassifier;
  categories: Record<CategoryKey, CategoryConfig>;
  routing: RoutingRules;
  queue(job: EffectJob): Promise<void>;
}

/**
 * A ticket of kind `other` or sent to triage (low confidence, a close call) is classified again when a
 * follow-up brings content: on the whole conversation so far. A clearer kind updates the ticket; a
 * different team gets it before routing, or, once routed, by re-routing with the reason recorded (the
 * same `rerouted` entry and `reroute` effect as `aduan ticket route`). Running it again changes nothing:
 * a ticket with a clear kind is left alone.
 */
export async function reclassifyOnFollowUp(
  deps: ReclassifyDeps,
  ticket: Ticket,
  followUp: ComplaintInput,
  result: (c: Classification) => ClassificationResult,
): Promise<boolean> {
  const current = ticket.classification;
  if (ticket.status === 'resolved' || followUp.meta.chatter) return false;
  if (current.category !== 'other' && !current.triage) return false;
  const conversation = [
    ticket.text,
    ...ticket.history.filter((h) => h.event === 'follow-up' && h.ref !== followUp.sourceId).map((h) => h.note ?? ''),
    followUp.text,
  ].join('\n');
  const classified = deps.classifier.classify({
    ...(ticket.subject ? { subject: ticket.subject } : {}),
    text: conversation.slice(0, 200_000),
    channel: ticket.channel,
  });
  if (classified.category === 'other' || classified.triage) return false;
  const { store } = deps;
  const label = deps.categories[classified.category].label;
  const team = chooseTeam(deps.routing, classified.category, ticket.channel, Boolean(classified.integrity?.length));
  const now = new Date().toISOString();
  if (team !== ticket.team) {
    const routed = (await store.getEffect(effectKey(ticket.id, 'route')))?.state === 'done';
    if (routed) {
      const ref = `rr-${createHash('sha256').update(followUp.sourceId).digest('hex').slice(0, 12)}`;
      // History first, as the CLI does: a crash before the team change leaves a ticket that is re-routed again.
      await store.appendHistory(ticket.id, {
        at: now,
        event: 'rerouted',
        ref,
        by: 'aduan',
        note: `dari ${ticket.team} ke ${team}. Alasan: diklasifikasi ulang sebagai ${label} setelah pesan lanjutan warga`,
      });
      await store.updateTeam(ticket.id, team);
      await deps.queue({ ticketId: ticket.id, effects: ['reroute'], ref });
    } else await store.updateTeam(ticket.id, team);
  }
  await store.updateClassification(ticket.id, result(classified));
  await store.appendHistory(ticket.id, {
    at: now,
    event: 'classified',
    ref: followUp.sourceId,
    note: `${classified.category} (${classified.confidence.toFixed(2)}) setelah pesan lanjutan; sebelumnya ${current.category} (${current.confidence.toFixed(2)})`,
  });
  return true;
}
