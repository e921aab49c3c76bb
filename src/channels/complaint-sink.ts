export type SubmitResult =
  | { status: 'queued' }
  | { status: 'duplicate' }
  | { status: 'quarantined'; reason: string };

/** Where channel adapters hand over what they read. Resolves only once the complaint is durable. */
export interface ComplaintSink {
  submit(candidate: unknown, origin: { channel: string; hint?: string }): Promise<SubmitResult>;
}
