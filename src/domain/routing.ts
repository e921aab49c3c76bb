import type { CategoryKey } from './categories';
import type { ChannelKey } from './channels';

/**
 * Which team handles a ticket: per kind, optionally overridden per channel; `other` and doubt go to triage;
 * integrity complaints (pungli, calo, staff behaviour) to the supervisors, never to the team they may be about.
 */
export interface RoutingRules {
  triageTeam: string;
  integrityTeam?: string;
  byCategory: Partial<Record<CategoryKey, string>>;
  byChannel: Partial<Record<ChannelKey, Partial<Record<CategoryKey, string>>>>;
}

export function chooseTeam(rules: RoutingRules, category: CategoryKey, channel: ChannelKey, integrity = false): string {
  if (integrity && rules.integrityTeam) return rules.integrityTeam;
  if (category === 'other') return rules.triageTeam;
  return rules.byChannel[channel]?.[category] ?? rules.byCategory[category] ?? rules.triageTeam;
}
