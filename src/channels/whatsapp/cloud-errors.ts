import { PermanentError, TransientError } from '../../lib/errors';

/**
 * What a Cloud API error code means for us (reference §5). The classes extend the pipeline's
 * Transient/PermanentError, so a failed send is retried or dead-lettered like any other effect.
 */
export type CloudErrorKind =
  /** 130429 throughput, 4 API calls, 80007 WABA limit: pause this number. */
  | 'rate-limit'
  /** 131056: too many messages to this one citizen; pause this recipient. */
  | 'pair-rate-limit'
  /** 131047: more than 24 hours since the citizen last wrote; only a template may go out. */
  | 'outside-window'
  /** 131026: not a WhatsApp user, or an app too old to receive: reach the citizen another way. */
  | 'unreachable'
  /** 132000–132016: the template is missing, paused, disabled or its parameters do not match. */
  | 'template'
  /** 190 and other token/permission errors: the channel stops until an admin fixes the token. */
  | 'auth'
  /** The request itself is wrong; repeating it cannot help. */
  | 'invalid'
  /** Network, 5xx, 131052/131053 media errors, unknown codes. */
  | 'transient';

export function classifyCloudError(code: number | undefined, httpStatus: number): CloudErrorKind {
  if (code === undefined)
    return httpStatus === 401 || httpStatus === 403
      ? 'auth'
      : httpStatus >= 500 || httpStatus === 429 || httpStatus === 408 || httpStatus === 0
        ? 'transient'
        : 'invalid';
  if (code === 130429 || code === 4 || code === 80007) return 'rate-limit';
  if (code === 131056) return 'pair-rate-limit';
  if (code === 131047) return 'outside-window';
  if (code === 131026) return 'unreachable';
  if (code >= 132000 && code <= 132016) return 'template';
  if (code === 190 || code === 102 || code === 10 || (code >= 200 && code <= 299)) return 'auth';
  if (code === 100 || code === 131008 || code === 131009 || code === 131021) return 'invalid';
  return 'transient';
}

export class CloudApiError extends TransientError {
  constructor(
    readonly kind: CloudErrorKind,
    readonly code: number | undefined,
    readonly httpStatus: number,
    message: string,
    retryAfterMs?: number,
  ) {
    super(message, retryAfterMs);
    this.name = 'CloudApiError';
  }
}

/** A Cloud API error retrying cannot fix (a wrong request, a template problem, a refused token). */
export class PermanentCloudApiError extends PermanentError {
  constructor(
    readonly kind: CloudErrorKind,
    readonly code: number | undefined,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentCloudApiError';
  }
}

export type AnyCloudApiError = CloudApiError | PermanentCloudApiError;

export function cloudErrorOf(error: unknown): AnyCloudApiError | undefined {
  return error instanceof CloudApiError || error instanceof PermanentCloudApiError ? error : undefined;
}

const PERMANENT: ReadonlySet<CloudErrorKind> = new Set(['template', 'auth', 'invalid']);

export function cloudApiError(code: number | undefined, httpStatus: number, title: string): AnyCloudApiError {
  const kind = classifyCloudError(code, httpStatus);
  const message = `Cloud API ${code === undefined ? `HTTP ${httpStatus}` : `error ${code}`}: ${title}`.slice(0, 300);
  return PERMANENT.has(kind)
    ? new PermanentCloudApiError(kind, code, httpStatus, message)
    : new CloudApiError(kind, code, httpStatus, message);
}
