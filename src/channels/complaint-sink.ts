export type SubmitResult =
  /** `historical`: a first read stored it as a historical ticket (nothing will be sent for it). */
  | { status: 'queued'; historical?: true }
  | { status: 'duplicate' }
  /** `repeated`: this very record was quarantined before (a poller reading it again). */
  | { status: 'quarantined'; reason: string; repeated?: true };

export interface SubmitOrigin {
  channel: string;
  hint?: string;
  /**
   * The id of the import this record belongs to, when the channel reads its source for the first time
   * (see docs/importing-history.md): a record older than the channel's history age becomes a historical
   * ticket. Absent: the source is live and age alone never makes a record historical.
   */
  firstRead?: string;
}

/** What one import took in as history (for the admins' summary). */
export interface ImportSummary {
  importId: string;
  channel: string;
  historical: number;
  first?: string;
  last?: string;
}

/** Where channel adapters hand over what they read. Resolves only once the complaint is durable. */
export interface ComplaintSink {
  submit(candidate: unknown, origin: SubmitOrigin): Promise<SubmitResult>;
  /**
   * A first read is complete: the admins get one summary of it (once, across crashes). Sinks without
   * history support (tests, wrappers) may leave it out.
   */
  finishImport?(importId: string, channel: string): Promise<ImportSummary | undefined>;
}
