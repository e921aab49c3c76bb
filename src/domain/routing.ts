import type { CategoryKey } from './categories';
import type { ChannelKey } from './channels';

/** Which team handles a ticket: per kind, optionally overridden per channel; `other` and doubt go to triage. */
export interface RoutingRules {
  triageTeam: string;
  byCategory: Partial<Record<CategoryKey, string>>;
  byChannel: Partial<Record<ChannelKey, Partial<Record<CategoryKey, string>>>>;
}

export function chooseTeam(rules: RoutingRules, category: CategoryKey, channel: ChannelKey): string {
  if (category === 'other') return rules.triageTeam;
  return rules.byChannel[channel]?.[category] ?? rules.byCategory[category] ?? rules.triageTeam;
}
