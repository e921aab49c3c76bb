import type { CategoryKey } from './categories';

/** What every classifier gives the pipeline and staff: the kind, how sure, and why. */
export interface Classification {
  category: CategoryKey;
  confidence: number;
  targetMinutes: number;
  /** Phrases and terms that decided the kind, shown to staff. */
  evidence: string[];
}

export interface ClassifierInput {
  subject?: string;
  text: string;
  channel?: string;
}

export interface ComplaintClassifier {
  classify(input: ClassifierInput): Classification;
}
