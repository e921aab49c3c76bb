import type { CategoryKey } from './categories';

/** Why a complaint that looked like one of the 13 kinds went to triage instead. */
export type TriageReason = 'low-confidence' | 'close-call' | 'no-evidence';

export interface Candidate {
  category: CategoryKey;
  confidence: number;
}

/** What every classifier gives the pipeline and staff: the kind, how sure, and why. */
export interface Classification {
  category: CategoryKey;
  confidence: number;
  targetMinutes: number;
  /** Phrases and terms that decided the kind, shown to staff. */
  evidence: string[];
  /** The two likeliest kinds with their (calibrated) probabilities, likeliest first: named in a triage mail. */
  candidates?: Candidate[];
  /** Set when the likeliest kind was one of the 13 but the ticket goes to triage. */
  triage?: TriageReason;
  /**
   * Extortion, illegal fees, brokers, bribery, rude or absent staff: the phrases that matched. Such a
   * ticket goes to the supervisors, never to the team it may be about.
   */
  integrity?: string[];
}

export interface ClassifierInput {
  subject?: string;
  text: string;
  channel?: string;
}

export interface ComplaintClassifier {
  classify(input: ClassifierInput): Classification;
}
