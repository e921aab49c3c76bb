/**
 * A channel's budget of automatic replies (the e-mail channel: per sender and in all, per hour). Asked when an
 * automatic reply is about to go; counting the same message again is a no-op.
 */
export interface ReplyBudget {
  /** Undefined when the reply to `address` for message `messageId` may go (recorded); otherwise why not. */
  refusal(address: string, messageId: string): Promise<string | undefined>;
}
