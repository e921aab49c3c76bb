import type { SurveyConfig } from '../config/survey-schema';
import { CHANNELS } from '../domain/channels';
import type { ComplaintInput, Ticket } from '../domain/complaint';
import { readQuickAnswer, SURVEY_EFFECT, SURVEY_REMINDER_EFFECT, type QuickAnswer } from '../domain/survey-invitation';
import type { Logger } from '../lib/logger';
import { effectKey, type Store } from '../store/store';
import { optOut } from '../survey/links';
import { recipientOf } from './coordination-plans';
import { wasSent } from './survey-plans';
import { randomUUID } from 'node:crypto';

/**
 * "Balas 1–4" in chat or by mail: a reply is read as the overall survey answer (or "berhenti") only when it
 * answers an open invitation — the ticket is resolved, an invitation or reminder went to this very contact on
 * this channel, its link has not expired and the ticket has no response yet. Anything else goes on as today.
 */
export class SurveyChatAnswers {
  constructor(private readonly deps: { store: Store; survey: SurveyConfig; log: Logger }) {}

  /** Records the answer and the message on the ticket; undefined when the message is not a survey answer. */
  async take(ticket: Ticket, complaint: ComplaintInput): Promise<{ attached: boolean } | undefined> {
    if (complaint.meta.automated || ticket.status !== 'resolved' || complaint.channel !== ticket.channel)
      return undefined;
    const answer = readQuickAnswer(complaint.text, this.deps.survey.instrument, complaint.meta.buttonId);
    if (!answer || !(await this.invitationOpen(ticket, complaint))) return undefined;
    const { store, log } = this.deps;
    if (answer.kind === 'stop')
      await optOut(store, ticket.channel, recipientOf(ticket)!, new Date(complaint.receivedAt));
    else
      await store.submitSurvey({
        id: randomUUID(),
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
    const attached = await store.attachFollowUp(ticket.id, complaint.channel, complaint.sourceId, {
      at: complaint.receivedAt,
      event: 'citizen-ack',
      ref: complaint.sourceId,
      note: this.note(answer),
    });
    await store.markIntakeDone(complaint.channel, complaint.sourceId);
    log.info({ ticket: ticket.ticketNumber, answer: answer.kind }, 'survey answer by reply');
    return { attached };
  }

  private note(answer: QuickAnswer): string {
    if (answer.kind === 'stop') return 'pelapor memilih berhenti menerima survei';
    const label = this.deps.survey.instrument.overall.answers[answer.score - 1];
    return `jawaban survei lewat balasan: ${answer.score} (${label})`;
  }

  private async invitationOpen(ticket: Ticket, complaint: ComplaintInput): Promise<boolean> {
    const { store, survey } = this.deps;
    const contact = recipientOf(ticket);
    const sender = complaint.complainant[CHANNELS[complaint.channel].replyContact];
    if (!contact || !sender || contact.toLowerCase() !== sender.toLowerCase()) return false;
    const sentAt: number[] = [];
    for (const kind of [SURVEY_EFFECT, SURVEY_REMINDER_EFFECT]) {
      const effect = await store.getEffect(effectKey(ticket.id, kind));
      if (effect?.state === 'done' && wasSent(effect.detail))
        sentAt.push(Date.parse(effect.doneAt ?? effect.startedAt));
    }
    if (sentAt.length === 0) return false;
    const validUntil = Math.max(...sentAt) + survey.linkValidDays * 24 * 3_600_000;
    if (Date.parse(complaint.receivedAt) > validUntil) return false;
    return !(await store.getSurveyResponseOfTicket(ticket.id));
  }
}
