// The error a rejected tokenize() carries and a tessera-error event describes: the same type,
// code and param the vault uses, so callers branch on `code`, never on the message.
import type { ErrorCode, ErrorPayload, ErrorType } from '../protocol.js'

export class TesseraElementError extends Error {
  readonly type: ErrorType
  readonly code: ErrorCode
  readonly param: string | undefined
  /** Why the field could not start (frame_unavailable only): a shared error code for the developer. */
  readonly reason: string | undefined

  constructor(payload: ErrorPayload) {
    super(payload.message)
    this.name = 'TesseraElementError'
    this.type = payload.type
    this.code = payload.code
    this.param = payload.param
    this.reason = payload.reason
  }

  toJSON(): ErrorPayload {
    const payload: ErrorPayload = { type: this.type, code: this.code, message: this.message }
    if (this.param !== undefined) payload.param = this.param
    if (this.reason !== undefined) payload.reason = this.reason
    return payload
  }
}

export const frameUnavailable = (message: string, reason?: string): TesseraElementError =>
  new TesseraElementError({ type: reason === 'publishable_key_missing' ? 'invalid_request_error' : 'api_error', code: 'frame_unavailable', message, ...(reason ? { reason } : {}) })

export const publishableKeyMissing = (): TesseraElementError =>
  frameUnavailable('The publishable-key attribute is missing: set it to the project\'s pk_test_… or pk_live_… key.', 'publishable_key_missing')

/** tokenize({customerId}) is gone: the browser never names the customer (the vault would refuse it too). */
export const customerSessionRequired = (): TesseraElementError =>
  new TesseraElementError({
    type: 'invalid_request_error',
    code: 'customer_session_required',
    message:
      "tokenize() no longer takes customerId: create a customer session for the customer on your server (POST /v1/customer-sessions with your secret key) and set its client_secret as the element's customer-session attribute.",
    param: 'customerId',
  })
