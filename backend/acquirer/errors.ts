// The AcquirerError family: how a call to the acquirer can fail, as classes with stable codes,
// so the vault's HTTP error handler answers 402 card_error, 502/504 api_error or 4xx without
// knowing anything about acquirers.
import { isErrorCode, TesseraError, type ErrorBody, type ErrorCode, type ErrorType } from '../errors.js'

export abstract class AcquirerError extends TesseraError {
  /** What went wrong, for the log only: never shown to the merchant, never holds card data. */
  readonly detail: string

  constructor(status: number, type: ErrorType, code: ErrorCode, message: string, detail: string, param?: string) {
    super(status, type, code, message, param)
    this.detail = detail
  }
}

/** The issuer or the acquirer said no. The attempt happened: `reference` names it at the acquirer. */
export class AcquirerDeclinedError extends AcquirerError {
  static readonly code = 'card_declined'
  readonly declineCode: string
  readonly reference: string | undefined

  constructor(declineCode: string, reference?: string, message = 'The card was declined.') {
    super(402, 'card_error', AcquirerDeclinedError.code, message, `declined: ${declineCode}`)
    this.declineCode = declineCode
    this.reference = reference
  }

  override toBody(): ErrorBody {
    return { ...super.toBody(), decline_code: this.declineCode }
  }
}

/**
 * The acquirer could not be used: connection refused or reset, a 5xx, an unreadable answer or
 * a refused API key. Whether a reset request reached the acquirer is unknown, so the vault
 * records nothing and the caller may retry with the same idempotency key.
 */
export class AcquirerUnavailableError extends AcquirerError {
  static readonly code = 'acquirer_unavailable'
  constructor(detail: string, message = 'The card acquirer is unavailable; try again later.') {
    super(502, 'api_error', AcquirerUnavailableError.code, message, detail)
  }
}

/** The acquirer did not answer within the client's timeout. */
export class AcquirerTimeoutError extends AcquirerError {
  static readonly code = 'acquirer_timeout'
  readonly timeoutMs: number
  constructor(timeoutMs: number, message = 'The card acquirer did not answer in time; try again later.') {
    super(504, 'api_error', AcquirerTimeoutError.code, message, `no answer within ${timeoutMs} ms`)
    this.timeoutMs = timeoutMs
  }
}

/**
 * The acquirer refused the request itself (400, 404, 409): an amount beyond what may be captured
 * or refunded, an operation the authorization's state forbids, an unknown reference, a reused
 * idempotency key. Unlike its siblings its code is the acquirer's own (`amount_too_large`,
 * `invalid_state`, `resource_missing`...), with the acquirer's status, so callers branch on them;
 * a code outside the vault's closed set answers `acquirer_rejected` (the log keeps the original).
 */
export class AcquirerRejectedError extends AcquirerError {
  /** The acquirer's own code, whether or not it is one of the vault's. */
  readonly acquirerCode: string
  /** The acquirer's id for the attempt it recorded as refused (a failed payout), when it names one. */
  readonly reference: string | undefined
  constructor(status: number, code: string, message: string, param?: string, reference?: string) {
    super(status, 'invalid_request_error', isErrorCode(code) ? code : 'acquirer_rejected', message, `rejected ${status}: ${code}`, param)
    this.acquirerCode = code
    this.reference = reference
  }
}

/**
 * A notification that does not prove it comes from the acquirer: no signature, a wrong one, too
 * old, or an unreadable body. Refused with 401 and changes nothing.
 */
export class AcquirerNotificationError extends AcquirerError {
  static readonly code = 'invalid_acquirer_signature'
  constructor(detail: string) {
    super(401, 'authentication_error', AcquirerNotificationError.code, 'The notification is not signed by the acquirer.', detail)
  }
}
