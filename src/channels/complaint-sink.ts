export type SubmitResult =
  | { status: 'queued' }
  | { status: 'duplicate' }
  /** `repeated`: this very record was quarantined before (a poller reading it again). */
  | { status: 'quarantined'; reason: string; repeated?: true };

/** Where channel adapters hand over what they read. Resolves only once the complaint is durable. */
export interface ComplaintSink {
  submit(candidate: unknown, origin: { channel: string; hint?: string }): Promise<SubmitResult>;
}
