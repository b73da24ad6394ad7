// The one place errors become the {"error": {...}} shape. Unknown errors are logged (scrubbed)
// and answered as a 500 that says nothing of their cause.
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { CardDecryptionError, DatabaseUnavailableError, RateLimitError, TesseraError, type ErrorBody } from '../errors.js'
import type { Logger } from '../logger.js'
import type { AppEnv } from './env.js'

export function errorResponse(c: Context<AppEnv>, status: number, body: ErrorBody): Response {
  return c.json({ error: body }, status as 400)
}

/** Tells whether an unknown error means the database cannot serve (and records it). */
export interface DatabaseFailures {
  failed(error: unknown): boolean
}

export function errorHandler(logger: Logger, database?: DatabaseFailures) {
  return (thrown: Error, c: Context<AppEnv>): Response => {
    // The database's own log line says why, once per outage; each request just answers 503.
    const error = !(thrown instanceof TesseraError) && database?.failed(thrown) ? new DatabaseUnavailableError() : thrown
    if (error instanceof TesseraError) {
      if (error instanceof CardDecryptionError) logger.warn({ request_id: c.get('requestId'), detail: error.detail }, 'card decryption refused')
      if (error instanceof RateLimitError || error instanceof DatabaseUnavailableError) c.header('Retry-After', String(error.retryAfterSeconds))
      return errorResponse(c, error.status, error.toBody())
    }
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, error.status, { type: 'invalid_request_error', code: 'invalid_request', message: 'The request could not be read.' })
    }
    logger.error({ request_id: c.get('requestId'), err: error }, 'unhandled error')
    return errorResponse(c, 500, { type: 'api_error', code: 'internal_error', message: 'Something went wrong on our side; the request changed nothing.' })
  }
}
