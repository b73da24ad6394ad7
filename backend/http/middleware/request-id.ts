// Gives every request an id, echoed in the `Request-Id` header of every response.
import crypto from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'

export const REQUEST_ID_HEADER = 'Request-Id'

export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = 'req_' + crypto.randomBytes(12).toString('hex')
    c.set('requestId', id)
    await next()
    c.res.headers.set(REQUEST_ID_HEADER, id)
  }
}
