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

const publishableKeyMissing = (): TesseraElementError =>
  frameUnavailable('The publishable-key attribute is missing: set a pk_ key.', 'publishable_key_missing')

/**
 * Why the element loads no frame for this publishable-key attribute: it is missing, or it is not
 * a publishable key. A secret, restricted or admin key is refused here, before it is sent
 * anywhere (it would otherwise travel in the frame page's URL, into the vault's access logs).
 */
export const keyRefused = (key: string | null): TesseraElementError =>
  !key
    ? publishableKeyMissing()
    : /^(sk|rk|ak)_/.test(key)
      ? frameUnavailable('A secret key is in the page: use the pk_ key, and roll the secret key.', 'secret_key_in_browser')
      : frameUnavailable('The publishable-key attribute is not a pk_ key.', 'invalid_api_key')

/** tokenize({customerId}) is gone: the browser never names the customer (the vault would refuse it too). */
export const customerSessionRequired = (): TesseraElementError =>
  new TesseraElementError({
    type: 'invalid_request_error',
    code: 'customer_session_required',
    message:
      "tokenize() takes no customerId: set the client_secret of POST /v1/customer-sessions as the customer-session attribute.",
    param: 'customerId',
  })
