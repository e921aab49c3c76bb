import { createHash } from 'node:crypto';
import type { SurveyConfig } from '../config/survey-schema';
import type { ComplaintInput, Ticket } from '../domain/complaint';
import { readQuickAnswer, type QuickAnswer } from '../domain/survey-invitation';
import type { Logger } from '../lib/logger';
import type { Store } from '../store/store';
import { optOut } from '../survey/links';
import { answersOpenInvitation } from '../survey/open-invitation';
import { recipientOf } from './coordination-plans';

/**
 * "Balas 1–4" in chat or by mail: a reply is read as the overall survey answer (or "berhenti") only when it
 * answers an open invitation (src/survey/open-invitation.ts). Anything else goes on as today.
 */
export class SurveyChatAnswers {
  constructor(private readonly deps: { store: Store; survey: SurveyConfig; log: Logger }) {}

  /**
   * Records the answer and the message on the ticket; undefined when the message is not a survey answer.
   * `thank`: a score was stored from this message, so the citizen is thanked (the `survey-thanks` effect, once
   * per ticket); its intake entry is then marked done by the effects stage once the thanks went.
   */
  async take(ticket: Ticket, complaint: ComplaintInput): Promise<{ attached: boolean; thank: boolean } | undefined> {
    if (complaint.meta.automated) return undefined;
    const answer = readQuickAnswer(complaint.text, this.deps.survey.instrument, complaint.meta.buttonId);
    if (!answer) return undefined;
    const { store, log, survey } = this.deps;
    if (!(await answersOpenInvitation(store, survey.linkValidDays, ticket, complaint))) return undefined;
    let thank = false;
    if (answer.kind === 'stop')
      await optOut(store, ticket.channel, recipientOf(ticket)!, new Date(complaint.receivedAt));
    else {
      const id = chatResponseId(complaint);
      const outcome = await store.submitSurvey({
        id,
        source: 'closure',
        via: 'chat',
        submittedAt: complaint.receivedAt,
        answers: {},
        overall: answer.score,
        ticketId: ticket.id,
        ticketNumber: ticket.ticketNumber,
        channel: ticket.channel,
        kind: ticket.classification.category,
        team: ticket.team,
      });
      thank = outcome === 'accepted';
    }
    const attached = await store.attachFollowUp(ticket.id, complaint.channel, complaint.sourceId, {
      at: complaint.receivedAt,
      event: 'citizen-ack',
      ref: complaint.sourceId,
      note: this.note(answer),
    });
    if (!thank) await store.markIntakeDone(complaint.channel, complaint.sourceId);
    log.info({ ticket: ticket.ticketNumber, answer: answer.kind }, 'survey answer by reply');
    return { attached, thank };
  }

  /** A message already recorded as this ticket's survey answer, taken in again (a retry): thank, as the first time. */
  async answeredBy(ticket: Ticket, complaint: ComplaintInput): Promise<boolean> {
    return (await this.deps.store.getSurveyResponseOfTicket(ticket.id))?.id === chatResponseId(complaint);
  }

  private note(answer: QuickAnswer): string {
    if (answer.kind === 'stop') return 'pelapor memilih berhenti menerima survei';
    const label = this.deps.survey.instrument.overall.answers[answer.score - 1];
    return `jawaban survei lewat balasan: ${answer.score} (${label})`;
  }
}

/** The response's id comes from the message: the same message taken in twice is the same response. */
function chatResponseId(complaint: Pick<ComplaintInput, 'channel' | 'sourceId'>): string {
  return `chat-${createHash('sha256').update(`${complaint.channel}\u0000${complaint.sourceId}`).digest('hex').slice(0, 32)}`;
}
