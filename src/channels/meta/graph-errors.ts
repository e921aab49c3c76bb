import { PermanentError, TransientError } from '../../lib/errors';

/**
 * What a Graph API error means for us, decided from its code and subcode (Meta advises against
 * reading the message text). The two error classes extend the pipeline's Transient/PermanentError,
 * so `classifyError` in src/lib/errors.ts treats a failed send like any other.
 */
export type GraphErrorKind =
  /** 4, 17, 32, 341, 613, 80000-range: pause this account's calls. */
  | 'rate-limit'
  /** 190 (any subcode), 102, permission errors (10 outside the window, 200–299): stop and alert. */
  | 'auth'
  /** 10 / 2018278 or 2018065: the 24-hour window is closed; do not send. */
  | 'outside-window'
  /** 551: the person blocked the Page, deactivated or cannot be reached. */
  | 'unreachable'
  /** 368: the Page is temporarily blocked for a policy violation. */
  | 'blocked'
  /** 100 and other request errors: retrying the same request cannot help. */
  | 'invalid'
  /** 1, 2, 1200, 5xx, network failures and codes we do not know. */
  | 'transient';

export interface GraphErrorDetail {
  kind: GraphErrorKind;
  code?: number;
  subcode?: number;
  type?: string;
  httpStatus?: number;
  fbtraceId?: string;
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613]);
const OUTSIDE_WINDOW_SUBCODES = new Set([2018278, 2018065]);

export function isRateLimitCode(code: number): boolean {
  return RATE_LIMIT_CODES.has(code) || (code >= 80_000 && code < 81_000);
}

export function classifyGraphError(
  code: number | undefined,
  subcode: number | undefined,
  httpStatus?: number,
  isTransient?: boolean,
): GraphErrorKind {
  if (code === undefined)
    return httpStatus !== undefined && httpStatus < 500 && httpStatus !== 429 && httpStatus !== 408
      ? 'invalid'
      : 'transient';
  if (isRateLimitCode(code)) return 'rate-limit';
  if (code === 10 && subcode !== undefined && OUTSIDE_WINDOW_SUBCODES.has(subcode)) return 'outside-window';
  if (code === 190 || code === 102 || code === 10 || (code >= 200 && code <= 299)) return 'auth';
  if (code === 551) return 'unreachable';
  if (code === 368) return 'blocked';
  if (isTransient || code === 1 || code === 2 || code === 1200) return 'transient';
  if (code === 100 || code === 3 || code === 506 || code === 2500) return 'invalid';
  return 'transient';
}

export function isRetryableKind(kind: GraphErrorKind): boolean {
  return kind === 'rate-limit' || kind === 'transient';
}

export class RetryableGraphError extends TransientError {
  constructor(
    message: string,
    readonly graph: GraphErrorDetail,
    retryAfterMs?: number,
  ) {
    super(message, retryAfterMs);
    this.name = 'RetryableGraphError';
  }
}

export class PermanentGraphError extends PermanentError {
  constructor(
    message: string,
    readonly graph: GraphErrorDetail,
  ) {
    super(message);
    this.name = 'PermanentGraphError';
  }
}

export type GraphApiError = RetryableGraphError | PermanentGraphError;

export function graphError(detail: GraphErrorDetail, description: string, retryAfterMs?: number): GraphApiError {
  const codes =
    detail.code === undefined
      ? `HTTP ${detail.httpStatus ?? '-'}`
      : `code ${detail.code}${detail.subcode ? `/${detail.subcode}` : ''}`;
  const trace = detail.fbtraceId ? ` [fbtrace_id ${detail.fbtraceId}]` : '';
  const message = `Graph API ${detail.kind} (${codes}): ${description}${trace}`;
  return isRetryableKind(detail.kind)
    ? new RetryableGraphError(message, detail, retryAfterMs)
    : new PermanentGraphError(message, detail);
}

/** The Graph details of an error thrown by the client, if it is one. */
export function graphErrorOf(error: unknown): GraphErrorDetail | undefined {
  return error instanceof RetryableGraphError || error instanceof PermanentGraphError ? error.graph : undefined;
}
