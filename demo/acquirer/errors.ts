// The sandbox acquirer's errors. It is another service than the vault, with codes of its own
// (docs/acquirer.md), answering in the same `{"error": {type, code, message, param?}}` shape,
// which the vault's acquirer client reads. Turned into that shape in one place (app.ts onError).
import type { ErrorType } from '../../common/error-codes.js'

export interface AcquirerErrorBody {
  type: ErrorType
  code: string
  message: string
  param?: string
  decline_code?: string
}

export class AcquirerError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message)
    this.name = 'AcquirerError'
  }

  toBody(): AcquirerErrorBody {
    return { type: this.type, code: this.code, message: this.message, ...(this.param !== undefined && { param: this.param }) }
  }
}

export const invalidRequest = (code: string, message: string, param?: string, status = 400) => new AcquirerError(status, 'invalid_request_error', code, message, param)
export const notFound = (message: string, param?: string) => new AcquirerError(404, 'invalid_request_error', 'resource_missing', message, param)
export const invalidState = (message: string) => new AcquirerError(409, 'invalid_request_error', 'invalid_state', message)
export const idempotencyConflict = (code: string, message: string) => new AcquirerError(409, 'idempotency_error', code, message)
export const unauthenticated = () => new AcquirerError(401, 'authentication_error', 'invalid_api_key', 'No valid API key provided.')
