// TesseraError and its subclasses: every failure carries a stable type, code and status,
// (the code one of the closed set in common/error-codes.ts, so a typo is a compile error),
// and is turned into the {"error": {...}} shape in one place (http/error-handler.ts).

import type { ErrorCode, ErrorType } from '../common/error-codes.js'

export { ERROR_CODES, ERROR_TYPES, isErrorCode, type ErrorCode, type ErrorType } from '../common/error-codes.js'

export interface ErrorBody<C extends string = ErrorCode> {
  type: ErrorType
  code: C
  message: string
  param?: string
  decline_code?: string
  /** A failed payout's reason (the acquirer's refusal), beside `payout`. */
  failure_code?: string
}

/** `C` is the vault's closed set; only the sandbox acquirer, a separate service, widens it. */
export class TesseraError<C extends string = ErrorCode> extends Error {
  readonly type: ErrorType
  readonly code: C
  readonly status: number
  readonly param: string | undefined

  constructor(status: number, type: ErrorType, code: C, message: string, param?: string) {
    super(message)
    this.name = new.target.name
    this.status = status
    this.type = type
    this.code = code
    this.param = param
  }

  toBody(): ErrorBody<C> {
    const body: ErrorBody<C> = { type: this.type, code: this.code, message: this.message }
    if (this.param !== undefined) body.param = this.param
    return body
  }
}

export class InvalidRequestError extends TesseraError {
  constructor(code: ErrorCode, message: string, param?: string, status = 400) {
    super(status, 'invalid_request_error', code, message, param)
  }
}

export class CardError extends TesseraError {
  readonly declineCode: string | undefined
  constructor(code: ErrorCode, message: string, param?: string, status = 422, declineCode?: string) {
    super(status, 'card_error', code, message, param)
    this.declineCode = declineCode
  }

  override toBody(): ErrorBody {
    const body = super.toBody()
    if (this.declineCode !== undefined) body.decline_code = this.declineCode
    return body
  }
}

export class AuthenticationError extends TesseraError {
  constructor(code: ErrorCode = 'invalid_api_key', message = 'No valid API key provided.') {
    super(401, 'authentication_error', code, message)
  }
}

export class PermissionError extends TesseraError {
  constructor(code: ErrorCode, message: string, param?: string) {
    super(403, 'permission_error', code, message, param)
  }
}

export class NotFoundError extends TesseraError {
  constructor(code: ErrorCode = 'resource_missing', message = 'No such resource.', param?: string) {
    super(404, 'invalid_request_error', code, message, param)
  }
}

/**
 * A token the key's project and mode do not hold, or no longer hold (deleted): one answer for
 * every route, so none tells a foreign, a deleted and a never-issued token apart.
 */
export const tokenNotFound = (): NotFoundError => new NotFoundError('token_not_found', 'No such token.', 'token')

export class ConflictError extends TesseraError {
  constructor(code: ErrorCode, message: string, param?: string) {
    super(409, 'invalid_request_error', code, message, param)
  }
}

export class IdempotencyError extends TesseraError {
  constructor(code: ErrorCode, message: string) {
    super(409, 'idempotency_error', code, message)
  }
}

export class RateLimitError extends TesseraError {
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limit_error', 'rate_limited', 'Too many requests; retry later.')
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export class ApiError extends TesseraError {
  constructor(status: number, code: ErrorCode, message: string) {
    super(status, 'api_error', code, message)
  }
}

/**
 * Every way a JWE can fail (bad tag, unknown key material, malformed header) gives the same
 * code and message, so the vault is no decryption oracle; the detail goes to the log only.
 */
export class CardDecryptionError extends InvalidRequestError {
  readonly detail: string
  constructor(detail: string) {
    super('invalid_card_encryption', 'The card could not be decrypted.', 'card')
    this.detail = detail
  }
}

export class MethodNotAllowedError extends TesseraError {
  constructor() {
    super(405, 'invalid_request_error', 'method_not_allowed', 'This endpoint does not take that method.')
  }
}

/**
 * The database is unreachable, full or read-only (or a statement ran past its timeout): the
 * request did not complete, and a retry with the same Idempotency-Key is safe.
 */
export class DatabaseUnavailableError extends ApiError {
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds = 2) {
    super(503, 'database_unavailable', 'The vault cannot use its database right now; the request did not complete. Retry shortly.')
    this.retryAfterSeconds = retryAfterSeconds
  }
}
