import type { AppConfig } from '../../config/schema';
import { CHANNELS } from '../../domain/channels';
import { officeDate } from '../../domain/sla';
import type { Score, SurveyResponse } from '../../domain/survey-instrument';
import type { RunningService } from '../../main';
import { serviceUsersKey } from '../../survey/links';

/**
 * The demo's survey part: a few sample tickets are answered (resolved with a staff answer) and rated, as the
 * survey page would store it; a dozen paper forms of service users are entered as `aduan survey enter` would;
 * this month's recap (demo-recap.ts) then shows its satisfaction section. Demo data only: nothing is sent.
 */
const RATINGS: Array<{ overall: Score; scores: Score[]; suggestion?: string }> = [
  { overall: 4, scores: [4, 4, 3, 4, 4, 4, 4, 4, 3] },
  { overall: 3, scores: [3, 3, 3, 4, 3, 3, 4, 3, 3], suggestion: 'Jawaban jelas, terima kasih.' },
  { overall: 2, scores: [2, 2, 1, 4, 2, 3, 3, 2, 2], suggestion: 'Terlalu lama menunggu balasan, mohon dipercepat.' },
  {
    overall: 1,
    scores: [1, 2, 1, 4, 2, 2, 3, 1, 2],
    suggestion: 'Sudah tiga kali datang, NIK saya belum juga aktif.',
  },
];
const SERVICE_FORMS: Score[][] = Array.from({ length: 12 }, (_, i) =>
  Array.from({ length: 9 }, (_, j) => ((i + j) % 5 === 0 ? 2 : (i + j) % 3 === 0 ? 4 : 3) as Score),
);

export async function demoSurvey(service: RunningService, config: AppConfig, now: Date): Promise<void> {
  const { store } = service;
  const at = now.toISOString();
  const answerable = (await store.listTickets({})).filter(
    (t) => t.status !== 'resolved' && CHANNELS[t.channel].canReply,
  );
  for (const [i, rating] of RATINGS.entries()) {
    const ticket = answerable[i];
    if (!ticket) break;
    await store.appendHistory(
      ticket.id,
      { at, event: 'resolved', ref: `demo-answer-${i + 1}`, note: 'jawaban contoh (demo)', by: 'demo' },
      'resolved',
    );
    const response: SurveyResponse = {
      id: `demo-closure-${i + 1}`,
      source: 'closure',
      via: 'page',
      submittedAt: at,
      answers: Object.fromEntries(rating.scores.map((s, j) => [`U${j + 1}`, s])),
      overall: rating.overall,
      ticketId: ticket.id,
      ticketNumber: ticket.ticketNumber,
      channel: ticket.channel,
      kind: ticket.classification.category,
      team: ticket.team,
      ...(rating.suggestion ? { suggestion: rating.suggestion } : {}),
    };
    await store.submitSurvey(response);
  }
  for (const [i, scores] of SERVICE_FORMS.entries())
    await store.submitSurvey({
      id: `demo-service-${i + 1}`,
      source: 'service',
      via: 'staff',
      submittedAt: at,
      answers: Object.fromEntries(scores.map((s, j) => [`U${j + 1}`, s])),
    });
  const today = officeDate(at, config.service.timeZone);
  await store.setCursor(serviceUsersKey(today.slice(0, 7)), '812');
}
