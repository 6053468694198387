/**
 * Errors that cross the backend boundary. Class instances do not survive IPC or JSON, so a host sends
 * `toApiErrorInfo(error)` and the renderer's transport turns it back into an `ApiError` with `fromApiErrorInfo`.
 */

export type ApiErrorCode =
  /** The request or stream name is not part of the contract. */
  | 'unknown-method'
  /** An argument is missing, extra, or has the wrong type or range; the message names it. */
  | 'bad-arguments'
  /** The backend accepted the request but it failed; the message says why. */
  | 'failed'
  /** The transport went away before the reply came. */
  | 'disconnected'

export interface ApiErrorInfo {
  readonly code: ApiErrorCode
  readonly message: string
}

export class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message)
  }
}

const CODES: readonly string[] = ['unknown-method', 'bad-arguments', 'failed', 'disconnected']

export function toApiErrorInfo(error: unknown): ApiErrorInfo {
  if (error instanceof ApiError) return { code: error.code, message: error.message }
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) }
}

/** Rebuilds an `ApiError` from whatever arrived; anything unrecognisable becomes a 'failed' error. */
export function fromApiErrorInfo(info: unknown): ApiError {
  if (typeof info === 'object' && info !== null) {
    const { code, message } = info as Record<string, unknown>
    if (typeof message === 'string') {
      return new ApiError(
        typeof code === 'string' && CODES.includes(code) ? (code as ApiErrorCode) : 'failed',
        message,
      )
    }
  }
  return new ApiError('failed', 'The backend reported an error without a message')
}
