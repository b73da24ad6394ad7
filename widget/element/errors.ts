// The error a rejected tokenize() carries and a tessera-error event describes: the same type,
// code and param the vault uses, so callers branch on `code`, never on the message.
import type { ErrorCode, ErrorPayload, ErrorType } from '../protocol.js'

export class TesseraElementError extends Error {
  readonly type: ErrorType
  readonly code: ErrorCode
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
