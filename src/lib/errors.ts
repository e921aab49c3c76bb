import { UnrecoverableError } from 'bullmq';

/**
 * The one place that decides whether a failure is worth retrying. Everything that throws in a worker
 * goes through `classifyError`; permanent failures become BullMQ's UnrecoverableError so they go
 * straight to the dead-letter queue instead of burning retries.
 */

/** A failure no retry can fix: bad data, a rejected recipient, a missing ticket. */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** A failure worth retrying later (a server down, a rate limit). */
export class TransientError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransientError';
  }
}

export type ErrorClass = 'retryable' | 'permanent';

const RETRYABLE_NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ESOCKET',
  'ECONNECTION',
  'ETIMEDOUT',
  'EDNS',
  'ECONNABORTED',
  'ERR_SOCKET_CLOSED',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  // imapflow: the IMAP connection dropped or timed out, or the server asked us to slow down.
  'NoConnection',
  'EConnectionClosed',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'ETIMEOUT',
  'ETHROTTLE',
]);

export function classifyError(error: unknown): ErrorClass {
  if (error instanceof PermanentError || error instanceof UnrecoverableError) return 'permanent';
  if (error instanceof TransientError) return 'retryable';
  const e = error as {
    code?: unknown;
    responseCode?: unknown;
    response?: { status?: unknown };
    status?: unknown;
    name?: string;
    authenticationFailed?: unknown;
  };
  // IMAP login refused: the same credentials will be refused again until an admin changes them.
  if (e?.authenticationFailed === true) return 'permanent';
  // SMTP: 5xx is a permanent rejection, 4xx a temporary one (RFC 5321).
  if (typeof e?.responseCode === 'number') return e.responseCode >= 500 ? 'permanent' : 'retryable';
  const httpStatus =
    typeof e?.response?.status === 'number' ? e.response.status : typeof e?.status === 'number' ? e.status : undefined;
  if (httpStatus !== undefined)
    return httpStatus === 408 || httpStatus === 429 || httpStatus >= 500 ? 'retryable' : 'permanent';
  if (typeof e?.code === 'string' && RETRYABLE_NET_CODES.has(e.code)) return 'retryable';
  if (e?.name === 'MongoNetworkError' || e?.name === 'MongoServerSelectionError') return 'retryable';
  if (error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError) return 'permanent';
  // Unknown failures are retried: losing a complaint to a hiccup is worse than a few extra attempts.
  return 'retryable';
}

/** Rethrow in the form BullMQ understands. */
export function toJobError(error: unknown): Error {
  if (classifyError(error) === 'permanent' && !(error instanceof UnrecoverableError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new UnrecoverableError(message);
  }
  return error instanceof Error ? error : new Error(String(error));
}
