// The first and last step of every request, in one middleware (one frame on every request's
// path instead of three): a request id, the security headers, and the request's log line.
//
// An answer the vault made with jsonAnswer (answer.ts) already carries the whole header set in
// one plain object, which the server writes as it is; any other answer (a route's own headers,
// an error, a replayed idempotent answer) is completed here.
import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../../logger.js'
import { completeAnswer } from '../answer.js'
import type { AppEnv } from '../env.js'
import { newRequestId } from './request-id.js'
import { requestLine, requestLogger } from './request-log.js'
import { cameOverTls } from './security-headers.js'

export interface EdgeOptions {
  logger: Logger
  /** Trust `X-Forwarded-Proto` to tell that the client connected over TLS. */
  trustProxy?: boolean
}

export function edge(options: EdgeOptions): MiddlewareHandler<AppEnv> {
  const log = requestLogger(options.logger)
  const trustProxy = options.trustProxy ?? false
  return async (c, next) => {
    const started = performance.now()
    c.set('requestId', newRequestId())
    c.set('https', cameOverTls(c, trustProxy))
    await next()
    completeAnswer(c)
    log(requestLine(c, started))
  }
}
