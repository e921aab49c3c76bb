import type { CategoryKey } from './categories';
import { CHANNEL_LABELS, type ChannelKey } from './channels';
import { maskAllPersonalData } from './personal-data';
import type { Recap } from './recap';
import { computeSkm, representativeness, type Grade, type SkmResult } from './skm';
import type { SurveyInstrument, SurveyResponse } from './survey-instrument';

/**
 * The recap's satisfaction section (issue #21): the two sources never mixed. Closure surveys ("survei kepuasan
 * pasca-pengaduan", complainants only: not the official SKM) per kind, channel and team next to the response
 * and resolution times, with the lowest-rated tickets; service-user surveys (the official SKM) with the
 * Krejcie–Morgan target for the period's number of service users. Pure.
 */

export interface SatisfactionGroup {
  key: string;
  label: string;
  n: number;
  /** Mean of the overall 1–4 rating, with how many gave it. */
  overall?: { n: number; mean: number };
  /** SKM of the element answers (25–100) and its grade, when any element was answered. */
  converted?: number;
  grade?: Grade;
  /** Working minutes, median, from the recap's own figures of the group (kind, channel). */
  firstResponseMedian?: number;
  resolutionMedian?: number;
}

export interface LowRatedTicket {
  ticketNumber: string;
  kindLabel: string;
  channelLabel: string;
  overall?: number;
  converted?: number;
  /** Masked. */
  suggestion?: string;
}

export interface Satisfaction {
  closure: {
    result: SkmResult;
    byKind: SatisfactionGroup[];
    byChannel: SatisfactionGroup[];
    byTeam: SatisfactionGroup[];
    lowest: LowRatedTicket[];
  };
  service: {
    result: SkmResult;
    /** Service users in the period (configured or entered), the Krejcie–Morgan population. */
    population?: number;
    target?: number;
    /** N reached the target: otherwise "belum representatif". */
    representative: boolean;
  };
}

export interface SatisfactionInput {
  /** The period's responses (submitted within it). */
  responses: readonly SurveyResponse[];
  instrument: SurveyInstrument;
  recap: Pick<Recap, 'byKind' | 'byChannel'>;
  kindLabels: Record<CategoryKey, { label: string }>;
  teams: Record<string, { name: string }>;
  serviceUsers?: number;
}

const LOWEST_TICKETS = 10;

export function computeSatisfaction(input: SatisfactionInput): Satisfaction {
  const closure = input.responses.filter((r) => r.source === 'closure');
  const service = input.responses.filter((r) => r.source === 'service');
  const serviceResult = computeSkm(service, input.instrument);
  const reach = representativeness(serviceResult.n, input.serviceUsers);
  const times = (stats: { key: string; firstResponse: { median?: number }; resolution: { median?: number } }[]) =>
    new Map(stats.map((s) => [s.key, s]));
  const kindTimes = times(input.recap.byKind);
  const channelTimes = times(input.recap.byChannel);
  return {
    closure: {
      result: computeSkm(closure, input.instrument),
      byKind: groups(
        closure,
        (r) => r.kind,
        input,
        (key) => input.kindLabels[key as CategoryKey]?.label ?? key,
        kindTimes,
      ),
      byChannel: groups(
        closure,
        (r) => r.channel,
        input,
        (key) => CHANNEL_LABELS[key as ChannelKey] ?? key,
        channelTimes,
      ),
      byTeam: groups(
        closure,
        (r) => r.team,
        input,
        (key) => input.teams[key]?.name ?? key,
      ),
      lowest: lowestRated(closure, input),
    },
    service: {
      result: serviceResult,
      ...(input.serviceUsers !== undefined ? { population: input.serviceUsers } : {}),
      ...(reach.target !== undefined ? { target: reach.target } : {}),
      representative: reach.reached,
    },
  };
}

function groups(
  responses: readonly SurveyResponse[],
  keyOf: (r: SurveyResponse) => string | undefined,
  input: SatisfactionInput,
  labelOf: (key: string) => string,
  times?: Map<string, { firstResponse: { median?: number }; resolution: { median?: number } }>,
): SatisfactionGroup[] {
  const byKey = new Map<string, SurveyResponse[]>();
  for (const r of responses) {
    const key = keyOf(r);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return [...byKey.entries()]
    .map(([key, rs]) => {
      const result = computeSkm(rs, input.instrument);
      const t = times?.get(key);
      return {
        key,
        label: labelOf(key),
        n: result.n,
        ...(result.overall ? { overall: result.overall } : {}),
        ...(result.converted !== undefined ? { converted: result.converted, grade: result.grade! } : {}),
        ...(t?.firstResponse.median !== undefined ? { firstResponseMedian: t.firstResponse.median } : {}),
        ...(t?.resolution.median !== undefined ? { resolutionMedian: t.resolution.median } : {}),
      };
    })
    .sort((a, b) => b.n - a.n || a.label.localeCompare(b.label));
}

/** Lowest overall rating first, then lowest element mean; ties by ticket number. */
function lowestRated(responses: readonly SurveyResponse[], input: SatisfactionInput): LowRatedTicket[] {
  const scored = responses
    .filter((r) => r.ticketNumber)
    .map((r) => ({ r, converted: computeSkm([r], input.instrument).converted }));
  return scored
    .sort(
      (a, b) =>
        (a.r.overall ?? 5) - (b.r.overall ?? 5) ||
        (a.converted ?? 101) - (b.converted ?? 101) ||
        a.r.ticketNumber!.localeCompare(b.r.ticketNumber!),
    )
    .slice(0, LOWEST_TICKETS)
    .map(({ r, converted }) => ({
      ticketNumber: r.ticketNumber!,
      kindLabel: input.kindLabels[r.kind as CategoryKey]?.label ?? r.kind ?? '-',
      channelLabel: CHANNEL_LABELS[r.channel as ChannelKey] ?? r.channel ?? '-',
      ...(r.overall !== undefined ? { overall: r.overall } : {}),
      ...(converted !== undefined ? { converted } : {}),
      ...(r.suggestion ? { suggestion: maskAllPersonalData(r.suggestion) } : {}),
    }));
}
