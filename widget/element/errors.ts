// The error a rejected tokenize() carries and a tessera-error event describes: the same type,
// code and param the vault uses, so callers branch on `code`, never on the message.
import type { ErrorPayload } from '../protocol.js'

export class TesseraElementError extends Error {
  readonly type: string
  readonly code: string
  readonly param: string | undefined

  constructor(payload: ErrorPayload) {
    super(payload.message)
    this.name = 'TesseraElementError'
    this.type = payload.type
    this.code = payload.code
    this.param = payload.param
  }

  toJSON(): ErrorPayload {
    const payload: ErrorPayload = { type: this.type, code: this.code, message: this.message }
    if (this.param !== undefined) payload.param = this.param
    return payload
  }
}

export const frameUnavailable = (message: string): TesseraElementError =>
  new TesseraElementError({ type: 'api_error', code: 'frame_unavailable', message })

/** tokenize({customerId}) is gone: the browser never names the customer (the vault would refuse it too). */
export const customerSessionRequired = (): TesseraElementError =>
  new TesseraElementError({
    type: 'invalid_request_error',
    code: 'customer_session_required',
    message:
      "tokenize() no longer takes customerId: create a customer session for the customer on your server (POST /v1/customer-sessions with your secret key) and set its client_secret as the element's customer-session attribute.",
    param: 'customerId',
  })
